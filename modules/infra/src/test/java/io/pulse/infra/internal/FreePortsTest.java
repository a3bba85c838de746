package io.pulse.infra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.infra.InfraException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void shouldFindPortsThatCanBeBoundOnLoopback() throws IOException {
        int port = FreePorts.findFreePort();

        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void shouldNeverHandOutTheSamePortTwice() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            ports.add(FreePorts.findFreePort());
        }

        assertThat(ports).hasSize(20).allSatisfy(p -> assertThat(p).isBetween(1, 65_535));
    }

    @Test
    void shouldResolveZeroToAFreePortAndKeepOtherPorts() {
        assertThat(FreePorts.resolve(0)).isPositive();
        assertThat(FreePorts.resolve(9092)).isEqualTo(9092);
        assertThatThrownBy(() -> FreePorts.resolve(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..65535");
    }

    @Test
    void shouldExplainWhenAChosenPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> FreePorts.requireFree(taken.getLocalPort(), "Kafka", true))
                    .isInstanceOf(InfraException.class)
                    .hasMessageContaining("Kafka port 127.0.0.1:" + taken.getLocalPort() + " is already in use")
                    .hasMessageContaining("choose another port");
        }
    }
}

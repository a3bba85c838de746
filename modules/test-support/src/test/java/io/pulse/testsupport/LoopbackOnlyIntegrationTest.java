package io.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.pulse.infra.LocalInfra;
import io.pulse.testsupport.ListeningSockets.ListeningSocket;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every server Pulse starts listens on 127.0.0.1 only. Checked against the kernel's socket tables, not the
 * configuration: the listening TCP sockets of this JVM (the in-process broker) and of the registry's child process.
 */
@PulseIntegrationTest
class LoopbackOnlyIntegrationTest {

    @BeforeEach
    void requireProcFs() {
        assumeThat(ListeningSockets.isSupported()).as("Linux /proc").isTrue();
    }

    @Test
    void shouldBindTheBrokerListenersAndTheRegistryFrontToLoopbackOnly(LocalInfra infra) {
        List<ListeningSocket> sockets = ListeningSockets.ofThisProcess();

        assertThat(sockets).extracting(ListeningSocket::port)
                .contains(infra.broker().port(), infra.broker().controllerPort(), infra.schemaRegistry().port());
        assertThat(sockets).allSatisfy(LoopbackOnlyIntegrationTest::isLoopbackV4);
    }

    @Test
    void shouldBindTheRegistryToLoopbackOnly(LocalInfra infra) {
        ProcessHandle registry = infra.schemaRegistry().processHandle().orElseThrow();
        List<ListeningSocket> sockets = ListeningSockets.ofProcess(registry.pid());
        for (ProcessHandle descendant : registry.descendants().toList()) {
            sockets.addAll(ListeningSockets.ofProcess(descendant.pid()));
        }

        assertThat(sockets).extracting(ListeningSocket::port).contains(infra.schemaRegistry().apicurioPort());
        assertThat(sockets).allSatisfy(LoopbackOnlyIntegrationTest::isLoopbackV4);
    }

    private static void isLoopbackV4(ListeningSocket socket) {
        // ::ffff:127.0.0.1 is decoded as 127.0.0.1; ::1, 127.0.0.2 or a wildcard would fail here
        assertThat(socket.address().getHostAddress()).as(socket.toString()).isEqualTo("127.0.0.1");
    }
}

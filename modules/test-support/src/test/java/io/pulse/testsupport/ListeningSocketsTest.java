package io.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.pulse.testsupport.ListeningSockets.ListeningSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {

    @Test
    void shouldParseListeningEntriesOfTheKernelTables() {
        assumeThat(ByteOrder.nativeOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        List<String> tcp = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                // 127.0.0.1:9092, LISTEN
                "   0: 0100007F:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0",
                // 0.0.0.0:8081, LISTEN
                "   1: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2222 1 0",
                // an established connection: not listening
                "   2: 0100007F:2384 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 3333 1 0");

        assertThat(ListeningSockets.parseTable(tcp)).extracting(s -> s.address().getHostAddress(),
                        ListeningSocket::port, ListeningSocket::inode)
                .containsExactly(
                        tuple("127.0.0.1", 9092, 1111L),
                        tuple("0.0.0.0", 8081, 2222L));
    }

    @Test
    void shouldDecodeIpv6AndIpv4MappedAddresses() {
        assumeThat(ByteOrder.nativeOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);

        assertThat(ListeningSockets.decodeAddress("0000000000000000FFFF00000100007F").getHostAddress())
                .isEqualTo("127.0.0.1");
        assertThat(ListeningSockets.decodeAddress("00000000000000000000000001000000").getHostAddress())
                .isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(ListeningSockets.decodeAddress("00000000000000000000000000000000").isAnyLocalAddress()).isTrue();
    }

    @Test
    void shouldFindASocketThisProcessListensOn() throws IOException {
        assumeThat(ListeningSockets.isSupported()).as("Linux /proc").isTrue();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(ListeningSockets.ofThisProcess())
                    .anySatisfy(s -> {
                        assertThat(s.port()).isEqualTo(server.getLocalPort());
                        assertThat(s.address().getHostAddress()).isEqualTo("127.0.0.1");
                    });
        }
    }
}

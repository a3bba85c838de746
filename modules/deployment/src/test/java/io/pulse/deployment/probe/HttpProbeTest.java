package io.pulse.deployment.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpProbeTest {

    private HttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        // /ready answers like the pipeline's: 200 while RUNNING, 503 with a JSON body otherwise
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ready", exchange -> respond(exchange, 200, "{\"state\":\"RUNNING\"}"));
        server.createContext("/restoring", exchange -> respond(exchange, 503, "{\"state\":\"REBALANCING\"}"));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void shouldBeHealthyWhenTheEndpointAnswers200() {
        assertThat(HttpProbe.run(base + "/ready")).isEqualTo(HttpProbe.HEALTHY);
    }

    @Test
    void shouldBeUnhealthyWhenTheEndpointAnswers503() {
        assertThat(HttpProbe.run(base + "/restoring", "2000")).isEqualTo(HttpProbe.UNHEALTHY);
    }

    @Test
    void shouldBeUnhealthyWhenNothingListens() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThat(HttpProbe.run("http://127.0.0.1:" + closedPort + "/ready", "1000")).isEqualTo(HttpProbe.UNHEALTHY);
    }

    @Test
    void shouldRefuseMisuseWithAUsageExitCode() {
        assertThat(HttpProbe.run()).isEqualTo(HttpProbe.USAGE);
        assertThat(HttpProbe.run("ftp://127.0.0.1/ready")).isEqualTo(HttpProbe.USAGE);
        assertThat(HttpProbe.run(base + "/ready", "soon")).isEqualTo(HttpProbe.USAGE);
        assertThat(HttpProbe.run(base + "/ready", "0")).isEqualTo(HttpProbe.USAGE);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

package io.pulse.infra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry front's basic authentication against a stand-in upstream: requests without valid credentials are
 * answered 401 with a challenge and never forwarded; valid ones are forwarded, path rewritten, without the
 * credentials. (TLS on the front is exercised with real certificates in the integration tests.)
 */
class ConfluentPathFrontTest {

    /** What the stand-in upstream saw: the path and the Authorization header of each request. */
    private record Seen(String path, String authorization) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer upstream;
    private ConfluentPathFront front;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        upstream.createContext("/", exchange -> {
            seen.add(new Seen(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "[\"subject-a\"]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
    }

    @AfterEach
    void stop() {
        if (front != null) {
            front.close();
        }
        upstream.stop(0);
    }

    @Test
    void shouldChallengeRequestsWithoutValidCredentialsAndNotForwardThem() throws Exception {
        front = startFront(Map.of("alice", "alice-secret"));

        for (String authorization : new String[] {null, basic("alice", "wrong"), basic("mallory", "alice-secret"),
            basic("alice", ""), "Basic not-base64!", "Bearer abc", basic("alicealice-secret", null)}) {
            HttpResponse<String> response = get("/subjects", authorization);

            assertThat(response.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Basic realm=\"Schema Registry\""));
            assertThat(response.body()).contains("\"error_code\":40101");
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void shouldForwardAuthenticatedRequestsWithoutTheirCredentials() throws Exception {
        front = startFront(Map.of("alice", "alice-secret", "bob", "pa:ss"));

        HttpResponse<String> alice = get("/subjects", basic("alice", "alice-secret"));
        HttpResponse<String> bob = get("/subjects", basic("bob", "pa:ss")); // ':' may appear in a password

        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(alice.body()).isEqualTo("[\"subject-a\"]");
        assertThat(bob.statusCode()).isEqualTo(200);
        assertThat(seen).containsExactly(new Seen("/apis/ccompat/v7/subjects", null),
                new Seen("/apis/ccompat/v7/subjects", null));
    }

    @Test
    void shouldPassAuthorizationThroughWhenItChecksNone() throws Exception {
        front = ConfluentPathFront.start(0, URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()));
        String authorization = basic("anyone", "anything");

        HttpResponse<String> response = get("/subjects", authorization);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(front.url()).startsWith("http://127.0.0.1:");
        assertThat(seen).containsExactly(new Seen("/apis/ccompat/v7/subjects", authorization));
    }

    private ConfluentPathFront startFront(Map<String, String> users) throws IOException {
        return ConfluentPathFront.start(0, URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()),
                new ConfluentPathFront.Security(null, users));
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(front.url() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code Basic base64(user:password)}; with a null password, {@code Basic base64(user)} (no colon). */
    private static String basic(String user, String password) {
        String userInfo = password == null ? user : user + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}

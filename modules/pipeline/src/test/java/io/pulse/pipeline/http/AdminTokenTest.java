package io.pulse.pipeline.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulse.contracts.ErasureRequest;
import io.pulse.model.FeatureSpec;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.state.UserStateCodec;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin token: required (Bearer) on every request that is not a GET or HEAD, on every endpoint; 401 when missing
 * or wrong, 403 when the instance has none; reads stay open; forwarding keeps the caller's Authorization.
 */
class AdminTokenTest {

    private static final String TOKEN = "0123456789abcdef-admin";

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<ErasureRequest> submitted = new CopyOnWriteArrayList<>();
    private PulseHttpServer server;

    private void start(Optional<String> token) throws IOException {
        PulseConfig config = new PulseConfig(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, "mock://admin-token"));
        server = PulseHttpServer.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                PipelineMetrics.inMemory(), PulseTopology.fallbackModel(config), new UserStateCodec(FeatureSpec.v1()),
                AdminGuard.of(token));
        server.acceptErasures((userId, requestedBy, origin, reason) -> {
            ErasureRequest request = ErasureRequest.newBuilder().setRequestId("req-" + submitted.size())
                    .setUserId(userId).setRequestedBy(requestedBy).setOrigin(origin).setReason(reason)
                    .setRequestedAt(Instant.EPOCH).build();
            submitted.add(request);
            return request;
        });
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswer401WithBearerChallengeWhenTheTokenIsMissing() throws Exception {
        start(Optional.of(TOKEN));

        HttpResponse<String> response = send("DELETE", "/users/alice");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"pulse\"");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldAnswer401WhenTheTokenIsWrongOrNotBearer() throws Exception {
        start(Optional.of(TOKEN));

        HttpResponse<String> wrong = send("DELETE", "/users/alice", "Authorization", "Bearer " + TOKEN + "x");
        HttpResponse<String> prefix = send("DELETE", "/users/alice", "Authorization", "Bearer " + TOKEN.substring(1));
        HttpResponse<String> basic = send("DELETE", "/users/alice", "Authorization", "Basic " + TOKEN);

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer").contains("invalid_token"));
        assertThat(wrong.body()).doesNotContain(TOKEN);
        assertThat(prefix.statusCode()).isEqualTo(401);
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldWriteAnErasureRequestWithTheRightToken() throws Exception {
        start(Optional.of(TOKEN));

        HttpResponse<String> response = send("DELETE", "/users/al%C3%AFce%2B1", "Authorization", "bearer " + TOKEN,
                PulseHttpServer.REQUESTED_BY, "dpo@example.com", PulseHttpServer.ERASURE_REASON, "ticket 42");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains("\"requestId\":\"req-0\"");
        assertThat(submitted).singleElement().satisfies(request -> {
            assertThat(request.getUserId()).isEqualTo("alïce+1");
            assertThat(request.getRequestedBy()).isEqualTo("dpo@example.com");
            assertThat(request.getOrigin()).isEqualTo("http");
            assertThat(request.getReason()).isEqualTo("ticket 42");
        });
    }

    @Test
    void shouldRefuseStateChangesWith403WhenNoTokenIsConfigured() throws Exception {
        start(Optional.empty());

        HttpResponse<String> response = send("DELETE", "/users/alice", "Authorization", "Bearer anything-at-all-1234");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("PULSE_HTTP_ADMIN_TOKEN");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldGuardEveryEndpointNotJustUsers() throws Exception {
        start(Optional.of(TOKEN));

        for (String path : List.of("/", "/static/x.js", "/api/overview", "/health", "/ready", "/metrics",
                "/users/alice")) {
            for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
                assertThat(send(method, path).statusCode()).as("%s %s", method, path).isEqualTo(401);
            }
        }
    }

    @Test
    void shouldKeepReadsOpenWithoutAToken() throws Exception {
        start(Optional.empty());

        assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
        assertThat(send("HEAD", "/health").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/overview").statusCode()).isEqualTo(200);
        // no pipeline attached: the user query is retried later, not refused
        assertThat(send("GET", "/users/alice").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldRefuseAnInvalidUserIdOnlyAfterTheTokenIsChecked() throws Exception {
        start(Optional.of(TOKEN));

        assertThat(send("DELETE", "/users/a%00b").statusCode()).isEqualTo(401);
        assertThat(send("DELETE", "/users/a%00b", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(400);
        assertThat(send("DELETE", "/users/a%E2%80%8Bb", "Authorization", "Bearer " + TOKEN).statusCode())
                .as("a zero-width space").isEqualTo(400);
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldForwardTheMethodAndTheAuthorizationHeaderToTheOwner() {
        Headers incoming = new Headers();
        incoming.add("Authorization", "Bearer " + TOKEN);
        incoming.add("Cookie", "not-forwarded");

        HttpRequest forwarded = PulseHttpServer.forwardedRequest(URI.create("http://127.0.0.1:1/users/a?forwarded=1"),
                "DELETE", incoming);

        assertThat(forwarded.method()).isEqualTo("DELETE");
        assertThat(forwarded.headers().firstValue("Authorization")).contains("Bearer " + TOKEN);
        assertThat(forwarded.headers().firstValue("Cookie")).isEmpty();
        assertThat(PulseHttpServer.forwardedRequest(URI.create("http://127.0.0.1:1/users/a"), "GET", new Headers())
                .headers().firstValue("Authorization")).isEmpty();
        // a read needs no token: one sent along is not passed on to another instance
        assertThat(PulseHttpServer.forwardedRequest(URI.create("http://127.0.0.1:1/users/a"), "GET", incoming)
                .headers().firstValue("Authorization")).isEmpty();
    }

    @Test
    void shouldJudgeTokensOfAnyLengthWithoutError() {
        AdminGuard guard = AdminGuard.of(Optional.of(TOKEN));

        assertThat(guard.check("Bearer " + TOKEN)).isEqualTo(AdminGuard.Verdict.ALLOWED);
        assertThat(guard.check("Bearer " + TOKEN + "  ")).isEqualTo(AdminGuard.Verdict.ALLOWED);
        assertThat(guard.check("Bearer ")).isEqualTo(AdminGuard.Verdict.WRONG);
        assertThat(guard.check("Bearer " + "x".repeat(10_000))).isEqualTo(AdminGuard.Verdict.WRONG);
        assertThat(guard.check("Bear")).isEqualTo(AdminGuard.Verdict.MISSING);
        assertThat(guard.check(null)).isEqualTo(AdminGuard.Verdict.MISSING);
        assertThat(AdminGuard.refuseAll().check("Bearer " + TOKEN)).isEqualTo(AdminGuard.Verdict.NOT_CONFIGURED);
    }
}

package io.pulse.dashboard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakePulseApiTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldAnswerTheOverviewWithEveryContractField() throws Exception {
        serve(FakePulseApi.flowing());

        HttpResponse<String> response = get("/api/overview");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(response.body()).contains("\"instance\":", "\"state\":\"RUNNING\"", "\"eventsPerSecond\":",
                "\"latencyMillis\":{\"p50\":", "\"totals\":{\"events\":", "\"predictions\":", "\"deadLetters\":",
                "\"duplicates\":", "\"alerts\":{\"fraud\":", "\"scoreHistograms\":{\"churn\":[", "\"fraud\":[",
                "\"rate\":[{\"t\":", "\"models\":[{\"version\":", "\"randomInit\":", "\"quality\":{\"fraud\":{\"labels\":",
                "\"auc\":null", "\"recentUsers\":[\"user-");
    }

    @Test
    void shouldAnswerLikeAPipelineWithoutEventsUntilFlowing() throws Exception {
        FakePulseApi api = FakePulseApi.waiting();
        serve(api);

        assertThat(get("/api/overview").body()).contains("\"rate\":[]", "\"recentUsers\":[]", "\"p99\":null");
        assertThat(get("/api/alerts").body()).isEqualTo("[]");
        assertThat(get("/users/user-1").statusCode()).isEqualTo(404);

        api.startFlowing();

        assertThat(get("/api/overview").body()).contains("\"rate\":[{\"t\":");
        assertThat(get("/api/alerts?limit=3").body()).startsWith("[{\"alertId\":\"alert-").contains("\"reasons\":[{");
        assertThat(get("/users/user-1").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerTimelinesAndStatesOfKnownUsersOnly() throws Exception {
        serve(FakePulseApi.flowing());

        HttpResponse<String> timeline = get("/api/users/user-7/timeline");
        HttpResponse<String> state = get("/users/user-7");

        assertThat(timeline.statusCode()).isEqualTo(200);
        assertThat(timeline.body()).contains("\"userId\":\"user-7\"", "\"servedBy\":", "\"points\":[{\"eventTime\":",
                "\"eventId\":", "\"type\":", "\"amount\":", "\"churn\":", "\"fraud\":", "\"nextAction\":{\"UNKNOWN\":",
                "\"modelVersion\":\"" + FakePulseApi.PREVIOUS_MODEL, "\"modelVersion\":\"" + FakePulseApi.CURRENT_MODEL,
                "\"interestHeads\":true", "\"recommendations\":[{\"itemId\":\"B0", "\"score\":",
                "\"category\":\"Beauty>", "\"itemId\":", "\"nextCategories\":[]", "\"interestShift\":null",
                "\"nextCategories\":[{\"category\":\"Beauty>", "\"probability\":", "\"interestShift\":0.");
        assertThat(state.body()).contains("\"eventsSeen\":", "\"prediction\":{\"modelVersion\":",
                "\"churnProbability\":", "\"fraudScoreOfLastEvent\":", "\"windows\":{\"1h\":{\"events\":",
                "\"30d\":", "\"alerts\":{\"nextInactivityCheck\":");
        assertThat(get("/api/users/nobody/timeline").statusCode()).isEqualTo(404);
        assertThat(get("/users/nobody").body()).isEqualTo("{\"error\":\"no events seen for user nobody\"}");
    }

    @Test
    void shouldAnswerLikeAModelWithoutInterestHeadsWhenToldSo() throws Exception {
        serve(FakePulseApi.flowing().withoutInterestHeads());

        String timeline = get("/api/users/user-7/timeline").body();

        assertThat(timeline).contains("\"interestHeads\":false", "\"recommendations\":[]", "\"itemId\":\"B0",
                "\"nextCategories\":[]", "\"interestShift\":null").doesNotContain("\"probability\":",
                "\"interestShift\":0");
    }

    @Test
    void shouldAnswerServiceUnavailableWithRetryAfterForARestoringUser() throws Exception {
        serve(FakePulseApi.flowing());

        HttpResponse<String> response = get("/users/" + FakePulseApi.RESTORING_USER);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void shouldFailEveryRequestUntilRecovered() throws Exception {
        FakePulseApi api = FakePulseApi.flowing().failWith(500);
        serve(api);

        assertThat(get("/api/overview").statusCode()).isEqualTo(500);
        assertThat(get("/api/overview").body()).contains("fake failure 500");

        api.recover();

        assertThat(get("/api/overview").statusCode()).isEqualTo(200);
        assertThat(api.requestCount()).isEqualTo(3);
        assertThatThrownBy(() -> api.failWith(200)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an HTTP error");
    }

    @Test
    void shouldWriteJsonWithEscapesAndNullsForNonFiniteNumbers() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "a\"b\\c\nd\u0001");
        value.put("n", Double.NaN);
        value.put("list", List.of(1, 2.5, true));
        value.put("none", null);

        assertThat(FakePulseApi.Json.write(value))
                .isEqualTo("{\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"n\":null,\"list\":[1,2.5,true],\"none\":null}");
    }

    private void serve(FakePulseApi api) throws IOException {
        server = api.serveWithDashboard(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

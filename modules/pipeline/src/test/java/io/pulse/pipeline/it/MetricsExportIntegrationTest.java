package io.pulse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.pipeline.state.StateStores;
import io.pulse.testsupport.PulseIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams' store-level metrics reach {@code /metrics} for key-value and window stores alike (issue #16: Kafka
 * names the store tag after the store's type, and the Prometheus registry used to drop one kind; see
 * {@code StoreMetricTags}).
 */
@PulseIntegrationTest
class MetricsExportIntegrationTest {

    /** Store-level metrics Kafka Streams records at the INFO level: the end-to-end latency and a RocksDB property. */
    private static final List<String> STORE_METRICS = List.of("kafka_stream_state_record_e2e_latency_avg",
            "kafka_stream_state_estimate_num_keys");

    @TempDir
    Path stateDir;

    @Test
    void shouldExportStoreMetricsOfKeyValueAndWindowStores(LocalInfra infra) throws Exception {
        PipelineHarness harness = new PipelineHarness(infra);
        try (PulsePipeline pipeline = harness.start(stateDir, Map.of())) {
            // Given a running pipeline that has scored some events (the user state is a key-value store, the
            // deduplication of scored events a window store)
            List<UserEvent> events = PipelineIntegrationTest.recentEvents(50);
            harness.produceEvents(events);
            await("every event predicted").atMost(Duration.ofSeconds(90))
                    .until(() -> harness.readAll(harness.predictionsTopic, Prediction.class).size() >= events.size());

            // When /metrics is scraped
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + pipeline.httpPort() + "/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            // Then the store metric is there for both kinds of store, under the same tag keys
            for (String metric : STORE_METRICS) {
                assertThat(body).containsPattern(storeSample(metric, StateStores.USER_STATE))
                        .containsPattern(storeSample(metric, StateStores.SCORED_EVENTS));
            }
        }
    }

    private static Pattern storeSample(String metric, String store) {
        return Pattern.compile("(?m)^" + metric + "\\{[^}]*store=\"" + Pattern.quote(store) + "\"[^}]*} \\S+$");
    }
}

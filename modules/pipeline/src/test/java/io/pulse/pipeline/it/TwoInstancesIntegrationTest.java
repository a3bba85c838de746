package io.pulse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.testsupport.PulseIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances share the partitions, and either answers a query for any user (forwarding to the owner). */
@PulseIntegrationTest
class TwoInstancesIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path stateDir;

    @Test
    void shouldSplitThePartitionsAndAnswerForAnyUserOnEitherInstance(LocalInfra infra) throws Exception {
        PipelineHarness harness = new PipelineHarness(infra);
        try (PulsePipeline first = harness.start(stateDir.resolve("a"), Map.of());
             PulsePipeline second = harness.start(stateDir.resolve("b"), Map.of())) {
            await().alias("both instances running with tasks of their own")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> running(first) && running(second)
                            && !activeTasks(first).isEmpty() && !activeTasks(second).isEmpty());
            Set<String> tasksOfFirst = activeTasks(first);
            Set<String> tasksOfSecond = activeTasks(second);
            assertThat(tasksOfFirst).doesNotContainAnyElementsOf(tasksOfSecond);
            assertThat(tasksOfFirst.size() + tasksOfSecond.size()).as("all 4 partitions' tasks assigned")
                    .isEqualTo(4);

            List<UserEvent> events = PipelineIntegrationTest.recentEvents(200);
            harness.produceEvents(events);
            await().alias("all events predicted")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> harness.readAll(harness.predictionsTopic, Prediction.class).size() >= events.size());

            Map<String, Long> eventsPerUser = events.stream()
                    .collect(Collectors.groupingBy(UserEvent::getUserId, Collectors.counting()));
            Set<String> servedBy = new java.util.HashSet<>();
            for (Map.Entry<String, Long> user : eventsPerUser.entrySet()) {
                for (PulsePipeline instance : List.of(first, second)) {
                    HttpResponse<String> response = get(instance, "/users/" + user.getKey());
                    assertThat(response.statusCode()).as("GET /users/%s on port %d: %s", user.getKey(),
                            instance.httpPort(), response.body()).isEqualTo(200);
                    JsonNode body = JSON.readTree(response.body());
                    assertThat(body.get("userId").asText()).isEqualTo(user.getKey());
                    assertThat(body.get("eventsSeen").asLong()).isEqualTo(user.getValue());
                    assertThat(body.at("/prediction/nextAction").size()).isEqualTo(8);
                    servedBy.add(body.get("servedBy").asText());
                }
            }
            assertThat(servedBy).as("answers came from both instances' stores").hasSize(2);

            assertThat(get(first, "/users/nobody-" + harness.suffix).statusCode()).isEqualTo(404);
            assertThat(get(second, "/ready").statusCode()).isEqualTo(200);
            assertThat(get(first, "/health").statusCode()).isEqualTo(200);
            assertThat(get(first, "/metrics").body())
                    .contains("pulse_predictions_total")
                    .contains("pulse_model_step_seconds_bucket")
                    .contains("kafka_stream");
        }
    }

    private HttpResponse<String> get(PulsePipeline instance, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean running(PulsePipeline pipeline) {
        return pipeline.streams().state() == KafkaStreams.State.RUNNING;
    }

    private static Set<String> activeTasks(PulsePipeline pipeline) {
        return pipeline.streams().metadataForLocalThreads().stream()
                .map(ThreadMetadata::activeTasks)
                .flatMap(Set::stream)
                .map(task -> task.taskId().toString())
                .collect(Collectors.toSet());
    }
}

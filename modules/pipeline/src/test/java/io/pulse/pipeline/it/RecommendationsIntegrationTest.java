package io.pulse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.model.FeatureSpec;
import io.pulse.model.InterestCatalogues;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.testsupport.PulseIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /users/{id}/recommendations?k=N} on a running pipeline: 409 while the model has no interest heads, then
 * the user's unseen items from the owning instance, 400 for k outside 1..1000, 404 for a user never seen.
 */
@PulseIntegrationTest
class RecommendationsIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ITEMS = 30;
    private static final int SEEN = 6;
    private static final String USER = "user-recommend-me";

    @TempDir
    Path stateDir;

    @Test
    void shouldRecommendUnseenItemsFromTheOwnerWithinTheBoundsOfK(LocalInfra infra) throws Exception {
        PipelineHarness harness = new PipelineHarness(infra);
        try (PulsePipeline pipeline = harness.start(stateDir, Map.of("commit.interval.ms", "100"))) {
            String base = "http://127.0.0.1:" + pipeline.httpPort() + "/users/";
            HttpClient http = HttpClient.newHttpClient();
            await().alias("the pipeline answers").atMost(Duration.ofSeconds(90))
                    .until(() -> get(http, base + USER).statusCode() == 404);

            // Given the fallback model, without interest heads: a clear refusal
            HttpResponse<String> refused = get(http, base + USER + "/recommendations?k=5");
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.body()).contains("no interest heads");

            // When an interest model is published and the user views six items
            ModelBundle bundle = ModelBundles.seededRandom(pipeline.models().current().name(), 11L, 16,
                    FeatureSpec.v2(6, 3, 2), InterestCatalogues.catalogue(ITEMS, 4));
            harness.produce(List.of(new ProducerRecord<>(harness.weightsTopic, utf8(bundle.getName()),
                    bundleBytes(infra, harness.weightsTopic, bundle))));
            await().alias("the interest model adopted").atMost(Duration.ofSeconds(60))
                    .until(() -> pipeline.models().current().version().equals(bundle.getVersion()));
            List<ProducerRecord<byte[], byte[]>> views = new ArrayList<>();
            try (AvroSerializer<UserEvent> serializer = harness.eventSerializer()) {
                Instant start = Instant.now().minus(Duration.ofHours(1));
                for (int i = 1; i <= SEEN; i++) {
                    UserEvent view = UserEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setUserId(USER)
                            .setType(EventType.VIEW).setItemId("item-" + i).setCategory("1>" + (1 + i % 4))
                            .setEventTime(start.plus(Duration.ofMinutes(i))).build();
                    views.add(new ProducerRecord<>(harness.eventsTopic, utf8(USER),
                            serializer.serialize(harness.eventsTopic, view)));
                }
            }
            harness.produce(views);
            await().alias("all six views absorbed").atMost(Duration.ofSeconds(60))
                    .until(() -> {
                        HttpResponse<String> user = get(http, base + USER);
                        return user.statusCode() == 200 && JSON.readTree(user.body()).get("eventsSeen").asInt() == SEEN;
                    });

            // Then every unseen item is recommended, best first, and no seen one
            HttpResponse<String> all = get(http, base + USER + "/recommendations?k=" + ITEMS);
            assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(all.body());
            assertThat(body.get("userId").asText()).isEqualTo(USER);
            assertThat(body.get("modelVersion").asText()).isEqualTo(bundle.getVersion());
            assertThat(body.get("k").asInt()).isEqualTo(ITEMS);
            List<String> items = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            body.get("recommendations").forEach(item -> {
                items.add(item.get("itemId").asText());
                scores.add(item.get("score").asDouble());
            });
            assertThat(items).hasSize(ITEMS - SEEN).doesNotContain("item-1", "item-2", "item-3", "item-4", "item-5",
                    "item-6");
            assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
            // the default k is the configured per-prediction count; a smaller k is a prefix
            assertThat(JSON.readTree(get(http, base + USER + "/recommendations").body()).get("recommendations"))
                    .hasSize(10);
            JsonNode three = JSON.readTree(get(http, base + USER + "/recommendations?k=3").body());
            assertThat(three.get("recommendations")).hasSize(3);
            assertThat(three.get("recommendations").get(0).get("itemId").asText()).isEqualTo(items.get(0));

            // and k outside 1..1000 and unknown users are refused clearly
            for (String k : List.of("0", "1001", "many")) {
                HttpResponse<String> bad = get(http, base + USER + "/recommendations?k=" + k);
                assertThat(bad.statusCode()).as("k=%s", k).isEqualTo(400);
                assertThat(bad.body()).contains("k must be an integer from 1 to 1000");
            }
            assertThat(get(http, base + "user-never-seen/recommendations?k=5").statusCode()).isEqualTo(404);
            assertThat(get(http, base + USER + "/recommendations?k=1000").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(HttpClient http, String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] bundleBytes(LocalInfra infra, String topic, ModelBundle bundle) {
        try (AvroSerializer<ModelBundle> serializer = new AvroSerializer<>()) {
            serializer.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
            return serializer.serialize(topic, bundle);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

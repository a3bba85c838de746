package io.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.EventType;
import io.pulse.contracts.ItemScore;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.model.FeatureSpec;
import io.pulse.model.InterestCatalogues;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.testsupport.PulseIntegrationTest;
import io.pulse.testsupport.TestTopics;
import io.pulse.trainer.publish.ModelWeightsTopic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pulse replay} turns an event log it has never seen into UserEvents on Kafka, through a column mapping. */
@PulseIntegrationTest
class ReplayIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void shouldReplayARatingsLogThroughAColumnMapping(LocalInfra infra) throws Exception {
        // Given a MovieLens-style ratings log: user, item, rating and epoch seconds only
        Path csv = dir.resolve("ratings.csv");
        Files.writeString(csv, """
                userId,movieId,rating,timestamp
                1,31,2.5,1260759144
                1,1029,3.0,1260759179
                2,10,4.0,835355493
                2,17,5.0,835355681
                3,60,3.0,1298861675
                """);
        String topic = TestTopics.unique("ratings");

        // When it is replayed
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Pulse.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
                "replay", "--csv", csv.toString(),
                "--map", "user=userId,item=movieId,rating=rating,time=timestamp:epoch-s,type=const:RATING",
                "--topic", topic, "--labels-topic", TestTopics.unique("labels"),
                "--bootstrap-servers", infra.bootstrapServers(), "--schema-registry-url", infra.schemaRegistryUrl());

        // Then every row is a RATING UserEvent keyed by user, with its original time
        assertThat(exit).as("exit code; out: %s err: %s", out, err).isZero();
        assertThat(out.toString()).contains("replayed 5 events");
        List<UserEvent> events = consume(infra, topic, 5);
        assertThat(events).extracting(UserEvent::getType).containsOnly(EventType.RATING);
        assertThat(events).extracting(UserEvent::getUserId).containsExactlyInAnyOrder("1", "1", "2", "2", "3");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getItemId()).isEqualTo("1029");
            assertThat(e.getRating()).isEqualTo(3.0f);
            assertThat(e.getEventTime()).isEqualTo(Instant.ofEpochSecond(1260759179));
        });
    }

    @Test
    void shouldReplayALogWithItemsAndCategoriesIntoPredictionsThatCarryInterests(LocalInfra infra) throws Exception {
        // Given a pipeline serving a model with interest heads whose catalogue knows the log's items
        String suffix = TestTopics.unique("replay-interests");
        Map<String, Object> settings = new HashMap<>();
        settings.put(PulseConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers());
        settings.put(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl());
        settings.put(PulseConfig.APPLICATION_ID, "pulse-" + suffix);
        settings.put(PulseConfig.STATE_DIR, dir.resolve("state").toString());
        settings.put(PulseConfig.HTTP_PORT, 0);
        String events = "events-" + suffix;
        String predictions = "predictions-" + suffix;
        String weights = "weights-" + suffix;
        settings.put(PulseConfig.TOPIC_USER_EVENTS, events);
        settings.put(PulseConfig.TOPIC_PREDICTIONS, predictions);
        settings.put(PulseConfig.TOPIC_USER_INTERESTS, "interests-" + suffix);
        settings.put(PulseConfig.TOPIC_DLQ, "dlq-" + suffix);
        settings.put(PulseConfig.TOPIC_CHURN_ALERTS, "churn-" + suffix);
        settings.put(PulseConfig.TOPIC_FRAUD_ALERTS, "fraud-" + suffix);
        settings.put(PulseConfig.TOPIC_LABELS, "labels-" + suffix);
        settings.put(PulseConfig.TOPIC_MODEL_WEIGHTS, weights);
        try (PulsePipeline pipeline = new PulsePipeline(new PulseConfig(settings)).start()) {
            assertThat(pipeline.awaitRunning(Duration.ofSeconds(60))).isTrue();
            ModelBundle bundle = ModelBundles.seededRandom(pipeline.models().current().name(), 21L, 16,
                    FeatureSpec.v2(6, 3, 2), InterestCatalogues.catalogue(30, 4));
            new ModelWeightsTopic(Map.<String, Object>of(PulseConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers(),
                    PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl()), weights, Duration.ofSeconds(30))
                    .publish(bundle);
            await().alias("the interest model adopted").atMost(Duration.ofSeconds(60))
                    .until(() -> pipeline.models().current().version().equals(bundle.getVersion()));

            // When a purchase log with item and category columns is replayed into it
            Path csv = dir.resolve("purchases.csv");
            Files.writeString(csv, """
                    customer,sku,category_path,ts
                    a,item-3,1>4>lipstick,2026-11-30T10:00:00Z
                    a,item-7,1>3>shampoo,2026-11-30T10:05:00Z
                    b,item-12,1>1>soap,2026-11-30T10:06:00Z
                    a,item-11,1>4>gloss,2026-11-30T10:09:00Z
                    """);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Pulse.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
                    "replay", "--csv", csv.toString(),
                    "--map", "user=customer,item=sku,category=category_path,time=ts:iso,type=const:PURCHASE",
                    "--topic", events, "--labels-topic", TestTopics.unique("labels"),
                    "--bootstrap-servers", infra.bootstrapServers(),
                    "--schema-registry-url", infra.schemaRegistryUrl());
            assertThat(exit).as("exit code; out: %s err: %s", out, err).isZero();

            // Then every prediction carries next categories and recommendations without the user's items so far
            List<Prediction> scored = consume(infra, predictions, 4, Prediction.class);
            assertThat(scored).allSatisfy(p -> {
                assertThat(p.getNextCategories()).hasSize(3);
                assertThat(p.getRecommendations()).hasSize(10);
                assertThat(p.getInterestShift()).isBetween(0.0, 1.0);
            });
            Prediction last = scored.stream().filter(p -> p.getUserId().equals("a"))
                    .max(Comparator.comparing(Prediction::getEventTime)).orElseThrow();
            assertThat(last.getRecommendations()).extracting(ItemScore::getItemId)
                    .doesNotContain("item-3", "item-7", "item-11");
            assertThat(pipeline.metrics().itemsOutOfVocabulary()).as("every replayed item is in the catalogue")
                    .isZero();
        }
    }

    private static List<UserEvent> consume(LocalInfra infra, String topic, int expected) {
        return consume(infra, topic, expected, UserEvent.class);
    }

    private static <T extends SpecificRecord> List<T> consume(LocalInfra infra, String topic, int expected,
            Class<T> type) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TestTopics.unique("replay-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<T> events = new ArrayList<>();
        try (AvroDeserializer<T> values = new AvroDeserializer<>(type)) {
            values.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
            try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                    values)) {
                consumer.subscribe(List.of(topic));
                await().alias(expected + " replayed events").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                        .until(() -> {
                            consumer.poll(Duration.ofMillis(500)).forEach(r -> events.add(r.value()));
                            return events.size() >= expected;
                        });
            }
        }
        return events;
    }
}

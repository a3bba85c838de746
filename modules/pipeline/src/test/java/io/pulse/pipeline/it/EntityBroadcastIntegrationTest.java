package io.pulse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.model.FeatureSpec;
import io.pulse.model.FirstStep;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.pipeline.state.StateStores;
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
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broadcast delivery of entity features on the real broker, exactly-once: the terminal's change is committed to the
 * pipeline-created snapshots topic, reaches the global store, and the next event at the terminal is scored with it
 * in the user's task, without the way back; a late fraud label puts the terminal on the dashboard's riskiest list.
 */
@PulseIntegrationTest
class EntityBroadcastIntegrationTest {

    private static final Map<String, String> BROADCAST = Map.of(PulseConfig.ENTITIES_TYPES, "terminal",
            PulseConfig.ENTITIES_DELIVERY, PulseConfig.DELIVERY_BROADCAST);

    @TempDir
    Path stateDir;

    @Test
    void shouldScoreTheNextEventAtATerminalWithTheSnapshotItsTaskBroadcast(LocalInfra infra) throws Exception {
        PipelineHarness harness = new PipelineHarness(infra);
        PulseConfig config = new PulseConfig(harness.settings(stateDir, BROADCAST));
        EntityWindowSpec terminal = config.entities().get(0);
        ModelBundle bundle = ModelBundles.seededRandom(config.getString(PulseConfig.MODEL_NAME), 11L, 16,
                FeatureSpec.v1().withEntities(config.entities()), null);
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
        UserEvent first = payment("u-1", "T-1", start, 20.0);
        UserEvent second = payment("u-2", "T-1", start.plus(Duration.ofMinutes(3)), 45.0);

        try (PulsePipeline pipeline = harness.start(stateDir, BROADCAST);
             KafkaProducer<byte[], byte[]> producer = harness.rawProducer();
             AvroSerializer<UserEvent> events = harness.eventSerializer();
             AvroSerializer<ModelBundle> bundles = new AvroSerializer<>()) {
            bundles.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
            producer.send(new ProducerRecord<>(harness.weightsTopic, bundle.getName().getBytes(StandardCharsets.UTF_8),
                    bundles.serialize(harness.weightsTopic, bundle))).get();
            await().alias("the terminal model adopted").atMost(Duration.ofSeconds(30))
                    .until(() -> pipeline.models().current().version().equals(bundle.getVersion()));

            // Given a first payment at T-1, scored, and T-1's new windows broadcast to every instance's global store
            send(producer, events, harness, first);
            await().alias("T-1's snapshot committed and in the global store").atMost(Duration.ofSeconds(60))
                    .until(() -> snapshot(pipeline, "T-1") != null);
            List<ConsumerRecord<byte[], byte[]>> broadcast = harness.readAllRaw(
                    config.entityChangelogTopic("terminal"));
            assertThat(broadcast).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsOnly("T-1");

            // When another user pays at T-1
            send(producer, events, harness, second);

            // Then that payment is scored with T-1's windows as the snapshot has them: one earlier transaction
            await().alias("both payments predicted").atMost(Duration.ofSeconds(60))
                    .until(() -> harness.readAll(harness.predictionsTopic, Prediction.class).size() >= 2);
            List<Prediction> predictions = harness.<Prediction>readAll(harness.predictionsTopic, Prediction.class)
                    .stream().map(ConsumerRecord::value).toList();
            assertThat(predictions).extracting(Prediction::getEventId) // two users: partitions, not an order
                    .containsExactlyInAnyOrder(first.getEventId(), second.getEventId());
            Prediction ofSecond = predictions.stream().filter(p -> p.getEventId().equals(second.getEventId()))
                    .findFirst().orElseThrow();
            EntityWindows atT1 = EntityWindows.empty(terminal);
            atT1.observe(first.getEventTime().toEpochMilli(), first.getAmount());
            float[] block = new float[terminal.featureCount()];
            atT1.encode(second.getEventTime().toEpochMilli(), block, 0);
            float[] fresh = new float[terminal.featureCount()];
            EntityWindows.empty(terminal).encode(second.getEventTime().toEpochMilli(), fresh, 0);
            var model = pipeline.models().current();
            assertThat(ofSecond.getFraudScore()).isCloseTo(FirstStep.fraud(model, second, block),
                    within(1e-6));
            assertThat(FirstStep.fraud(model, second, block)).as("the snapshot makes a difference")
                    .isNotCloseTo(FirstStep.fraud(model, second, fresh), within(1e-4f));
            assertThat(EntityWindows.fromBytes(terminal, snapshot(pipeline, "T-1")).transactionsSeen()).isEqualTo(2);

            // And once the first payment's fraud label arrives, the dashboard lists T-1 among the riskiest terminals
            try (AvroSerializer<Label> labels = new AvroSerializer<>()) {
                labels.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
                Label fraud = Label.newBuilder().setUserId(first.getUserId()).setKind(LabelKind.FRAUD)
                        .setPositive(true).setEventId(first.getEventId()).setAppliesAt(first.getEventTime())
                        .setObservedAt(Instant.now()).build();
                producer.send(new ProducerRecord<>(harness.labelsTopic,
                        first.getUserId().getBytes(StandardCharsets.UTF_8),
                        labels.serialize(harness.labelsTopic, fraud))).get();
            }
            HttpClient http = HttpClient.newHttpClient();
            URI api = URI.create("http://127.0.0.1:" + pipeline.httpPort() + "/api/entities");
            await().alias("T-1 listed with its known fraud").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode body = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(api).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertThat(body.path("scope").asText()).isEqualTo("all");
                JsonNode listed = body.path("types").path(0).path("entities").path(0);
                assertThat(listed.path("id").asText()).isEqualTo("T-1");
                assertThat(listed.path("knownFrauds").asDouble()).isPositive();
            });

            // And /metrics has T-1 in the snapshots and the lag of each live snapshot, a commit or so
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.httpPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scraped(metrics, "pulse_entity_snapshots_keys{type=\"terminal\"}")).isEqualTo(1.0);
            assertThat(scraped(metrics, "pulse_entity_snapshot_lag_seconds_count{type=\"terminal\"}"))
                    .as("one lag per snapshot read: the two payments', the label's").isBetween(2.0, 3.0);
            assertThat(scraped(metrics, "pulse_entity_snapshot_lag_seconds_max{type=\"terminal\"}"))
                    .isPositive().isLessThan(30.0);
        }
    }

    @Test
    void shouldRebuildTheSnapshotsFromTheChangelogWhenTheStoreMovesBetweenRocksDbAndTheHeap(LocalInfra infra)
            throws Exception {
        PipelineHarness harness = new PipelineHarness(infra);
        Map<String, String> onDisk = new HashMap<>(BROADCAST);
        onDisk.put(PulseConfig.ENTITIES_SNAPSHOTS_STORE, PulseConfig.SNAPSHOTS_ROCKSDB);
        Map<String, String> onHeap = new HashMap<>(BROADCAST);
        onHeap.put(PulseConfig.ENTITIES_SNAPSHOTS_STORE, PulseConfig.SNAPSHOTS_IN_MEMORY);
        PulseConfig config = new PulseConfig(harness.settings(stateDir, onDisk));
        EntityWindowSpec terminal = config.entities().get(0);
        ModelBundle bundle = ModelBundles.seededRandom(config.getString(PulseConfig.MODEL_NAME), 11L, 16,
                FeatureSpec.v1().withEntities(config.entities()), null);
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
        List<UserEvent> payments = List.of(payment("u-1", "T-1", start, 20.0),
                payment("u-2", "T-1", start.plus(Duration.ofMinutes(2)), 45.0),
                payment("u-3", "T-1", start.plus(Duration.ofMinutes(4)), 70.0));
        try (KafkaProducer<byte[], byte[]> producer = harness.rawProducer();
             AvroSerializer<UserEvent> events = harness.eventSerializer();
             AvroSerializer<ModelBundle> bundles = new AvroSerializer<>()) {
            bundles.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);

            // Given T-1's first payment counted with the snapshots in RocksDB (their offsets checkpointed on close)
            try (PulsePipeline pipeline = harness.start(stateDir, onDisk)) {
                producer.send(new ProducerRecord<>(harness.weightsTopic,
                        bundle.getName().getBytes(StandardCharsets.UTF_8),
                        bundles.serialize(harness.weightsTopic, bundle))).get();
                await().alias("the terminal model adopted").atMost(Duration.ofSeconds(30))
                        .until(() -> pipeline.models().current().version().equals(bundle.getVersion()));
                send(producer, events, harness, payments.get(0));
                await().alias("T-1's first snapshot in RocksDB").atMost(Duration.ofSeconds(60))
                        .until(() -> snapshot(pipeline, "T-1") != null);
            }

            // When the same instance restarts with them on the heap, then back in RocksDB, a payment at T-1 each time
            for (int k = 1; k < payments.size(); k++) {
                Map<String, String> settings = k == 1 ? onHeap : onDisk;
                try (PulsePipeline pipeline = harness.start(stateDir, settings)) {
                    // Then every earlier payment is in the snapshot (read back from the changelog: resuming at the
                    // other store's offsets would leave it empty for good), and the payment is scored with it
                    int seen = k;
                    await().alias("T-1's snapshot after a restart with " + settings).atMost(Duration.ofSeconds(60))
                            .until(() -> snapshot(pipeline, "T-1") != null && EntityWindows.fromBytes(terminal,
                                    snapshot(pipeline, "T-1")).transactionsSeen() == seen);
                    if (settings == onHeap) { // counted as they were read back: one terminal
                        assertThat(pipeline.metrics().registry().get("pulse.entity.snapshots.keys")
                                .tag("type", "terminal").gauge().value()).isEqualTo(1.0);
                    }
                    await().alias("the terminal model adopted").atMost(Duration.ofSeconds(30))
                            .until(() -> pipeline.models().current().version().equals(bundle.getVersion()));
                    UserEvent next = payments.get(k);
                    send(producer, events, harness, next);
                    await().alias("payment " + k + " predicted").atMost(Duration.ofSeconds(60))
                            .until(() -> prediction(harness, next) != null);
                    EntityWindows atT1 = EntityWindows.empty(terminal);
                    payments.subList(0, k).forEach(p -> atT1.observe(p.getEventTime().toEpochMilli(), p.getAmount()));
                    float[] block = new float[terminal.featureCount()];
                    atT1.encode(next.getEventTime().toEpochMilli(), block, 0);
                    assertThat(prediction(harness, next).getFraudScore())
                            .isCloseTo(FirstStep.fraud(pipeline.models().current(), next, block), within(1e-6));
                    await().alias("payment " + k + " in T-1's snapshot").atMost(Duration.ofSeconds(60))
                            .until(() -> EntityWindows.fromBytes(terminal, snapshot(pipeline, "T-1"))
                                    .transactionsSeen() == seen + 1);
                }
            }
        }
    }

    /** The value of the series {@code series} (name and labels as Prometheus writes them) in a scrape. */
    private static double scraped(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(series + " not on /metrics"));
    }

    private static Prediction prediction(PipelineHarness harness, UserEvent event) {
        return harness.<Prediction>readAll(harness.predictionsTopic, Prediction.class).stream()
                .map(ConsumerRecord::value).filter(p -> p.getEventId().equals(event.getEventId())).findFirst()
                .orElse(null);
    }

    private static byte[] snapshot(PulsePipeline pipeline, String terminal) {
        ReadOnlyKeyValueStore<String, byte[]> store = pipeline.streams().store(StoreQueryParameters.fromNameAndType(
                StateStores.entitySnapshots("terminal"), QueryableStoreTypes.keyValueStore()));
        return store.get(terminal);
    }

    private static UserEvent payment(String userId, String terminal, Instant at, double amount) {
        return UserEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setUserId(userId)
                .setType(EventType.PAYMENT).setEventTime(at).setAmount(amount)
                .setAttributes(Map.of("terminal", terminal)).build();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, AvroSerializer<UserEvent> serializer,
            PipelineHarness harness, UserEvent event) throws Exception {
        producer.send(new ProducerRecord<>(harness.eventsTopic, event.getUserId().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(harness.eventsTopic, event))).get();
    }
}

package io.pulse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.Alert;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.pipeline.validate.DeadLetters;
import io.pulse.pipeline.validate.RejectReason;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.simulator.EventSimulator;
import io.pulse.simulator.SimulationConfig;
import io.pulse.testsupport.PulseIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a real broker and a real Schema Registry, exactly-once: good events in, exactly one prediction each
 * out (read_committed), bad records on the dead-letter topic with their reasons, alerts where the rules say.
 */
@PulseIntegrationTest
class PipelineIntegrationTest {

    private static final int GOOD = 400;
    private static final Duration FRAUD_COOLDOWN = Duration.ofHours(1);

    @TempDir
    Path stateDir;

    @Test
    void shouldPredictExactlyOncePerGoodEventAndDeadLetterEveryBadOne(LocalInfra infra) throws Exception {
        PipelineHarness harness = new PipelineHarness(infra);
        // every event is suspicious at threshold 0, so the number of fraud alerts is decided by the cooldown alone
        try (PulsePipeline pipeline = harness.start(stateDir, Map.of(
                "fraud.alert.threshold", "0", "fraud.alert.cooldown.ms", String.valueOf(FRAUD_COOLDOWN.toMillis()),
                "churn.alert.threshold", "1"))) {
            // Given GOOD simulated events of the last days, and bad records in between
            List<UserEvent> good = recentEvents(GOOD);
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            Map<RejectReason, Integer> badByReason = new HashMap<>();
            try (AvroSerializer<UserEvent> serializer = harness.eventSerializer()) {
                for (int i = 0; i < good.size(); i++) {
                    UserEvent event = good.get(i);
                    records.add(new ProducerRecord<>(harness.eventsTopic, utf8(event.getUserId()),
                            serializer.serialize(harness.eventsTopic, event)));
                    if (i % 100 == 50) {
                        records.addAll(badRecords(harness, serializer, event, badByReason));
                        // a repeated delivery of the same event: dropped, not predicted twice
                        records.add(new ProducerRecord<>(harness.eventsTopic, utf8(event.getUserId()),
                                serializer.serialize(harness.eventsTopic, event)));
                    }
                }
            }

            // When they are produced to the running pipeline
            harness.produce(records);

            // Then exactly one committed prediction per good event, for exactly those events
            await().alias("a committed prediction for every good event")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> harness.readAll(harness.predictionsTopic, Prediction.class).size() >= GOOD);
            List<ConsumerRecord<String, Prediction>> predictions =
                    harness.readAll(harness.predictionsTopic, Prediction.class);
            assertThat(predictions).hasSize(GOOD);
            assertThat(predictions).extracting(r -> r.value().getEventId())
                    .containsExactlyInAnyOrderElementsOf(good.stream().map(UserEvent::getEventId).toList());
            assertThat(predictions).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getUserId()));

            // and every bad record on the dead-letter topic, with its reason
            int bad = badByReason.values().stream().mapToInt(Integer::intValue).sum();
            await().alias("every bad record dead-lettered")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> harness.readAllRaw(harness.dlqTopic).size() >= bad);
            List<ConsumerRecord<byte[], byte[]>> deadLetters = harness.readAllRaw(harness.dlqTopic);
            assertThat(deadLetters).hasSize(bad);
            Map<RejectReason, Integer> reasons = deadLetters.stream().collect(Collectors.toMap(
                    r -> RejectReason.valueOf(DeadLetters.header(r.headers(), DeadLetters.REASON)), r -> 1,
                    Integer::sum));
            assertThat(reasons).isEqualTo(badByReason);
            assertThat(deadLetters).allSatisfy(r -> assertThat(DeadLetters.header(r.headers(),
                    DeadLetters.SOURCE_TOPIC)).isEqualTo(harness.eventsTopic));

            // and fraud alerts exactly as the cooldown rule predicts, none for churn at threshold 1
            List<ConsumerRecord<String, Alert>> fraud = harness.readAll(harness.fraudTopic, Alert.class);
            assertThat(fraud).hasSize(expectedFraudAlerts(good));
            assertThat(harness.readAll(harness.churnTopic, Alert.class)).isEmpty();
            assertThat(pipeline.metrics().predictionCount()).isEqualTo(GOOD);
            assertThat(pipeline.metrics().duplicateCount()).isEqualTo(GOOD / 100);
        }
    }

    /** Simulated events whose event times lie in the recent past (the pipeline refuses future ones). */
    static List<UserEvent> recentEvents(int n) {
        SimulationConfig config = SimulationConfig.defaults().withSeed(11).withUsers(40)
                .withStart(Instant.now().minus(Duration.ofDays(3)));
        EventSimulator simulator = new EventSimulator(config);
        List<UserEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(simulator.next());
        }
        assertThat(events.get(n - 1).getEventTime()).as("the simulated history ends before now")
                .isBefore(Instant.now());
        return events;
    }

    private static List<ProducerRecord<byte[], byte[]>> badRecords(PipelineHarness harness,
            AvroSerializer<UserEvent> serializer, UserEvent template, Map<RejectReason, Integer> counts) {
        String topic = harness.eventsTopic;
        byte[] key = utf8(template.getUserId());
        List<ProducerRecord<byte[], byte[]>> bad = new ArrayList<>();
        bad.add(new ProducerRecord<>(topic, key, utf8("{\"not\":\"avro\"}")));
        counts.merge(RejectReason.UNKNOWN_MAGIC_BYTE, 1, Integer::sum);
        bad.add(new ProducerRecord<>(topic, null, serializer.serialize(topic, template)));
        counts.merge(RejectReason.NULL_KEY, 1, Integer::sum);
        UserEvent negative = UserEvent.newBuilder(template).setEventId(template.getEventId() + "-neg")
                .setAmount(-1.0).build();
        bad.add(new ProducerRecord<>(topic, key, serializer.serialize(topic, negative)));
        counts.merge(RejectReason.INVALID_AMOUNT, 1, Integer::sum);
        bad.add(new ProducerRecord<>(topic, key, new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 'x'}));
        counts.merge(RejectReason.UNKNOWN_SCHEMA_ID, 1, Integer::sum);
        return bad;
    }

    /** Per user, in order: an alert at the first event and then whenever the cooldown has passed since the last. */
    private static int expectedFraudAlerts(List<UserEvent> events) {
        Map<String, Long> lastAlert = new HashMap<>();
        int alerts = 0;
        for (UserEvent event : events) {
            long time = (event.getEventTime().toEpochMilli() + 999) / 1000 * 1000; // kept in seconds, rounded up
            Long last = lastAlert.get(event.getUserId());
            if (last == null || event.getEventTime().toEpochMilli() - last >= FRAUD_COOLDOWN.toMillis()) {
                lastAlert.put(event.getUserId(), time);
                alerts++;
            }
        }
        return alerts;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Set<String> users(List<UserEvent> events) {
        return events.stream().map(UserEvent::getUserId).collect(Collectors.toSet());
    }
}

package io.pulse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.testsupport.PulseIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new model published while events flow: adopted within a second, no event lost or predicted twice; events scored
 * before the publication carry the old version, events sent once the switch is seen the new one, and the events racing
 * the switch carry the version that was current when they were scored.
 */
@PulseIntegrationTest
class ModelHotSwapIntegrationTest {

    private static final int EVENTS = 600;

    @TempDir
    Path stateDir;

    @Test
    void shouldSwitchModelsWithoutARestartOrALostOrDuplicatedPrediction(LocalInfra infra) throws Exception {
        PipelineHarness harness = new PipelineHarness(infra);
        try (PulsePipeline pipeline = harness.start(stateDir, Map.of())) {
            AtomicLong adoptedAt = new AtomicLong();
            pipeline.models().onChange(model -> adoptedAt.set(System.currentTimeMillis()));
            String before = pipeline.models().current().version();
            ModelBundle next = ModelBundles.seededRandom(new PulseConfig(Map.of()).getString(PulseConfig.MODEL_NAME),
                    2026L, 64);
            List<UserEvent> events = PipelineIntegrationTest.recentEvents(EVENTS);

            List<UserEvent> first = events.subList(0, EVENTS / 3);
            List<UserEvent> during = events.subList(EVENTS / 3, 2 * EVENTS / 3);
            List<UserEvent> after = events.subList(2 * EVENTS / 3, EVENTS);
            long published;
            try (KafkaProducer<byte[], byte[]> producer = harness.rawProducer();
                 AvroSerializer<UserEvent> eventSerializer = harness.eventSerializer();
                 AvroSerializer<ModelBundle> bundleSerializer = new AvroSerializer<>()) {
                bundleSerializer.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
                // Given events flowing: the first third
                sendEvents(producer, eventSerializer, harness, first);
                await().alias("the first third predicted").atMost(Duration.ofSeconds(60)).until(() ->
                        harness.readAll(harness.predictionsTopic, Prediction.class).size() >= first.size());

                // When a new model is published, and the second third follows at once (racing the switch)
                RecordMetadata bundle = producer.send(new ProducerRecord<>(harness.weightsTopic,
                        next.getName().getBytes(StandardCharsets.UTF_8),
                        bundleSerializer.serialize(harness.weightsTopic, next))).get();
                published = bundle.timestamp();
                sendEvents(producer, eventSerializer, harness, during);

                // Then the pipeline adopts it within a second of its arrival
                await().alias("new model adopted").atMost(Duration.ofSeconds(10))
                        .until(() -> pipeline.models().current().version().equals(next.getVersion()));
                assertThat(adoptedAt.get() - published).as("ms from publication to adoption").isLessThan(1000);

                // and the last third, sent once the switch is seen, is scored by the new model only
                sendEvents(producer, eventSerializer, harness, after);
            }

            // and every event has exactly one prediction; those made around the switch carry either version, by
            // the time they were made
            await().alias("all events predicted").atMost(Duration.ofSeconds(60)).until(() ->
                    harness.readAll(harness.predictionsTopic, Prediction.class).size() >= EVENTS);
            List<ConsumerRecord<String, Prediction>> predictions =
                    harness.readAll(harness.predictionsTopic, Prediction.class);
            assertThat(predictions).hasSize(EVENTS);
            assertThat(predictions).extracting(r -> r.value().getEventId())
                    .containsExactlyInAnyOrderElementsOf(events.stream().map(UserEvent::getEventId).toList());
            assertThat(predictions).filteredOn(r -> idsOf(first).contains(r.value().getEventId()))
                    .hasSize(first.size())
                    .allSatisfy(r -> assertThat(r.value().getModelVersion()).isEqualTo(before));
            assertThat(predictions).filteredOn(r -> idsOf(after).contains(r.value().getEventId()))
                    .hasSize(after.size())
                    .allSatisfy(r -> assertThat(r.value().getModelVersion()).isEqualTo(next.getVersion()));
            Instant switched = Instant.ofEpochMilli(adoptedAt.get());
            assertThat(predictions).filteredOn(r -> r.value().getPredictedAt().isAfter(switched.plusMillis(50)))
                    .allSatisfy(r -> assertThat(r.value().getModelVersion()).isEqualTo(next.getVersion()));
            assertThat(predictions).filteredOn(r -> r.value().getPredictedAt().isBefore(switched.minusMillis(50)))
                    .allSatisfy(r -> assertThat(r.value().getModelVersion()).isEqualTo(before));
        }
    }

    private static Set<String> idsOf(List<UserEvent> events) {
        return events.stream().map(UserEvent::getEventId).collect(Collectors.toSet());
    }

    private static void sendEvents(KafkaProducer<byte[], byte[]> producer, AvroSerializer<UserEvent> serializer,
            PipelineHarness harness, List<UserEvent> events) {
        for (UserEvent event : events) {
            producer.send(new ProducerRecord<>(harness.eventsTopic, event.getUserId().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(harness.eventsTopic, event)));
        }
        producer.flush();
    }
}

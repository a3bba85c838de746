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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new model published while events flow: adopted within a second, no event lost or predicted twice, and every
 * prediction made after the switch carries the new version.
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

            long published;
            try (KafkaProducer<byte[], byte[]> producer = harness.rawProducer();
                 AvroSerializer<UserEvent> eventSerializer = harness.eventSerializer();
                 AvroSerializer<ModelBundle> bundleSerializer = new AvroSerializer<>()) {
                bundleSerializer.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
                // Given events flowing: the first half
                sendEvents(producer, eventSerializer, harness, events.subList(0, EVENTS / 2));
                await().alias("the first half predicted").atMost(Duration.ofSeconds(60)).until(() ->
                        harness.readAll(harness.predictionsTopic, Prediction.class).size() >= EVENTS / 2);

                // When a new model is published, and the rest of the events follow at once
                RecordMetadata bundle = producer.send(new ProducerRecord<>(harness.weightsTopic,
                        next.getName().getBytes(StandardCharsets.UTF_8),
                        bundleSerializer.serialize(harness.weightsTopic, next))).get();
                published = bundle.timestamp();
                sendEvents(producer, eventSerializer, harness, events.subList(EVENTS / 2, EVENTS));
            }

            // Then the pipeline adopts it within a second of its arrival
            await().alias("new model adopted").atMost(Duration.ofSeconds(10))
                    .until(() -> pipeline.models().current().version().equals(next.getVersion()));
            assertThat(adoptedAt.get() - published).as("ms from publication to adoption").isLessThan(1000);

            // and every event has exactly one prediction; those made after the switch carry the new version
            await().alias("all events predicted").atMost(Duration.ofSeconds(60)).until(() ->
                    harness.readAll(harness.predictionsTopic, Prediction.class).size() >= EVENTS);
            List<ConsumerRecord<String, Prediction>> predictions =
                    harness.readAll(harness.predictionsTopic, Prediction.class);
            assertThat(predictions).hasSize(EVENTS);
            assertThat(predictions).extracting(r -> r.value().getEventId())
                    .containsExactlyInAnyOrderElementsOf(events.stream().map(UserEvent::getEventId).toList());
            Instant switched = Instant.ofEpochMilli(adoptedAt.get());
            assertThat(predictions).filteredOn(r -> r.value().getPredictedAt().isAfter(switched.plusMillis(50)))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.value().getModelVersion()).isEqualTo(next.getVersion()));
            assertThat(predictions).filteredOn(r -> r.value().getPredictedAt().isBefore(switched.minusMillis(50)))
                    .allSatisfy(r -> assertThat(r.value().getModelVersion()).isEqualTo(before));
        }
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

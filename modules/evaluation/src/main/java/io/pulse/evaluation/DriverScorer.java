package io.pulse.evaluation;

import io.pulse.contracts.Label;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.model.EntityWindowSpec;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.processing.ModelHolder;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.registry.serde.TopicSerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Scores through {@link PulseTopology#build} in Kafka Streams' {@link TopologyTestDriver}: the production
 * processors, RocksDB stores, Avro serdes (Confluent wire format, with an in-memory {@code mock://} registry) and
 * model kernel, fed record by record in event-time order; only the broker is simulated.
 */
public final class DriverScorer implements PipelineScorer {

    private final Path workDir;
    private final List<EntityWindowSpec> entities;

    public DriverScorer(Path workDir) {
        this(workDir, List.of());
    }

    /** A scorer whose topology keeps {@code entities} (the ones the fold models are trained with). */
    public DriverScorer(Path workDir, List<EntityWindowSpec> entities) {
        this.workDir = workDir;
        this.entities = List.copyOf(entities);
    }

    @Override
    public Mode mode() {
        return Mode.TOPOLOGY_TEST_DRIVER;
    }

    @Override
    public String describe() {
        return "Kafka Streams TopologyTestDriver running the production topology (PulseTopology.build: same "
                + "processors, RocksDB stores, Avro serdes with an in-memory mock:// registry, LSTM kernel); the fold's "
                + "model adopted from the model-weights topic; events and delayed labels piped one by one in "
                + "event-time order; no broker" + entitiesNote(entities);
    }

    static Map<String, Object> baseConfig(HandbookFold fold, String modelName, Path stateDir,
            List<EntityWindowSpec> entities) {
        Map<String, Object> c = new HashMap<>(HandbookEntities.config(entities));
        c.put(PulseConfig.APPLICATION_ID, "pulse-handbook-fold" + fold.index());
        c.put(PulseConfig.STATE_DIR, stateDir.toString());
        c.put(PulseConfig.MODEL_NAME, modelName);
        String prefix = "handbook-f" + fold.index() + "-";
        c.put(PulseConfig.TOPIC_USER_EVENTS, prefix + PulseTopics.USER_EVENTS.name());
        c.put(PulseConfig.TOPIC_DLQ, prefix + PulseTopics.USER_EVENTS_DLQ.name());
        c.put(PulseConfig.TOPIC_PREDICTIONS, prefix + PulseTopics.USER_PREDICTIONS.name());
        c.put(PulseConfig.TOPIC_CHURN_ALERTS, prefix + PulseTopics.CHURN_ALERTS.name());
        c.put(PulseConfig.TOPIC_FRAUD_ALERTS, prefix + PulseTopics.FRAUD_ALERTS.name());
        c.put(PulseConfig.TOPIC_MODEL_WEIGHTS, prefix + PulseTopics.MODEL_WEIGHTS.name());
        c.put(PulseConfig.TOPIC_LABELS, prefix + PulseTopics.USER_LABELS.name());
        c.put(PulseConfig.HTTP_PORT, 0);
        return c;
    }

    @Override
    public Map<String, Double> score(HandbookData data, HandbookFold fold, ModelBundle bundle, Set<String> wanted,
            Consumer<String> progress) throws IOException {
        Path stateDir = Files.createDirectories(workDir.resolve("driver-fold" + fold.index()));
        Map<String, Object> c = baseConfig(fold, bundle.getName(), stateDir, entities);
        c.put(PulseConfig.BOOTSTRAP_SERVERS, "topology-test-driver:9092");
        c.put(PulseConfig.SCHEMA_REGISTRY_URL, "mock://pulse-handbook-fold" + fold.index());
        PulseConfig config = new PulseConfig(c);
        Map<String, Object> serdeConfig = config.serdeConfig();
        ModelHolder models = PulseTopology.fallbackModel(config);
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        Map<String, Double> scores = new HashMap<>(wanted.size() * 2);
        long[] counts = new long[3]; // predictions, alerts, dead letters
        try (TopologyTestDriver driver = new TopologyTestDriver(PulseTopology.build(config, models, metrics),
                config.streamsProperties(), Instant.now());
             Serde<UserEvent> eventSerde = TopicSerdes.valueSerde(PulseTopics.USER_EVENTS, serdeConfig);
             Serde<Label> labelSerde = TopicSerdes.valueSerde(PulseTopics.USER_LABELS, serdeConfig);
             Serde<ModelBundle> bundleSerde = TopicSerdes.valueSerde(PulseTopics.MODEL_WEIGHTS, serdeConfig);
             Serde<Prediction> predictionSerde = TopicSerdes.valueSerde(PulseTopics.USER_PREDICTIONS, serdeConfig)) {
            String eventsTopic = config.topic(PulseConfig.TOPIC_USER_EVENTS);
            String labelsTopic = config.topic(PulseConfig.TOPIC_LABELS);
            String weightsTopic = config.topic(PulseConfig.TOPIC_MODEL_WEIGHTS);
            String predictionsTopic = config.topic(PulseConfig.TOPIC_PREDICTIONS);
            TestInputTopic<byte[], byte[]> events = driver.createInputTopic(eventsTopic, new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<String, byte[]> labels = driver.createInputTopic(labelsTopic, new StringSerializer(),
                    new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> weights = driver.createInputTopic(weightsTopic, new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> predictions = driver.createOutputTopic(predictionsTopic,
                    new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<byte[], byte[]> fraudAlerts = driver.createOutputTopic(
                    config.topic(PulseConfig.TOPIC_FRAUD_ALERTS), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            TestOutputTopic<byte[], byte[]> churnAlerts = driver.createOutputTopic(
                    config.topic(PulseConfig.TOPIC_CHURN_ALERTS), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(config.topic(PulseConfig.TOPIC_DLQ),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());

            adopt(weights, weightsTopic, bundleSerde, bundle, models,
                    HandbookFold.at(fold.warmUpStart()).toEpochMilli() - 1);
            Runnable drain = () -> {
                for (KeyValue<String, byte[]> kv : predictions.readKeyValuesToList()) {
                    counts[0]++;
                    Prediction p = predictionSerde.deserializer().deserialize(predictionsTopic, kv.value);
                    if (wanted.contains(p.getEventId())) {
                        if (!p.getModelVersion().equals(bundle.getVersion())) {
                            throw new IllegalStateException("event " + p.getEventId() + " scored by model "
                                    + p.getModelVersion());
                        }
                        scores.put(p.getEventId(), p.getFraudScore());
                    }
                }
                counts[1] += fraudAlerts.readValuesToList().size() + churnAlerts.readValuesToList().size();
                counts[2] += dlq.readValuesToList().size();
            };
            int total = ScoringStream.size(data, fold);
            long started = System.nanoTime();
            ScoringStream.feed(data, fold, new ScoringStream.Sink() {
                @Override
                public void event(UserEvent event) {
                    events.pipeInput(event.getUserId().getBytes(StandardCharsets.UTF_8),
                            eventSerde.serializer().serialize(eventsTopic, event),
                            event.getEventTime().toEpochMilli());
                }

                @Override
                public void label(Label label) {
                    labels.pipeInput(label.getUserId(), labelSerde.serializer().serialize(labelsTopic, label),
                            label.getObservedAt().toEpochMilli());
                }
            }, sent -> {
                drain.run();
                if (sent % 50_000 == 0 || sent == total) {
                    double s = (System.nanoTime() - started) / 1e9;
                    progress.accept(String.format(Locale.ROOT,
                            "  scored %,d / %,d events (%.0f events/s), %,d alerts, %,d dead letters", sent, total,
                            sent / Math.max(s, 1e-9), counts[1], counts[2]));
                }
            });
            drain.run();
            if (counts[2] > 0) {
                throw new IllegalStateException(counts[2] + " events went to the dead-letter topic");
            }
        } finally {
            deleteRecursively(stateDir);
        }
        return scores;
    }

    static String entitiesNote(List<EntityWindowSpec> entities) {
        return entities.isEmpty() ? "" : "; entity state kept by the topology (entities.types): "
                + HandbookEntities.describe(entities);
    }

    /**
     * Publishes {@code bundle} as the trainer does (model name -> Avro {@code ModelBundle} on {@code model-weights})
     * at {@code timestamp}, and checks the topology adopted it.
     */
    static void adopt(TestInputTopic<byte[], byte[]> weights, String weightsTopic, Serde<ModelBundle> bundleSerde,
            ModelBundle bundle, ModelHolder models, long timestamp) {
        weights.pipeInput(bundle.getName().getBytes(StandardCharsets.UTF_8),
                bundleSerde.serializer().serialize(weightsTopic, bundle), timestamp);
        if (!models.current().version().equals(bundle.getVersion())) {
            throw new IllegalStateException("the topology did not adopt the model " + bundle.getVersion()
                    + " (still " + models.current().version() + ")");
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

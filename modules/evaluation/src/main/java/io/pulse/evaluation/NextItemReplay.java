package io.pulse.evaluation;

import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.processing.ModelHolder;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.registry.serde.TopicSerdes;
import io.pulse.trainer.interest.NextItemServing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Replays users' item histories through the production topology ({@link PulseTopology#build} in Kafka Streams'
 * {@link TopologyTestDriver}: the real processors, RocksDB stores, Avro serdes with an in-memory {@code mock://}
 * registry, the model adopted from the {@code model-weights} topic) and keeps, per user, the {@link Prediction} the
 * pipeline published after the user's last replayed event — what a recommender reading {@code user-predictions}
 * would hold when the user's next item arrives.
 *
 * <p>Each history item is a {@code PURCHASE} of that item (category: its full path; the catalogue cuts it at its
 * level) at {@link NextItemServing#eventTime} of its position, the times the model was trained with. Users are
 * interleaved position by position, so stream time never goes back.
 */
final class NextItemReplay {

    /** One user to replay: id, item ids and category paths (null when unknown) in order. */
    record History(String userId, List<String> items, List<String> categories) {
    }

    private NextItemReplay() {
    }

    /**
     * @param recommendations how many items each prediction recommends ({@code interests.recommendations.k})
     * @param categories      how many categories it lists ({@code interests.categories.k})
     * @return per user id, the last prediction published for the user
     */
    static Map<String, Prediction> replay(List<History> users, ModelBundle bundle, int recommendations,
            int categories, Path workDir, Consumer<String> progress) throws IOException {
        Path stateDir = Files.createDirectories(workDir.resolve("next-item-replay"));
        Map<String, Object> c = new HashMap<>();
        c.put(PulseConfig.APPLICATION_ID, "pulse-next-item-evaluation");
        c.put(PulseConfig.STATE_DIR, stateDir.toString());
        c.put(PulseConfig.MODEL_NAME, bundle.getName());
        c.put(PulseConfig.HTTP_PORT, 0);
        c.put(PulseConfig.BOOTSTRAP_SERVERS, "topology-test-driver:9092");
        c.put(PulseConfig.SCHEMA_REGISTRY_URL, "mock://pulse-next-item-evaluation");
        c.put(PulseConfig.INTERESTS_RECOMMENDATIONS_K, recommendations);
        c.put(PulseConfig.INTERESTS_CATEGORIES_K, categories);
        c.put(PulseConfig.INTERESTS_SEEN_FILTER, true);
        c.put(PulseConfig.INTERESTS_SEEN_SIZE, PulseConfig.INTERESTS_SEEN_SIZE_MAX);
        PulseConfig config = new PulseConfig(c);
        Map<String, Object> serdeConfig = config.serdeConfig();
        ModelHolder models = PulseTopology.fallbackModel(config);
        Map<String, Prediction> last = new HashMap<>(users.size() * 2);
        int maxLength = users.stream().mapToInt(u -> u.items().size()).max().orElse(0);
        long total = users.stream().mapToLong(u -> u.items().size()).sum();
        try (TopologyTestDriver driver = new TopologyTestDriver(PulseTopology.build(config, models,
                PipelineMetrics.inMemory()), config.streamsProperties(), Instant.now());
             Serde<UserEvent> eventSerde = TopicSerdes.valueSerde(PulseTopics.USER_EVENTS, serdeConfig);
             Serde<ModelBundle> bundleSerde = TopicSerdes.valueSerde(PulseTopics.MODEL_WEIGHTS, serdeConfig);
             Serde<Prediction> predictionSerde = TopicSerdes.valueSerde(PulseTopics.USER_PREDICTIONS, serdeConfig)) {
            String eventsTopic = config.topic(PulseConfig.TOPIC_USER_EVENTS);
            String weightsTopic = config.topic(PulseConfig.TOPIC_MODEL_WEIGHTS);
            String predictionsTopic = config.topic(PulseConfig.TOPIC_PREDICTIONS);
            String deadLetters = config.topic(PulseConfig.TOPIC_DLQ);
            TestInputTopic<byte[], byte[]> events = driver.createInputTopic(eventsTopic, new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> weights = driver.createInputTopic(weightsTopic, new ByteArraySerializer(),
                    new ByteArraySerializer());
            DriverScorer.adopt(weights, weightsTopic, bundleSerde, bundle, models, NextItemServing.eventTime(0) - 1);
            TestOutputTopic<String, byte[]> predictions = driver.createOutputTopic(predictionsTopic,
                    new StringDeserializer(), new ByteArrayDeserializer());
            long sent = 0;
            long started = System.nanoTime();
            for (int position = 0; position < maxLength; position++) {
                for (History user : users) {
                    if (position >= user.items().size()) {
                        continue;
                    }
                    long time = NextItemServing.eventTime(position);
                    UserEvent event = UserEvent.newBuilder()
                            .setEventId(user.userId() + "-" + position)
                            .setUserId(user.userId())
                            .setType(EventType.PURCHASE)
                            .setEventTime(Instant.ofEpochMilli(time))
                            .setItemId(user.items().get(position))
                            .setCategory(user.categories().get(position))
                            .build();
                    events.pipeInput(user.userId().getBytes(StandardCharsets.UTF_8),
                            eventSerde.serializer().serialize(eventsTopic, event), time);
                    sent++;
                }
                for (KeyValue<String, byte[]> kv : predictions.readKeyValuesToList()) {
                    Prediction p = predictionSerde.deserializer().deserialize(predictionsTopic, kv.value);
                    if (!p.getModelVersion().equals(bundle.getVersion())) {
                        throw new IllegalStateException("event " + p.getEventId() + " scored by model "
                                + p.getModelVersion());
                    }
                    last.put(p.getUserId(), p);
                }
                // every other output (alerts, interests, dead letters) is read too, so the driver holds nothing
                for (String topic : driver.producedTopicNames()) {
                    if (topic.equals(predictionsTopic)) {
                        continue;
                    }
                    long records = driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                            new ByteArrayDeserializer()).readValuesToList().size();
                    if (topic.equals(deadLetters) && records > 0) {
                        throw new IllegalStateException(records + " replayed events went to the dead-letter topic");
                    }
                }
                if (position % 10 != 9 && position != maxLength - 1) {
                    continue;
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                progress.accept(String.format(Locale.ROOT, "  replayed position %d: %,d / %,d events (%.0f events/s)",
                        position + 1, sent, total, sent / Math.max(seconds, 1e-9)));
            }
        } finally {
            DriverScorer.deleteRecursively(stateDir);
        }
        return last;
    }
}

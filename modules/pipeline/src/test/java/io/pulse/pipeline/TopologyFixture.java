package io.pulse.pipeline;

import io.pulse.contracts.Alert;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.UserInterests;
import io.pulse.model.FeatureSpec;
import io.pulse.model.InterestCatalogues;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.processing.ModelHolder;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.registry.MockSchemaRegistry;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.registry.serde.SpecificAvroSerde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A {@link TopologyTestDriver} around the very topology and config the application uses, with a {@code mock://}
 * registry scope of its own, typed input and output topics, and helpers to write events as producers do.
 */
final class TopologyFixture implements AutoCloseable {

    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    final String scope = "topology-" + UUID.randomUUID();
    final PulseConfig config;
    final PipelineMetrics metrics = PipelineMetrics.inMemory();
    final ModelHolder models;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> events;
    final TestInputTopic<String, ModelBundle> modelWeights;
    final TestInputTopic<String, io.pulse.contracts.Label> labels;
    final TestOutputTopic<String, Prediction> predictions;
    final TestOutputTopic<String, UserInterests> userInterests;
    final TestOutputTopic<String, Alert> fraudAlerts;
    final TestOutputTopic<String, Alert> churnAlerts;
    final TestOutputTopic<String, Alert> interestAlerts;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestInputTopic<String, io.pulse.contracts.ErasureRequest> erasures;
    final TestOutputTopic<String, io.pulse.contracts.AuditRecord> audit;
    private final AvroSerializer<UserEvent> eventSerializer = new AvroSerializer<>();

    /**
     * A fixture serving a seeded-random interest model (hidden 16, item embedding 6, category embedding 3, level 2)
     * over {@code InterestCatalogues.catalogue(items, categories)}, adopted from the model-weights topic.
     */
    static TopologyFixture withInterestModel(Path stateDir, Map<String, String> overrides, int items,
            int categories) {
        TopologyFixture fixture = new TopologyFixture(stateDir, overrides);
        ModelBundle bundle = ModelBundles.seededRandom(fixture.config.getString(PulseConfig.MODEL_NAME), 7L, 16,
                FeatureSpec.v2(6, 3, 2), InterestCatalogues.catalogue(items, categories));
        fixture.modelWeights.pipeInput(bundle.getName(), bundle);
        return fixture;
    }

    TopologyFixture(Path stateDir, Map<String, String> overrides) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(PulseConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
        settings.put(PulseConfig.STATE_DIR, stateDir.toString());
        settings.put(PulseConfig.APPLICATION_ID, "pulse-test");
        settings.putAll(overrides);
        config = new PulseConfig(settings);
        models = PulseTopology.fallbackModel(config);
        Properties props = config.streamsProperties();
        driver = new TopologyTestDriver(PulseTopology.build(config, models, metrics), props, START);

        Map<String, Object> serde = config.serdeConfig();
        eventSerializer.configure(serde, false);
        events = driver.createInputTopic(config.topic(PulseConfig.TOPIC_USER_EVENTS), new ByteArraySerializer(),
                new ByteArraySerializer());
        SpecificAvroSerde<ModelBundle> bundles = new SpecificAvroSerde<>(ModelBundle.class);
        bundles.configure(serde, false);
        modelWeights = driver.createInputTopic(config.topic(PulseConfig.TOPIC_MODEL_WEIGHTS), new StringSerializer(),
                bundles.serializer());
        SpecificAvroSerde<io.pulse.contracts.Label> labelSerde = new SpecificAvroSerde<>(io.pulse.contracts.Label.class);
        labelSerde.configure(serde, false);
        labels = driver.createInputTopic(config.topic(PulseConfig.TOPIC_LABELS), new StringSerializer(),
                labelSerde.serializer());
        predictions = driver.createOutputTopic(config.topic(PulseConfig.TOPIC_PREDICTIONS), new StringDeserializer(),
                deserializer(Prediction.class, serde));
        userInterests = driver.createOutputTopic(config.topic(PulseConfig.TOPIC_USER_INTERESTS),
                new StringDeserializer(), deserializer(UserInterests.class, serde));
        fraudAlerts = driver.createOutputTopic(config.topic(PulseConfig.TOPIC_FRAUD_ALERTS),
                new StringDeserializer(), deserializer(Alert.class, serde));
        churnAlerts = driver.createOutputTopic(config.topic(PulseConfig.TOPIC_CHURN_ALERTS),
                new StringDeserializer(), deserializer(Alert.class, serde));
        interestAlerts = driver.createOutputTopic(config.topic(PulseConfig.TOPIC_INTEREST_ALERTS),
                new StringDeserializer(), deserializer(Alert.class, serde));
        deadLetters = driver.createOutputTopic(config.topic(PulseConfig.TOPIC_DLQ), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        SpecificAvroSerde<io.pulse.contracts.ErasureRequest> erasureSerde =
                new SpecificAvroSerde<>(io.pulse.contracts.ErasureRequest.class);
        erasureSerde.configure(serde, false);
        erasures = driver.createInputTopic(config.topic(PulseConfig.TOPIC_ERASURES), new StringSerializer(),
                erasureSerde.serializer());
        audit = driver.createOutputTopic(config.topic(PulseConfig.TOPIC_AUDIT), new StringDeserializer(),
                deserializer(io.pulse.contracts.AuditRecord.class, serde));
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> org.apache.kafka.common.serialization
            .Deserializer<T> deserializer(Class<T> type, Map<String, Object> serde) {
        SpecificAvroSerde<T> s = new SpecificAvroSerde<>(type);
        s.configure(serde, false);
        return s.deserializer();
    }

    /** An event of {@code userId} at {@code START + offset}. */
    static UserEvent.Builder event(String userId, EventType type, java.time.Duration offset) {
        return UserEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setUserId(userId)
                .setType(type)
                .setEventTime(START.plus(offset));
    }

    byte[] bytes(UserEvent event) {
        return eventSerializer.serialize(config.topic(PulseConfig.TOPIC_USER_EVENTS), event);
    }

    /** Produces {@code event} keyed by its user id, as a well-behaved producer would. */
    void send(UserEvent event) {
        events.pipeInput(event.getUserId().getBytes(StandardCharsets.UTF_8), bytes(event),
                event.getEventTime().toEpochMilli());
    }

    /** An erasure request for {@code userId}, keyed by it, as {@code pulse erase} writes it. */
    io.pulse.contracts.ErasureRequest erase(String userId) {
        io.pulse.contracts.ErasureRequest request = io.pulse.contracts.ErasureRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setUserId(userId)
                .setRequestedBy("test")
                .setRequestedAt(START)
                .setOrigin("test")
                .build();
        erasures.pipeInput(userId, request);
        return request;
    }

    void sendRaw(byte[] key, byte[] value) {
        events.pipeInput(key, value, START.toEpochMilli());
    }

    /** The user's state as stored, checked against the size budget. */
    io.pulse.pipeline.state.UserState stateOf(String userId) {
        byte[] bytes = this.<String, byte[]>keyValueStore(StateStores.USER_STATE).get(userId);
        if (bytes == null) {
            throw new AssertionError("no stored state for " + userId);
        }
        if (bytes.length > io.pulse.pipeline.state.UserStateCodec.MAX_BYTES) {
            throw new AssertionError("state of " + userId + " has " + bytes.length + " bytes, over the budget");
        }
        return new io.pulse.pipeline.state.UserStateCodec(io.pulse.model.FeatureSpec.v1()).decode(bytes);
    }

    <K, V> org.apache.kafka.streams.state.KeyValueStore<K, V> keyValueStore(String name) {
        return driver.getKeyValueStore(name);
    }

    <K, V> org.apache.kafka.streams.state.WindowStore<K, V> windowStore(String name) {
        return driver.getWindowStore(name);
    }

    @Override
    public void close() {
        driver.close();
        eventSerializer.close();
        MockSchemaRegistry.dropScope(scope);
    }
}

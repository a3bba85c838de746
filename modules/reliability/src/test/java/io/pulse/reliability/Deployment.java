package io.pulse.reliability;

import io.pulse.contracts.Prediction;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.pipeline.PulseConfig;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.testsupport.CommittedRecords;
import io.pulse.testsupport.TestTopics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One Pulse deployment in a test: an application id and its own topics (unique names, so tests sharing a broker never
 * see each other's records), and the settings every instance of it runs with.
 */
public final class Deployment {

    public static final int PARTITIONS = 4;

    private final String bootstrapServers;
    private final String registryUrl;
    private final String suffix;
    private final String eventsTopic;
    private final String labelsTopic;
    private AvroDeserializer<Prediction> predictionValues;

    private Deployment(String bootstrapServers, String registryUrl, String suffix, String eventsTopic,
            String labelsTopic) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.suffix = suffix;
        this.eventsTopic = eventsTopic;
        this.labelsTopic = labelsTopic;
    }

    /** A deployment with input topics of its own. */
    public static Deployment create(String bootstrapServers, String registryUrl, String prefix) {
        String suffix = TestTopics.unique(prefix);
        return new Deployment(bootstrapServers, registryUrl, suffix,
                PulseTopics.USER_EVENTS.name() + "-" + suffix, PulseTopics.USER_LABELS.name() + "-" + suffix);
    }

    /** A second deployment reading the same input topics, writing to outputs of its own (a reference run). */
    public Deployment sameInput(String prefix) {
        return new Deployment(bootstrapServers, registryUrl, TestTopics.unique(prefix), eventsTopic, labelsTopic);
    }

    /** Settings of one instance; {@code extra} wins. */
    public Map<String, String> settings(Path stateDir, Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(PulseConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        settings.put(PulseConfig.SCHEMA_REGISTRY_URL, registryUrl);
        settings.put(PulseConfig.APPLICATION_ID, applicationId());
        settings.put(PulseConfig.STATE_DIR, stateDir.toString());
        settings.put(PulseConfig.TOPIC_USER_EVENTS, eventsTopic);
        settings.put(PulseConfig.TOPIC_LABELS, labelsTopic);
        settings.put(PulseConfig.TOPIC_ERASURES, PulseTopics.USER_ERASURES.name() + "-" + suffix);
        settings.put(PulseConfig.TOPIC_AUDIT, "audit-" + suffix);
        settings.put(PulseConfig.TOPIC_DLQ, dlqTopic());
        settings.put(PulseConfig.TOPIC_PREDICTIONS, predictionsTopic());
        settings.put(PulseConfig.TOPIC_CHURN_ALERTS, "churn-" + suffix);
        settings.put(PulseConfig.TOPIC_FRAUD_ALERTS, "fraud-" + suffix);
        settings.put(PulseConfig.TOPIC_MODEL_WEIGHTS, weightsTopic());
        settings.put(PulseConfig.TOPIC_PARTITIONS, Integer.toString(PARTITIONS));
        // a member that vanished is noticed within seconds, not the default 45 s
        settings.put("consumer.session.timeout.ms", "10000");
        settings.putAll(extra);
        return settings;
    }

    public String applicationId() {
        return "pulse-" + suffix;
    }

    public String eventsTopic() {
        return eventsTopic;
    }

    public String labelsTopic() {
        return labelsTopic;
    }

    public String weightsTopic() {
        return "weights-" + suffix;
    }

    /**
     * The name Kafka Streams gives an internal topic of this deployment: {@code <application.id>-<name>}, e.g. a
     * store's {@code <store>-changelog} or a named repartition step's {@code <name>-repartition}.
     */
    public String internalTopic(String name) {
        return applicationId() + "-" + name;
    }

    public String predictionsTopic() {
        return "predictions-" + suffix;
    }

    public String dlqTopic() {
        return "dlq-" + suffix;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /**
     * Every committed prediction, by eventId; fails on a duplicate eventId (a duplicated output). The deserializer is
     * kept between calls, so schemas read once stay cached (as in any long-lived consumer) during a registry outage.
     */
    public Map<String, Prediction> committedPredictions() {
        Map<String, Prediction> byEvent = new HashMap<>();
        for (ConsumerRecord<String, Prediction> record : CommittedRecords.read(bootstrapServers, predictionsTopic(),
                new StringDeserializer(), keptOpen(predictionValues()))) {
            Prediction previous = byEvent.put(record.value().getEventId().toString(), record.value());
            if (previous != null) {
                throw new AssertionError("two predictions for event " + record.value().getEventId());
            }
        }
        return byEvent;
    }

    /** The consumer closes its deserializers; this one must live on with its cache. */
    private static <T> Deserializer<T> keptOpen(Deserializer<T> delegate) {
        return (topic, bytes) -> delegate.deserialize(topic, bytes);
    }

    private synchronized AvroDeserializer<Prediction> predictionValues() {
        if (predictionValues == null) {
            predictionValues = new AvroDeserializer<>(Prediction.class);
            predictionValues.configure(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
        }
        return predictionValues;
    }

    /** Every committed dead letter (original key and value bytes, reason headers). */
    public List<ConsumerRecord<byte[], byte[]>> committedDeadLetters() {
        return CommittedRecords.read(bootstrapServers, dlqTopic(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Progress of the predictions topic (see {@link CommittedRecords#endOffsetSum}); 0 before it exists. */
    public long predictionsProgress() {
        try {
            return CommittedRecords.endOffsetSum(bootstrapServers, predictionsTopic());
        } catch (RuntimeException e) {
            return 0;
        }
    }
}

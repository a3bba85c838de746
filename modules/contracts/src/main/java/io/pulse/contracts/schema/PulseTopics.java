package io.pulse.contracts.schema;

import io.pulse.contracts.Alert;
import io.pulse.contracts.AuditRecord;
import io.pulse.contracts.ErasureRequest;
import io.pulse.contracts.Label;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.UserInterests;
import io.pulse.contracts.schema.Topic.Settings;
import io.pulse.contracts.schema.Topic.TopicSpec;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of Pulse's topics (see the README's topic table): each topic's default name, key and value types and
 * creation settings, in one place. Every component lets the user rename a topic (the pipeline's {@code topic.*} keys,
 * the launcher's options); a configured name replaces the default with {@link Topic#withName(String)} and keeps the
 * types and settings. Serdes for a topic: {@code io.pulse.registry.serde.TopicSerdes}.
 */
public final class PulseTopics {

    /**
     * The default names as compile-time constants, for annotation defaults (command-line options); everywhere else
     * use the topic's {@link Topic#name()}.
     */
    public static final class Names {
        public static final String USER_EVENTS = "user-events";
        public static final String USER_EVENTS_DLQ = "user-events-dlq";
        public static final String USER_PREDICTIONS = "user-predictions";
        public static final String USER_INTERESTS = "user-interests";
        public static final String CHURN_ALERTS = "churn-alerts";
        public static final String FRAUD_ALERTS = "fraud-alerts";
        public static final String INTEREST_ALERTS = "interest-alerts";
        public static final String MODEL_WEIGHTS = "model-weights";
        public static final String USER_LABELS = "user-labels";
        public static final String USER_ERASURES = "user-erasures";
        public static final String PULSE_AUDIT = "pulse-audit";

        private Names() {
        }
    }

    /** Input: {@code UserEvent}s keyed by user id. */
    public static final Topic<String, UserEvent> USER_EVENTS = userKeyed(Names.USER_EVENTS, String.class,
            UserEvent.class, Map.of());
    /** Input records Pulse could not use: original key and value bytes plus reason headers. */
    public static final Topic<byte[], byte[]> USER_EVENTS_DLQ = userKeyed(Names.USER_EVENTS_DLQ, byte[].class,
            byte[].class, Map.of());
    /** One {@code Prediction} per accepted event. */
    public static final Topic<String, Prediction> USER_PREDICTIONS = userKeyed(Names.USER_PREDICTIONS, String.class,
            Prediction.class, Map.of());
    /**
     * {@code UserInterests}: per user the latest next categories and recommendations, for recommenders that read the
     * state without calling Pulse. Compacted: the latest record per user is kept, and an erasure's tombstone removes
     * the user.
     */
    public static final Topic<String, UserInterests> USER_INTERESTS = userKeyed(Names.USER_INTERESTS, String.class,
            UserInterests.class, Map.of("cleanup.policy", "compact"));
    /** Churn {@code Alert}s. */
    public static final Topic<String, Alert> CHURN_ALERTS = userKeyed(Names.CHURN_ALERTS, String.class, Alert.class,
            Map.of());
    /** Fraud {@code Alert}s. */
    public static final Topic<String, Alert> FRAUD_ALERTS = userKeyed(Names.FRAUD_ALERTS, String.class, Alert.class,
            Map.of());
    /** Interest-shift {@code Alert}s: a user's predicted next categories moved far from their interest profile. */
    public static final Topic<String, Alert> INTEREST_ALERTS = userKeyed(Names.INTEREST_ALERTS, String.class,
            Alert.class, Map.of());
    /** Delayed ground truth, {@code Label}s keyed by user id. */
    public static final Topic<String, Label> USER_LABELS = userKeyed(Names.USER_LABELS, String.class, Label.class,
            Map.of());
    /** {@code ErasureRequest}s keyed by user id; co-partitioned with {@link #USER_EVENTS}. */
    public static final Topic<String, ErasureRequest> USER_ERASURES = userKeyed(Names.USER_ERASURES, String.class,
            ErasureRequest.class, Map.of());
    /**
     * {@code AuditRecord}s of administrative actions (erasures), keyed by their subject; kept until deleted: an audit
     * trail is not aged out by the broker's default retention.
     */
    public static final Topic<String, AuditRecord> PULSE_AUDIT = userKeyed(Names.PULSE_AUDIT, String.class,
            AuditRecord.class, Map.of("retention.ms", "-1"));
    /** {@code ModelBundle}s keyed by model name: a single compacted partition (one small record per model). */
    public static final Topic<String, ModelBundle> MODEL_WEIGHTS = new Topic<>(Names.MODEL_WEIGHTS, String.class,
            ModelBundle.class, Settings.fixed(1, Map.of("cleanup.policy", "compact",
                    // a bundle is a few hundred KB; leave room for larger models
                    "max.message.bytes", String.valueOf(16 * 1024 * 1024))));

    /** Every topic of the contract, in the order of the README's table. */
    public static final List<Topic<?, ?>> ALL = List.of(USER_EVENTS, USER_EVENTS_DLQ, USER_PREDICTIONS,
            USER_INTERESTS, CHURN_ALERTS, FRAUD_ALERTS, INTEREST_ALERTS, USER_LABELS, USER_ERASURES, PULSE_AUDIT,
            MODEL_WEIGHTS);

    private PulseTopics() {
    }

    private static <K, V> Topic<K, V> userKeyed(String name, Class<K> keyType, Class<V> valueType,
            Map<String, String> configs) {
        return new Topic<>(name, keyType, valueType, Settings.userKeyed(configs));
    }

    /**
     * All contract topics under their default names, user-keyed topics with {@code userPartitions} partitions (they
     * are co-partitioned), {@code model-weights} a single compacted partition.
     */
    public static List<TopicSpec> defaults(int userPartitions) {
        if (userPartitions < 1) {
            throw new IllegalArgumentException("userPartitions must be at least 1, was " + userPartitions);
        }
        return ALL.stream().map(topic -> topic.spec(userPartitions)).toList();
    }
}

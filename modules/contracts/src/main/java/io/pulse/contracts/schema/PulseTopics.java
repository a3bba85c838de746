package io.pulse.contracts.schema;

import java.util.List;
import java.util.Map;

/**
 * The default topic names of the Pulse data contract (see the README's topic table). Every component lets the user
 * rename them; these are the names used when nothing is configured.
 */
public final class PulseTopics {

    /** Input: {@code UserEvent}s keyed by user id. */
    public static final String USER_EVENTS = "user-events";
    /** Input records Pulse could not use: original key and value bytes plus reason headers. */
    public static final String USER_EVENTS_DLQ = "user-events-dlq";
    /** One {@code Prediction} per accepted event. */
    public static final String USER_PREDICTIONS = "user-predictions";
    /** Churn {@code Alert}s. */
    public static final String CHURN_ALERTS = "churn-alerts";
    /** Fraud {@code Alert}s. */
    public static final String FRAUD_ALERTS = "fraud-alerts";
    /** {@code ModelBundle}s keyed by model name; compacted. */
    public static final String MODEL_WEIGHTS = "model-weights";
    /** Delayed ground truth, {@code Label}s keyed by user id. */
    public static final String USER_LABELS = "user-labels";
    /** {@code ErasureRequest}s keyed by user id; co-partitioned with {@link #USER_EVENTS}. */
    public static final String USER_ERASURES = "user-erasures";
    /** {@code AuditRecord}s of administrative actions (erasures), keyed by their subject; kept until deleted. */
    public static final String PULSE_AUDIT = "pulse-audit";
    /** Topic configs of {@link #PULSE_AUDIT}: an audit trail is not aged out by the broker's default retention. */
    public static final Map<String, String> AUDIT_CONFIGS = Map.of("retention.ms", "-1");

    /**
     * One topic of the contract as a local development setup creates it.
     *
     * @param name       topic name
     * @param partitions partition count (user-keyed topics share one count so they are co-partitioned)
     * @param configs    topic-level configs
     */
    public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    }

    private PulseTopics() {
    }

    /**
     * All contract topics with local-development partition counts: user-keyed topics share {@code userPartitions},
     * {@code model-weights} is a single compacted partition (one small record per model).
     */
    public static List<TopicSpec> defaults(int userPartitions) {
        if (userPartitions < 1) {
            throw new IllegalArgumentException("userPartitions must be at least 1, was " + userPartitions);
        }
        return List.of(
                new TopicSpec(USER_EVENTS, userPartitions, Map.of()),
                new TopicSpec(USER_EVENTS_DLQ, userPartitions, Map.of()),
                new TopicSpec(USER_PREDICTIONS, userPartitions, Map.of()),
                new TopicSpec(CHURN_ALERTS, userPartitions, Map.of()),
                new TopicSpec(FRAUD_ALERTS, userPartitions, Map.of()),
                new TopicSpec(USER_LABELS, userPartitions, Map.of()),
                new TopicSpec(USER_ERASURES, userPartitions, Map.of()),
                new TopicSpec(PULSE_AUDIT, userPartitions, AUDIT_CONFIGS),
                new TopicSpec(MODEL_WEIGHTS, 1, Map.of("cleanup.policy", "compact",
                        // a bundle is a few hundred KB; leave room for larger models
                        "max.message.bytes", String.valueOf(16 * 1024 * 1024))));
    }
}

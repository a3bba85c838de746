package io.pulse.pipeline.telemetry;

import io.pulse.contracts.Alert;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.validate.RejectReason;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * What the processors tell the outside world while they work: the one way from a stream thread (or the global
 * model-weights thread) to metrics, the live feed and live quality. Every method is cheap, never blocks on I/O and
 * never throws, so it may be called mid-event; none of them changes what the topology writes. The HTTP layer reads
 * the same facts from {@link PipelineMetrics}, which implements this interface.
 */
public interface Telemetry {

    /** An input record was read from {@code user-events}. */
    void eventReceived();

    /** An input record was refused and sent to the dead-letter topic. */
    void deadLettered(RejectReason reason);

    /** An event was dropped as a repeated delivery of an eventId already scored. */
    void duplicateDropped();

    /** Feature encoding, one LSTM step and the heads took {@code nanos} for one event. */
    void stepTook(long nanos);

    /** A user's state was re-warmed because another model produced it. */
    void rewarmed();

    /** An event's item had no row in the model's catalogue (missing, unknown or over-long id): scored as OOV. */
    void itemOutOfVocabulary();

    /** An event's category was missing or had no row in the model's catalogue: scored with the unknown row. */
    void categoryUnknown();

    /**
     * A prediction was written for {@code event}.
     *
     * @param ingestMillis the input record's timestamp
     * @param nowMillis    when the prediction was written (the processor's clock)
     */
    void predictionWritten(UserEvent event, Prediction prediction, long ingestMillis, long nowMillis);

    /** An alert was written. */
    void alertRaised(Alert alert);

    /** A due inactivity check was performed. */
    void inactivityChecked();

    /** A label was joined with the prediction that model {@code modelVersion} made for the labelled event. */
    void labelJoined(String modelVersion, LiveQuality.Head head, double score, boolean positive);

    /** A label found no logged prediction to join with (too old, or never scored here). */
    void labelUnmatched();

    /** A label could not be used (undecodable, no eventId, keyed by another user, or of another kind). */
    void labelRejected();

    /**
     * An entity step of {@code type} handled an event ({@code missing}: the event had no such entity and was given
     * the missing block) or applied a fraud label ({@code label}).
     */
    void entityRecord(String type, EntityOutcome outcome);

    /** What an entity step did with a record, for {@link #entityRecord}. */
    enum EntityOutcome {
        /** An event's entity features were computed, then the event was counted. */
        EVENT,
        /** An event had no entity of the type: scored with the missing block, no state created. */
        MISSING,
        /** A fraud label was applied to the entity of its event. */
        LABEL,
        /** A fraud label's entity has no state (nothing to apply it to). */
        LABEL_UNKNOWN_ENTITY
    }

    /**
     * An entity step of {@code type} started in task {@code taskId}: its store's size in bytes is read from that
     * task's RocksDB metrics among {@code streamsMetrics} (Kafka Streams' own, a live view), its key count and
     * hot-entity indicator from {@code view}; all only when metrics are read, from any thread.
     */
    void entityTaskOpened(String type, String taskId, Map<MetricName, ? extends Metric> streamsMetrics,
            EntityTaskView view);

    /** What an entity step publishes for its type's gauges; both readable from any thread. */
    interface EntityTaskView {
        /** The name of the task's entity store, whose RocksDB metrics give its size. */
        String storeName();

        /** Entities in the task's store. */
        double keys();

        /** The most frequent entity's share of the step's last window of events, NaN before any event. */
        double topKeyShare();
    }

    /** The entity step of {@code type} in task {@code taskId} closed (the task moved away or the client stopped). */
    void entityTaskClosed(String type, String taskId);

    /**
     * This instance's global store of entity type {@code type}'s broadcast snapshots opened (whenever the global thread
     * starts): {@code entries} gives their number when metrics are read, from any thread.
     */
    void entitySnapshotsOpened(String type, LongSupplier entries);

    /**
     * A broadcast snapshot of {@code type} reached this instance's global store {@code millis} (wall clock) after the
     * record time of the last event or label it counts (a record produced since the store opened).
     */
    void entitySnapshotLag(String type, long millis);

    /**
     * An event came back from the entity steps of {@code types} (comma-separated, in order) to the scoring task
     * {@code millis} after it was routed there (wall clock).
     */
    void entityRoundTrip(String types, long millis);

    /** A model bundle could not be used. */
    void modelRejected();

    /** A user was erased from the stores. */
    void userErased();

    /** An erasure request could not be used. */
    void erasureRejected();

    /**
     * Forgets what the in-memory views (the live feed) hold about {@code userId}, for erasure.
     *
     * @return how many entries were removed
     */
    long forgetUser(String userId);
}

package io.pulse.pipeline.processing;

import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.pipeline.state.ScoredEvent;
import io.pulse.pipeline.telemetry.LiveQuality;
import io.pulse.pipeline.telemetry.Telemetry;
import io.pulse.registry.serde.AvroDeserializer;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins delayed ground truth with the prediction Pulse made when the labelled event arrived, and feeds the live
 * quality metrics of the model version that made it. Labels come from {@code user-labels} (userId → Avro
 * {@code Label}), merged into the scoring processor's input so that both share the {@code scored-events} store; the
 * labels topic must therefore be co-partitioned with {@code user-events} (same partition count, keyed by userId).
 * Labels need an eventId; labels that cannot be decoded, have none, or whose prediction is older than the log's
 * retention are counted and skipped.
 */
public final class LabelJoiner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LabelJoiner.class);
    /** How far the label's appliesAt may be from the logged event time (clock skew between systems). */
    public static final Duration MATCH_TOLERANCE = Duration.ofDays(1);

    private final WindowStore<String, byte[]> log;
    private final Telemetry telemetry;
    private final AvroDeserializer<Label> deserializer;
    private final String topic;

    /**
     * @param log         the scored-events store
     * @param topic       the labels topic (for the registry's subject and error messages)
     * @param serdeConfig registry settings for decoding labels
     * @param telemetry   where label outcomes and live quality are reported
     */
    public LabelJoiner(WindowStore<String, byte[]> log, String topic, Map<String, Object> serdeConfig,
            Telemetry telemetry) {
        this.log = log;
        this.topic = topic;
        this.telemetry = telemetry;
        this.deserializer = new AvroDeserializer<>(Label.class);
        this.deserializer.configure(serdeConfig, false);
    }

    /**
     * Joins one label (its Avro bytes as they arrived). A label whose key is not its userId is rejected: the key chose
     * the partition, so the user's scored events may live in another task.
     */
    public void join(String key, byte[] value) {
        Label label;
        try {
            label = deserializer.deserialize(topic, value);
        } catch (SerializationException e) {
            LOG.debug("skipping an undecodable label: {}", e.getMessage());
            telemetry.labelRejected();
            return;
        }
        if (label == null || label.getEventId() == null || !label.getUserId().equals(key)
                || (label.getKind() != LabelKind.FRAUD && label.getKind() != LabelKind.CHURN)) {
            telemetry.labelRejected();
            return;
        }
        long appliesAt = label.getAppliesAt().toEpochMilli();
        ScoredEvent logged = logged(ScoredEvent.key(label.getUserId(), label.getEventId()), appliesAt);
        if (logged == null) {
            telemetry.labelUnmatched();
            return;
        }
        if (label.getKind() == LabelKind.FRAUD) {
            telemetry.labelJoined(logged.modelVersion(), LiveQuality.Head.FRAUD, logged.fraud(), label.getPositive());
        } else {
            telemetry.labelJoined(logged.modelVersion(), LiveQuality.Head.CHURN, logged.churn(), label.getPositive());
        }
    }

    private ScoredEvent logged(String key, long appliesAt) {
        try (WindowStoreIterator<byte[]> found = log.fetch(key, appliesAt - MATCH_TOLERANCE.toMillis(),
                appliesAt + MATCH_TOLERANCE.toMillis())) {
            if (!found.hasNext()) {
                return null;
            }
            ScoredEvent logged = ScoredEvent.decode(found.next().value);
            return logged.scored() ? logged : null; // a routed marker: its event has no scores yet
        }
    }

    @Override
    public void close() {
        deserializer.close();
    }
}

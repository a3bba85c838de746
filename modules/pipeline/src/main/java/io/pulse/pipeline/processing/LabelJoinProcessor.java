package io.pulse.pipeline.processing;

import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.pipeline.quality.LiveQuality;
import io.pulse.pipeline.quality.PredictionLog;
import io.pulse.registry.serde.AvroDeserializer;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins delayed ground truth with the prediction Pulse made when the labelled event arrived, and feeds the live
 * quality metrics of the model version that made it. Input: {@code user-labels} (userId → Avro {@code Label}),
 * co-partitioned with {@code user-events} (same partition count, keyed by userId) because it reads the
 * {@code prediction-log} store the scoring processor writes. Labels need an eventId; labels that cannot be decoded,
 * have none, or whose prediction is older than the log's retention are counted and skipped.
 */
public final class LabelJoinProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(LabelJoinProcessor.class);
    /** How far the label's appliesAt may be from the logged event time (clock skew between systems). */
    private static final Duration MATCH_TOLERANCE = Duration.ofDays(1);

    private final String logStoreName;
    private final Map<String, Object> serdeConfig;
    private final LiveQuality quality;
    private final LabelCounters counters;
    private WindowStore<String, byte[]> log;
    private AvroDeserializer<Label> deserializer;
    private String topic;

    /** Counts of what happened to labels. */
    public interface LabelCounters {
        void joined();

        void unmatched();

        void rejected();
    }

    public LabelJoinProcessor(String logStoreName, Map<String, Object> serdeConfig, LiveQuality quality,
            LabelCounters counters) {
        this.logStoreName = logStoreName;
        this.serdeConfig = serdeConfig;
        this.quality = quality;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        log = context.getStateStore(logStoreName);
        deserializer = new AvroDeserializer<>(Label.class);
        deserializer.configure(serdeConfig, false);
        topic = context.recordMetadata().map(m -> m.topic()).orElse("user-labels");
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Label label;
        try {
            label = deserializer.deserialize(topic, record.value());
        } catch (SerializationException e) {
            LOG.debug("skipping an undecodable label: {}", e.getMessage());
            counters.rejected();
            return;
        }
        if (label == null || label.getEventId() == null
                || (label.getKind() != LabelKind.FRAUD && label.getKind() != LabelKind.CHURN)) {
            counters.rejected();
            return;
        }
        long appliesAt = label.getAppliesAt().toEpochMilli();
        PredictionLog logged = null;
        try (WindowStoreIterator<byte[]> found = log.fetch(label.getEventId(),
                appliesAt - MATCH_TOLERANCE.toMillis(), appliesAt + MATCH_TOLERANCE.toMillis())) {
            if (found.hasNext()) {
                logged = PredictionLog.decode(found.next().value);
            }
        }
        if (logged == null) {
            counters.unmatched();
            return;
        }
        if (label.getKind() == LabelKind.FRAUD) {
            quality.record(logged.modelVersion(), LiveQuality.Head.FRAUD, logged.fraud(), label.getPositive());
        } else {
            quality.record(logged.modelVersion(), LiveQuality.Head.CHURN, logged.churn(), label.getPositive());
        }
        counters.joined();
    }

    @Override
    public void close() {
        if (deserializer != null) {
            deserializer.close();
        }
    }
}

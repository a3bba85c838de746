package io.pulse.pipeline.entities;

import io.pulse.pipeline.processing.InputRecord;
import io.pulse.pipeline.telemetry.Telemetry;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The end of the entity round trip, in the user's task right before scoring: turns an event back from the entity
 * steps into an {@link InputRecord.Enriched} for the scoring processor, and times its round trip — from when the
 * routing processor sent it ({@link EntityMessage#routedAtMillis()}) to now, both on the wall clock of this task's
 * instance (record timestamps cannot measure it: they travel with the record unchanged).
 */
public final class EntityResponseProcessor implements FixedKeyProcessor<String, EntityMessage, InputRecord> {

    private final String types;
    private final Telemetry telemetry;
    private FixedKeyProcessorContext<String, InputRecord> context;

    /**
     * @param types     the configured entity types, comma-separated in order (one round trip passes all of them)
     * @param telemetry where the round trip is timed
     */
    public EntityResponseProcessor(String types, Telemetry telemetry) {
        this.types = types;
        this.telemetry = telemetry;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, InputRecord> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, EntityMessage> record) {
        EntityMessage message = record.value();
        long routedAt = message.routedAtMillis();
        if (routedAt != EntityMessage.UNKNOWN) {
            // a clock step backwards (NTP) must not record a negative time
            telemetry.entityRoundTrip(types, Math.max(0L, System.currentTimeMillis() - routedAt));
        }
        context.forward(record.withValue(new InputRecord.Enriched(message.eventBytes(), message.features())));
    }
}

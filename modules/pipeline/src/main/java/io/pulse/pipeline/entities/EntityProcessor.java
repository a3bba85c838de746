package io.pulse.pipeline.entities;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.pipeline.telemetry.Telemetry;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The step of one entity type on the round trip ({@code entities.delivery=round-trip}), keyed by its entity id
 * (input: that type's request repartition topic). For an event: the entity's features as of the event's time and
 * <em>before</em> it ({@link EntityWindows#encode}) are written into the event's feature block, then the event is
 * counted ({@link EntityWindows#observe}) — the same order of operations as the trainer's {@code EntityReplay}; an
 * event without an entity of this type gets the missing block and creates no state. For a fraud label:
 * {@link EntityWindows#observeFraud} at the labelled transaction's time, when the label arrives here (so no event
 * sees a label before it arrived). The state is not idempotent: deduplication happened in the user's task before the
 * event was routed.
 *
 * <p>Output: the message, keyed by the next entity type's id (the user id where the event has none), or, after the
 * last type, events keyed by user id for the scoring processor (labels end at the last type). Store:
 * {@code entity-<type>} ({@link EntityTaskState}), entity id → {@link EntityWindows} bytes; no user id is ever stored.
 * Metrics: the outcome counts, and per task the store's key count, the hot-entity indicator ({@link HotKeys}) and the
 * store's RocksDB size, all read when metrics are scraped.
 */
public final class EntityProcessor implements Processor<String, EntityMessage, String, EntityMessage> {

    private final EntityTaskState state;
    private final int index;
    private final int offset;
    private final boolean last;
    private ProcessorContext<String, EntityMessage> context;

    /**
     * @param spec      the entity type's shape
     * @param index     its position among the configured entity types
     * @param offset    where its features start in an event's feature block
     * @param last      whether it is the last configured type (then events go back to scoring)
     * @param telemetry where outcomes are counted
     */
    public EntityProcessor(EntityWindowSpec spec, int index, int offset, boolean last, Telemetry telemetry) {
        this.state = new EntityTaskState(spec, telemetry);
        this.index = index;
        this.offset = offset;
        this.last = last;
    }

    @Override
    public void init(ProcessorContext<String, EntityMessage> context) {
        this.context = context;
        state.open(context);
    }

    @Override
    public void close() {
        state.close();
    }

    @Override
    public void process(Record<String, EntityMessage> record) {
        EntityMessage message = record.value();
        String id = message.entityId(index);
        if (message.isEvent()) {
            observe(id, message);
            context.forward(record.withKey(last ? message.userId() : message.keyFor(index + 1)));
        } else {
            if (id != null) { // else the labelled event had no entity of this type
                state.applyFraud(id, message.transactionMillis());
            }
            if (!last) {
                context.forward(record.withKey(message.keyFor(index + 1)));
            }
        }
    }

    /** Fills the event's block of this type and counts the event at its entity, when it has one. */
    private void observe(String id, EntityMessage message) {
        if (id == null) {
            EntityWindows.encodeMissing(state.spec(), message.features(), offset);
            state.missing();
            return;
        }
        EntityWindows stored = state.stored(id);
        EntityWindows windows = stored == null ? EntityWindows.empty(state.spec()) : stored;
        windows.encode(message.eventMillis(), message.features(), offset);
        state.observe(id, windows, stored == null, message.eventMillis(), message.amount());
    }
}

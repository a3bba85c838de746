package io.pulse.pipeline.entities;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.pipeline.processing.InputRecord;
import io.pulse.pipeline.state.StateStores;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Broadcast delivery of entity features ({@code entities.delivery=broadcast}), in the user's task right after the
 * routing step: each event's feature block is filled from the entity snapshots this instance holds (one global store
 * per type, {@link EntitySnapshotProcessor}) — the same {@link EntityWindows#encode} at the event's time that the
 * entity task would run, on the entity's windows as last published — and the event goes straight on to scoring as an
 * {@link InputRecord.Enriched}, keyed by its user again (routing keyed it by its first entity for the way to the
 * entity tasks; this is still the user's task, so no repartition is needed). An entity without a snapshot yet reads
 * as a new entity (empty windows), an event without the entity's attribute gets the missing block, exactly as on the
 * round trip. The event's entity ids go along for the scoring processor to record with the scores (the routing step
 * wrote no marker). What a snapshot can miss: the entity's events and labels of the last commit interval or so (not yet
 * committed and broadcast).
 */
public final class BroadcastFeaturesProcessor implements Processor<String, EntityMessage, String, InputRecord> {

    private final List<EntityWindowSpec> entities;
    private final KeyValueStore<String, byte[]>[] snapshots;
    private ProcessorContext<String, InputRecord> context;

    /** @param entities the configured entity types, in order (their blocks follow one another in this order) */
    @SuppressWarnings("unchecked")
    public BroadcastFeaturesProcessor(List<EntityWindowSpec> entities) {
        this.entities = List.copyOf(entities);
        this.snapshots = new KeyValueStore[entities.size()];
    }

    @Override
    public void init(ProcessorContext<String, InputRecord> context) {
        this.context = context;
        for (int k = 0; k < entities.size(); k++) {
            snapshots[k] = context.getStateStore(StateStores.entitySnapshots(entities.get(k).type()));
        }
    }

    @Override
    public void process(Record<String, EntityMessage> record) {
        EntityMessage message = record.value();
        // the routing step's fresh block, filled here: the requests topics carry the counting form, without it
        float[] features = message.features();
        int offset = 0;
        for (int k = 0; k < entities.size(); k++) {
            EntityWindowSpec spec = entities.get(k);
            String id = message.entityId(k);
            if (id == null) {
                EntityWindows.encodeMissing(spec, features, offset);
            } else {
                byte[] snapshot = snapshots[k].get(id);
                EntityWindows windows = snapshot == null ? EntityWindows.empty(spec)
                        : EntityWindows.fromBytes(spec, snapshot);
                windows.encode(message.eventMillis(), features, offset);
            }
            offset += spec.featureCount();
        }
        context.forward(record.withKey(message.userId())
                .withValue(new InputRecord.Enriched(message.eventBytes(), features, message.storedEntityIds())));
    }
}

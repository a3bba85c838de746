package io.pulse.pipeline.entities;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.pipeline.processing.InputRecord;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.Telemetry;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Broadcast delivery of entity features ({@code entities.delivery=broadcast}), in the user's task right after the
 * routing step (input: routed events and positive fraud labels, keyed by user id). Each partition of the pipeline
 * counts its own users' events and labels into <em>partial</em> windows per entity, in its {@code entity-<type>} store
 * ({@link EntityTaskState}); an entity's windows are the sum of its partials ({@link EntityWindows#add}). Every
 * instance keeps the other partitions' partials in a global store per type ({@link EntityPartialsProcessor}, read from
 * the entity store's changelog). For an event, per type: the entity's features as of the event's time and before it
 * ({@link EntityWindows#encode}) from this partition's partial, current, plus the other partitions' as of their last
 * commit; then the event is counted into this partition's partial. For a fraud label: applied to this partition's
 * partial of each of the labelled event's entities (the partition that counted the event). No record leaves the
 * task for the entities, and no entity state is keyed elsewhere: a hot entity is counted where its users are.
 *
 * <p>With one partition the features are exactly the round trip's; with more, they miss the other partitions' events
 * and labels of about the last commit interval (not yet committed and read by the global thread). An event without
 * the entity's attribute gets the missing block, exactly as on the round trip. Output: events as
 * {@link InputRecord.Enriched}, with their entity ids for the scoring processor to record; labels end here (they
 * reach scoring, for the live-quality join, on their own branch).
 */
public final class BroadcastEntityProcessor implements Processor<String, EntityMessage, String, InputRecord> {

    private final List<EntityWindowSpec> entities;
    private final EntityTaskState[] states;
    private final KeyValueStore<String, byte[]>[] partials;
    private ProcessorContext<String, InputRecord> context;
    private int partition;

    /** @param entities the configured entity types, in order (their blocks follow one another in this order) */
    @SuppressWarnings("unchecked")
    public BroadcastEntityProcessor(List<EntityWindowSpec> entities, Telemetry telemetry) {
        this.entities = List.copyOf(entities);
        this.states = new EntityTaskState[entities.size()];
        for (int k = 0; k < states.length; k++) {
            states[k] = new EntityTaskState(this.entities.get(k), telemetry);
        }
        this.partials = new KeyValueStore[entities.size()];
    }

    @Override
    public void init(ProcessorContext<String, InputRecord> context) {
        this.context = context;
        this.partition = context.taskId().partition();
        for (int k = 0; k < states.length; k++) {
            states[k].open(context);
            partials[k] = context.getStateStore(StateStores.entityPartials(entities.get(k).type()));
        }
    }

    @Override
    public void close() {
        for (EntityTaskState state : states) {
            state.close();
        }
    }

    @Override
    public void process(Record<String, EntityMessage> record) {
        EntityMessage message = record.value();
        if (!message.isEvent()) {
            for (int k = 0; k < states.length; k++) {
                String id = message.entityId(k);
                if (id != null) { // else the labelled event had no entity of this type
                    states[k].applyFraud(id, message.transactionMillis());
                }
            }
            return;
        }
        // the routing step's fresh block, filled here
        float[] features = message.features();
        int offset = 0;
        for (int k = 0; k < states.length; k++) {
            EntityWindowSpec spec = entities.get(k);
            String id = message.entityId(k);
            if (id == null) {
                EntityWindows.encodeMissing(spec, features, offset);
                states[k].missing();
            } else {
                EntityWindows stored = states[k].stored(id);
                EntityWindows own = stored == null ? EntityWindows.empty(spec) : stored;
                byte[] others = partials[k].get(id);
                if (others == null) {
                    own.encode(message.eventMillis(), features, offset);
                } else {
                    EntityWindows whole = EntityWindows.empty(spec);
                    EntityPartials.addTo(whole, others, partition);
                    // advances this partition's windows to the entity's state time: their sum with the other
                    // partitions' partials, the only thing ever read of them, is the same
                    whole.add(own);
                    whole.encode(message.eventMillis(), features, offset);
                }
                states[k].observe(id, own, stored == null, message.eventMillis(), message.amount());
            }
            offset += spec.featureCount();
        }
        context.forward(record.withValue(new InputRecord.Enriched(message.eventBytes(), features,
                message.storedEntityIds())));
    }
}

package io.pulse.pipeline.entities;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.Telemetry;
import io.pulse.pipeline.telemetry.Telemetry.EntityOutcome;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The step of one entity type, keyed by its entity id (input: that type's request repartition topic). For an event:
 * the entity's features as of the event's time and <em>before</em> it ({@link EntityWindows#encode}) are written into
 * the event's feature block, then the event is counted ({@link EntityWindows#observe}) — the same order of operations
 * as the trainer's {@code EntityReplay}; an event without an entity of this type gets the missing block and creates no
 * state. For a fraud label: {@link EntityWindows#observeFraud} at the labelled transaction's time, when the label
 * arrives here (so no event sees a label before it arrived). The state is not idempotent: deduplication happened in
 * the user's task before the event was routed.
 *
 * <p>Output: the message, keyed by the next entity type's id (the user id where the event has none), or, after the
 * last type, events keyed by user id for the scoring processor (labels end at the last type). With broadcast delivery
 * ({@code entities.delivery=broadcast}) events arrive in their counting form ({@link EntityMessage#counting()}: no
 * block to fill) and also end at the last type (scoring has read the snapshots already); the snapshots are the
 * store's changelog, which Kafka Streams writes once per changed entity per commit (nothing is forwarded for them).
 * Store: {@code entity-<type>}, entity id → {@link EntityWindows} bytes; no user id is ever stored. Metrics: the
 * outcome counts, and per task the store's key count, the hot-entity indicator ({@link HotKeys}) and the store's
 * RocksDB size, all read when metrics are scraped.
 */
public final class EntityProcessor implements Processor<String, EntityMessage, String, EntityMessage>,
        Telemetry.EntityTaskView {

    private final EntityWindowSpec spec;
    private final int index;
    private final int offset;
    private final boolean last;
    private final boolean broadcast;
    private final Telemetry telemetry;
    private final HotKeys hotKeys = new HotKeys(HotKeys.DEFAULT_WINDOW);
    private ProcessorContext<String, EntityMessage> context;
    private KeyValueStore<String, byte[]> store;
    private String taskId;
    /**
     * Entities in this task's store: counted once at start, then one more per entity created (entities are never
     * deleted); written by the stream thread only, read by metric scrapes.
     */
    private volatile long keys;

    /**
     * @param spec      the entity type's shape
     * @param index     its position among the configured entity types
     * @param offset    where its features start in an event's feature block
     * @param last      whether it is the last configured type (then events go back to scoring)
     * @param broadcast whether scoring reads broadcast snapshots (then events end here)
     * @param telemetry where outcomes are counted
     */
    public EntityProcessor(EntityWindowSpec spec, int index, int offset, boolean last, boolean broadcast,
            Telemetry telemetry) {
        this.spec = spec;
        this.index = index;
        this.offset = offset;
        this.last = last;
        this.broadcast = broadcast;
        this.telemetry = telemetry;
    }

    @Override
    public void init(ProcessorContext<String, EntityMessage> context) {
        this.context = context;
        this.store = context.getStateStore(StateStores.entity(spec.type()));
        this.taskId = context.taskId().toString();
        // an exact count (RocksDB's estimate-num-keys counts every overwrite until compaction, and an entity store is
        // all overwrites: tens of times its key count); one pass over the keys at task start, then counted
        keys = countKeys(store);
        // the store's size in bytes comes from Kafka Streams' own RocksDB metrics of this task, read on scrape
        telemetry.entityTaskOpened(spec.type(), taskId, context.metrics().metrics(), this);
    }

    /** The keys in {@code store}, by one pass over them (a store's own count can be an estimate, or lag). */
    static long countKeys(KeyValueStore<String, byte[]> store) {
        long n = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    @Override
    public String storeName() {
        return StateStores.entity(spec.type());
    }

    @Override
    public double keys() {
        return keys;
    }

    @Override
    public double topKeyShare() {
        return hotKeys.share();
    }

    @Override
    public void close() {
        if (taskId != null) {
            telemetry.entityTaskClosed(spec.type(), taskId);
        }
    }

    @Override
    public void process(Record<String, EntityMessage> record) {
        EntityMessage message = record.value();
        String id = message.entityId(index);
        if (message.isEvent()) {
            observe(id, message);
            if (!last) {
                context.forward(record.withKey(message.keyFor(index + 1)));
            } else if (!broadcast) {
                context.forward(record.withKey(message.userId()));
            }
        } else {
            applyFraud(id, message.transactionMillis());
            if (!last) {
                context.forward(record.withKey(message.keyFor(index + 1)));
            }
        }
    }

    /** Counts the event at its entity, when it has one. */
    private void observe(String id, EntityMessage message) {
        // the counting form (broadcast delivery) has no block to fill: scoring reads the snapshots instead
        boolean fillBlock = !message.isCounting();
        if (id == null) {
            if (fillBlock) {
                EntityWindows.encodeMissing(spec, message.features(), offset);
            }
            telemetry.entityRecord(spec.type(), EntityOutcome.MISSING);
            return;
        }
        hotKeys.add(id);
        byte[] stored = store.get(id);
        if (stored == null) {
            keys++; // the only writer: a plain increment of the volatile is enough
        }
        EntityWindows windows = stored == null ? EntityWindows.empty(spec) : EntityWindows.fromBytes(spec, stored);
        if (fillBlock) {
            windows.encode(message.eventMillis(), message.features(), offset);
        }
        windows.observe(message.eventMillis(), message.amount());
        store.put(id, windows.toBytes());
        telemetry.entityRecord(spec.type(), EntityOutcome.EVENT);
    }

    /** Counts a fraud at the labelled event's entity, when the event had one this store knows. */
    private void applyFraud(String id, long transactionMillis) {
        if (id == null) {
            return; // the labelled event had no entity of this type
        }
        byte[] stored = store.get(id);
        if (stored == null) {
            telemetry.entityRecord(spec.type(), EntityOutcome.LABEL_UNKNOWN_ENTITY);
            return;
        }
        EntityWindows windows = EntityWindows.fromBytes(spec, stored);
        windows.observeFraud(transactionMillis);
        store.put(id, windows.toBytes());
        telemetry.entityRecord(spec.type(), EntityOutcome.LABEL);
    }
}

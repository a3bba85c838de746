package io.pulse.pipeline.entities;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.Telemetry;
import io.pulse.pipeline.telemetry.Telemetry.EntityOutcome;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One entity type's store in one task ({@code entity-<type>}, entity id → {@link EntityWindows} bytes) with what its
 * gauges read: the key count and the hot-entity indicator ({@link HotKeys}). The entity step of the round trip keeps
 * an entity's whole windows in it; with broadcast delivery the user's task keeps the windows of its own partition's
 * events and labels there (a partial, {@link BroadcastEntityProcessor}). Either way the counting is the same: an event
 * is observed at the entity, a fraud label applied to an entity the store knows; no user id is ever stored. The state
 * is not idempotent: deduplication happened in the user's task before.
 */
final class EntityTaskState implements Telemetry.EntityTaskView {

    private final EntityWindowSpec spec;
    private final Telemetry telemetry;
    private final HotKeys hotKeys = new HotKeys(HotKeys.DEFAULT_WINDOW);
    private KeyValueStore<String, byte[]> store;
    private String taskId;
    /**
     * Entities in this task's store: counted once at start, then one more per entity created (entities are never
     * deleted); written by the stream thread only, read by metric scrapes.
     */
    private volatile long keys;

    EntityTaskState(EntityWindowSpec spec, Telemetry telemetry) {
        this.spec = spec;
        this.telemetry = telemetry;
    }

    /** Connects to the task's store and registers the type's gauges for this task (a processor's {@code init}). */
    void open(ProcessorContext<?, ?> context) {
        this.store = context.getStateStore(storeName());
        this.taskId = context.taskId().toString();
        // an exact count (RocksDB's estimate-num-keys counts every overwrite until compaction, and an entity store is
        // all overwrites: tens of times its key count); one pass over the keys at task start, then counted
        keys = countKeys();
        // the store's size in bytes comes from Kafka Streams' own RocksDB metrics of this task, read on scrape
        telemetry.entityTaskOpened(spec.type(), taskId, context.metrics().metrics(), this);
    }

    private long countKeys() {
        long n = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    /** Unregisters the gauges (a processor's {@code close}). */
    void close() {
        if (taskId != null) {
            telemetry.entityTaskClosed(spec.type(), taskId);
        }
    }

    EntityWindowSpec spec() {
        return spec;
    }

    /** The windows this task's store holds for entity {@code id}, null for an entity it has not stored. */
    EntityWindows stored(String id) {
        byte[] stored = store.get(id);
        return stored == null ? null : EntityWindows.fromBytes(spec, stored);
    }

    /**
     * Counts an event at entity {@code id} into {@code windows} and stores them: {@code windows} is what
     * {@link #stored} returned for the entity, or, if that was null ({@code created}), new empty windows; the event's
     * features have been read from them already.
     */
    void observe(String id, EntityWindows windows, boolean created, long eventMillis, double amount) {
        hotKeys.add(id);
        if (created) {
            keys++; // the only writer: a plain increment of the volatile is enough
        }
        windows.observe(eventMillis, amount);
        store.put(id, windows.toBytes());
        telemetry.entityRecord(spec.type(), EntityOutcome.EVENT);
    }

    /** An event without an entity of this type: counted for the type's metrics, no state created. */
    void missing() {
        telemetry.entityRecord(spec.type(), EntityOutcome.MISSING);
    }

    /** Counts a fraud of the transaction at {@code transactionMillis} at entity {@code id}, if the store knows it. */
    void applyFraud(String id, long transactionMillis) {
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
}

package io.pulse.pipeline.entities;

import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.Telemetry;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps one entity type's broadcast snapshots in its global store, on every instance
 * ({@code entities.delivery=broadcast}): entity id → the latest {@code EntityWindows} bytes of the type's entity
 * store, read from that store's changelog (one record per changed entity per commit). The bytes are stored as they
 * came; {@link BroadcastFeaturesProcessor} decodes them when an event needs them. It counts the entities
 * ({@code pulse.entity.snapshots.keys}) and times each snapshot of a record produced since the store opened
 * ({@code pulse.entity.snapshot.lag}).
 */
public final class EntitySnapshotProcessor implements Processor<String, byte[], Void, Void> {

    private final String type;
    private final Telemetry telemetry;
    private ProcessorContext<Void, Void> context;
    private long startedAt;
    private final AtomicLong entities = new AtomicLong(); // read by the gauge, from the scrape's thread
    private KeyValueStore<String, byte[]> store;

    /** @param type the entity type, whose global store is {@code StateStores.entitySnapshots(type)} */
    public EntitySnapshotProcessor(String type, Telemetry telemetry) {
        this.type = type;
        this.telemetry = telemetry;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        startedAt = context.currentSystemTimeMs();
        store = context.getStateStore(StateStores.entitySnapshots(type));
        // the store's own count sees only what its global thread has flushed (Kafka Streams 4.4's in-memory store
        // stages writes until then, among them the read-back at start) or is RocksDB's estimate: one pass over the
        // keys as the store opens, then the processor keeps the count
        entities.set(EntityProcessor.countKeys(store));
        telemetry.entitySnapshotsOpened(type, entities::get);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return; // never written by Pulse; a snapshot without an entity id has no place
        }
        if (record.value() == null) {
            if (store.delete(record.key()) != null) {
                entities.decrementAndGet();
            }
        } else {
            if (store.get(record.key()) == null) {
                entities.incrementAndGet();
            }
            store.put(record.key(), record.value());
            // the changelog record carries the time of the last record the entity step counted into it; the lag is
            // only the live traffic's: the read-back at start (and a replay of old events) says nothing about it
            if (record.timestamp() >= startedAt) {
                telemetry.entitySnapshotLag(type, context.currentSystemTimeMs() - record.timestamp());
            }
        }
    }
}

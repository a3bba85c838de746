package io.pulse.pipeline.entities;

import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.Telemetry;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps one entity type's broadcast snapshots in its global store, on every instance
 * ({@code entities.delivery=broadcast}): entity id → the latest {@code EntityWindows} bytes of the type's entity
 * store, read from that store's changelog (one record per changed entity per commit). The bytes are stored as they
 * came; {@link BroadcastFeaturesProcessor} decodes them when an event needs them.
 */
public final class EntitySnapshotProcessor implements Processor<String, byte[], Void, Void> {

    private final String type;
    private final Telemetry telemetry;
    private KeyValueStore<String, byte[]> store;

    /** @param type the entity type, whose global store is {@code StateStores.entitySnapshots(type)} */
    public EntitySnapshotProcessor(String type, Telemetry telemetry) {
        this.type = type;
        this.telemetry = telemetry;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StateStores.entitySnapshots(type));
        telemetry.entitySnapshotsOpened(type, store::approximateNumEntries);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return; // never written by Pulse; a snapshot without an entity id has no place
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}

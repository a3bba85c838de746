package io.pulse.pipeline.entities;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps one entity type's partial windows in its global store, on every instance ({@code entities.delivery=broadcast}):
 * the source is the type's entity store's changelog, whose partition {@code p} holds the windows that the user task
 * of partition {@code p} counted (Kafka Streams writes it once per changed entity per commit, at the cache flush), so
 * each record replaces partition {@code p}'s entry of the entity ({@link EntityPartials}). Kafka Streams runs this
 * processor for the records it restores too, with their partition.
 */
public final class EntityPartialsProcessor implements Processor<String, byte[], Void, Void> {

    private final String storeName;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    /** @param storeName the global store ({@code StateStores.entityPartials(type)}) */
    public EntityPartialsProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return; // never written by Pulse; windows without an entity id have no place
        }
        int partition = context.recordMetadata().map(RecordMetadata::partition)
                .orElseThrow(() -> new IllegalStateException("a changelog record without its partition"));
        byte[] packed = EntityPartials.with(store.get(record.key()), partition, record.value());
        if (packed == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), packed);
        }
    }
}

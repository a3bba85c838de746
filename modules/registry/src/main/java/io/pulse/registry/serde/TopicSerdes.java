package io.pulse.registry.serde;

import io.pulse.contracts.schema.Topic;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The serdes of a catalogued {@link Topic}, from its key and value types: {@code String} keys as UTF-8,
 * {@code byte[]} as is, generated Avro classes as {@link SpecificAvroSerde}s in the Confluent wire format, configured
 * with the given registry config (at least {@code schema.registry.url}).
 */
public final class TopicSerdes {

    private TopicSerdes() {
    }

    /** A configured serde for the keys of {@code topic}. */
    public static <K> Serde<K> keySerde(Topic<K, ?> topic, Map<String, ?> registryConfig) {
        return serde(topic.keyType(), registryConfig, true);
    }

    /** A configured serde for the values of {@code topic}. */
    public static <V> Serde<V> valueSerde(Topic<?, V> topic, Map<String, ?> registryConfig) {
        return serde(topic.valueType(), registryConfig, false);
    }

    @SuppressWarnings("unchecked") // each branch checked the type it casts to
    private static <T> Serde<T> serde(Class<T> type, Map<String, ?> registryConfig, boolean isKey) {
        if (type == String.class) {
            return (Serde<T>) Serdes.String();
        }
        if (type == byte[].class) {
            return (Serde<T>) Serdes.ByteArray();
        }
        if (SpecificRecord.class.isAssignableFrom(type)) {
            return (Serde<T>) specific(type.asSubclass(SpecificRecord.class), registryConfig, isKey);
        }
        throw new IllegalArgumentException("no serde for " + type.getName()
                + ": a topic's keys and values are String, byte[] or a generated Avro class");
    }

    private static <R extends SpecificRecord> Serde<R> specific(Class<R> type, Map<String, ?> registryConfig,
            boolean isKey) {
        SpecificAvroSerde<R> serde = new SpecificAvroSerde<>(type);
        serde.configure(registryConfig, isKey);
        return serde;
    }
}

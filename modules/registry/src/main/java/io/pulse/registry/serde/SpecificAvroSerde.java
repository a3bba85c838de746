package io.pulse.registry.serde;

import io.pulse.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes.WrapperSerde;

/**
 * Serde for generated Avro classes in the Confluent wire format. Give the class to the constructor, or configure
 * {@code specific.avro.value.type} / {@code specific.avro.key.type} (or neither: the class is then found by the writer
 * schema's full name). Call {@link #configure} with at least {@code schema.registry.url} before use; Kafka Streams
 * does that for default serdes only.
 *
 * @param <T> the generated record class
 */
public class SpecificAvroSerde<T extends SpecificRecord> extends WrapperSerde<T> {

    /** Type from config, for Kafka to instantiate by class name. */
    public SpecificAvroSerde() {
        this(null, null);
    }

    /** Reads into {@code type}. */
    public SpecificAvroSerde(Class<T> type) {
        this(type, null);
    }

    /** Reads into {@code type} (nullable: from config), with a given client (nullable: from config). */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
        super(new AvroSerializer<>(client), new AvroDeserializer<>(client, type));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> specific = new HashMap<>(configs);
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        super.configure(specific, isKey);
    }
}

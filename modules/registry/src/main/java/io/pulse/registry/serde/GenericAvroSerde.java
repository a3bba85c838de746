package io.pulse.registry.serde;

import io.pulse.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes.WrapperSerde;

/**
 * Serde for {@link GenericRecord}s in the Confluent wire format: records come back with the writer's schema, strings
 * as {@code Utf8}, logical types as their underlying values. For tools that handle any topic without generated
 * classes. Configure with at least {@code schema.registry.url}.
 */
public class GenericAvroSerde extends WrapperSerde<GenericRecord> {

    /** Client from config. */
    public GenericAvroSerde() {
        this(null);
    }

    /** With a given client (nullable: from config). */
    public GenericAvroSerde(SchemaRegistryClient client) {
        super(new AvroSerializer<>(client), new AvroDeserializer<>(client, null));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> generic = new HashMap<>(configs);
        generic.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
        generic.remove(isKey ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE);
        super.configure(generic, isKey);
    }
}

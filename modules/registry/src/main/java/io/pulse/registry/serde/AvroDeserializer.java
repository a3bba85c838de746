package io.pulse.registry.serde;

import io.pulse.contracts.codec.InputReaders;
import io.pulse.registry.SchemaRegistryClient;
import io.pulse.registry.SchemaRegistryException;
import io.pulse.registry.SchemaRegistryHttpException;
import io.pulse.registry.internal.ClassTrust;
import io.pulse.registry.internal.Compatibility;
import io.pulse.registry.internal.MalformedAvroException;
import io.pulse.registry.internal.StrictBinaryDecoder;
import io.pulse.registry.internal.StrictDatumReaders;
import io.pulse.registry.internal.UnsupportedSchemaException;
import io.pulse.registry.internal.WireFormat;
import io.pulse.registry.serde.AvroWireFormatException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for Avro in the Confluent wire format. Reads the writer schema by the id in the header (cached
 * forever) and resolves it into the reader schema: the configured SpecificRecord class's, the generated class named
 * like the writer schema with {@code specific.avro.reader=true}, or the writer schema itself (GenericRecord).
 * {@code null} stays {@code null}. Anything that is not exactly one valid record raises
 * {@link AvroWireFormatException}, never a raw Avro or I/O exception and never a half-decoded record.
 *
 * @param <T> what it returns: a SpecificRecord type, or {@code GenericRecord}
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private final SerdeClient registry;
    private final Class<? extends SpecificRecord> fixedType;
    private boolean isKey;
    private boolean specificReader;
    private Class<? extends SpecificRecord> type;
    /** Per writer schema id; the reader schema is a function of the id for a configured instance. */
    private final Map<Integer, ReadPlan> plans = new ConcurrentHashMap<>();

    /** For Kafka to instantiate from config ({@code specific.avro.reader}, {@code specific.avro.*.type}). */
    public AvroDeserializer() {
        this(null, null);
    }

    /** Reads into {@code type}. */
    public AvroDeserializer(Class<? extends SpecificRecord> type) {
        this(null, type);
    }

    /** With a given client; the type (nullable) as in {@link #AvroDeserializer(Class)}. */
    public AvroDeserializer(SchemaRegistryClient client, Class<? extends SpecificRecord> type) {
        this.registry = new SerdeClient(client, "AvroDeserializer");
        this.fixedType = type;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = registry.configure(configs);
        this.isKey = isKey;
        this.type = fixedType != null ? fixedType : asSpecificType(config.specificType(isKey));
        this.specificReader = type != null || config.getBoolean(AvroSerdeConfig.SPECIFIC_AVRO_READER);
        if (type != null) {
            ClassTrust.trustPackageOf(type);
        }
        this.plans.clear();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        registry.requireConfigured();
        if (data.length == 0) {
            throw fail(topic, AvroWireFormatException.NO_SCHEMA_ID, Reason.EMPTY, "0 bytes", null);
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw fail(topic, AvroWireFormatException.NO_SCHEMA_ID, Reason.UNKNOWN_MAGIC_BYTE,
                    String.format("first byte is 0x%02x, expected 0x00", data[0] & 0xff), null);
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw fail(topic, AvroWireFormatException.NO_SCHEMA_ID, Reason.TRUNCATED_HEADER,
                    data.length + " byte(s)", null);
        }
        int id = WireFormat.readSchemaId(data);
        ReadPlan plan = plans.get(id);
        if (plan == null) {
            plan = plan(topic, id);
            plans.put(id, plan);
        }
        if (plan.incompatibility != null) {
            throw fail(topic, id, Reason.INCOMPATIBLE_SCHEMA, plan.incompatibility, null);
        }
        return decode(topic, id, plan.<T>reader(), data);
    }

    @Override
    public void close() {
        registry.close();
    }

    private T decode(String topic, int id, DatumReader<T> reader, byte[] data) {
        StrictBinaryDecoder decoder = new StrictBinaryDecoder(data, WireFormat.HEADER_SIZE,
                data.length - WireFormat.HEADER_SIZE);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (MalformedAvroException e) {
            throw fail(topic, id, e.isTruncated() ? Reason.TRUNCATED_PAYLOAD : Reason.CORRUPT_PAYLOAD,
                    e.getMessage(), e);
        } catch (EOFException e) {
            // only Avro's own guard throws this: an item count larger than the bytes left could hold
            throw fail(topic, id, Reason.CORRUPT_PAYLOAD, e.getMessage(), e);
        } catch (SecurityException e) {
            // Avro's class trust: a set-up problem that no record can fix, so not a wire-format failure
            throw new SerializationException("Avro refused to instantiate a class while reading topic " + topic
                    + " (schema id " + id + "): " + e.getMessage() + ". Trust its package with"
                    + " ClassSecurityValidator or the org.apache.avro.SERIALIZABLE_PACKAGES system property", e);
        } catch (IOException | RuntimeException e) {
            // invalid union/enum index surfaces as AvroTypeException or IndexOutOfBounds from Avro's resolver
            throw fail(topic, id, Reason.CORRUPT_PAYLOAD, e.toString(), e);
        } catch (StackOverflowError e) {
            // a recursive schema with absurd nesting; each level costs a byte, so a big payload can go deep
            throw fail(topic, id, Reason.CORRUPT_PAYLOAD, "nesting too deep", null);
        }
        if (decoder.remainingBytes() > 0) {
            throw fail(topic, id, Reason.TRAILING_BYTES, decoder.remainingBytes() + " byte(s) left after the record"
                    + " at offset " + decoder.position() + " of " + data.length, null);
        }
        return value;
    }

    private ReadPlan plan(String topic, int id) {
        Schema writer = writerSchema(topic, id);
        Schema reader;
        if (type != null) {
            reader = SpecificData.getForClass(type).getSchema(type);
        } else if (specificReader && isNamed(writer)) {
            Class<? extends SpecificRecord> generated = generatedClass(writer);
            if (generated == null) {
                return ReadPlan.incompatible("no SpecificRecord class " + writer.getFullName() + " on the classpath"
                        + " for specific.avro.reader=true");
            }
            reader = SpecificData.getForClass(generated).getSchema(generated);
        } else {
            return ReadPlan.of(StrictDatumReaders.generic(writer, writer));
        }
        if (!Compatibility.canRead(reader, writer)) {
            return ReadPlan.incompatible("writer schema " + writer.getFullName() + " (id " + id
                    + ") cannot be read as " + reader.getFullName() + ": "
                    + SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                            .getResult().getIncompatibilities());
        }
        ClassTrust.trustNamespacesOf(reader);
        // the record read on every event has a direct reader for data written with its own schema
        DatumReader<Object> direct = InputReaders.forSchemas(writer, reader);
        return ReadPlan.of(direct != null ? direct : StrictDatumReaders.specific(writer, reader));
    }

    private Schema writerSchema(String topic, int id) {
        if (id < 0) {
            // registries hand out positive ids; do not send a lookup for an id that cannot exist
            throw fail(topic, id, Reason.UNKNOWN_SCHEMA_ID, "negative schema id", null);
        }
        try {
            return registry.client().getSchemaById(id);
        } catch (SchemaRegistryHttpException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw fail(topic, id, Reason.REGISTRY_UNAVAILABLE, e.getMessage(), e);
            }
            // 404 (40403), or 400/422 for an id the registry considers invalid
            throw fail(topic, id, Reason.UNKNOWN_SCHEMA_ID, e.getMessage(), e);
        } catch (UnsupportedSchemaException e) {
            throw fail(topic, id, Reason.INCOMPATIBLE_SCHEMA, e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            throw fail(topic, id, Reason.REGISTRY_UNAVAILABLE, e.getMessage(), e);
        }
    }

    /**
     * The generated class for the writer's full name, or null. Loaded without initialising and accepted only if it
     * is a SpecificRecord, so a schema naming an arbitrary class cannot make Avro instantiate it.
     */
    private static Class<? extends SpecificRecord> generatedClass(Schema writer) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Class<?> candidate = Class.forName(writer.getFullName(), false,
                    loader != null ? loader : AvroDeserializer.class.getClassLoader());
            if (!SpecificRecord.class.isAssignableFrom(candidate)) {
                return null;
            }
            Class<? extends SpecificRecord> generated = candidate.asSubclass(SpecificRecord.class);
            ClassTrust.trustPackageOf(generated);
            return generated;
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static boolean isNamed(Schema schema) {
        return schema.getType() == Schema.Type.RECORD;
    }

    private static Class<? extends SpecificRecord> asSpecificType(Class<?> configured) {
        if (configured == null) {
            return null;
        }
        if (!SpecificRecord.class.isAssignableFrom(configured)) {
            throw new SerializationException(configured.getName() + " is not an Avro SpecificRecord (configured as "
                    + AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE + " / " + AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE + ")");
        }
        return configured.asSubclass(SpecificRecord.class);
    }

    private AvroWireFormatException fail(String topic, int id, Reason reason, String detail, Throwable cause) {
        return new AvroWireFormatException(topic, isKey, id, reason, detail, cause);
    }

    /** Either a reader or the reason no reader can exist for this writer schema (cached: schemas are immutable). */
    private static final class ReadPlan {
        final DatumReader<?> reader0;
        final String incompatibility;

        private ReadPlan(DatumReader<?> reader, String incompatibility) {
            this.reader0 = reader;
            this.incompatibility = incompatibility;
        }

        /** Unchecked by nature: T is the caller's claim about what the topic holds, as with any Deserializer. */
        @SuppressWarnings("unchecked")
        <R> DatumReader<R> reader() {
            return (DatumReader<R>) reader0;
        }

        static ReadPlan of(DatumReader<?> reader) {
            return new ReadPlan(reader, null);
        }

        static ReadPlan incompatible(String why) {
            return new ReadPlan(null, why);
        }
    }
}

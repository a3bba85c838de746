package io.pulse.registry.serde;

import io.pulse.contracts.codec.OutputWriters;
import io.pulse.registry.RegisteredSchema;
import io.pulse.registry.SchemaNotFoundException;
import io.pulse.registry.SchemaRegistryClient;
import io.pulse.registry.SchemaRegistryException;
import io.pulse.registry.internal.ClassTrust;
import io.pulse.registry.internal.Compatibility;
import io.pulse.registry.internal.JavaProperties;
import io.pulse.registry.internal.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro records (generated SpecificRecords or GenericRecords) in the Confluent wire format:
 * magic byte 0, the schema id as 4 bytes big-endian, the Avro binary encoding. {@code null} stays {@code null}
 * (tombstones). The registry is asked once per subject and schema, then never again; see {@link AvroSerdeConfig} for
 * the keys ({@code schema.registry.url}, {@code auto.register.schemas}, {@code use.latest.version}, ...).
 *
 * @param <T> the record type
 */
public class AvroSerializer<T> implements Serializer<T> {

    private final SerdeClient registry;
    private boolean isKey;
    private SubjectNameStrategy strategy;
    private boolean autoRegister;
    private boolean useLatestVersion;
    private boolean latestStrict;
    private boolean normalize;
    private boolean removeJavaProperties;
    private final Map<PlanKey, WritePlan> plans = new ConcurrentHashMap<>();
    /**
     * The plan used last, found again without computing the subject or hashing the schema: a sink writes one record
     * type to one topic, record after record (with the same topic string and schema instance).
     */
    private volatile LastPlan last;

    /** For Kafka to instantiate from config; {@link #configure} creates the client from {@code schema.registry.url}. */
    public AvroSerializer() {
        this(null);
    }

    /** With a given client, e.g. a {@code MockSchemaRegistryClient}; {@link #configure} still sets the options. */
    public AvroSerializer(SchemaRegistryClient client) {
        this.registry = new SerdeClient(client, "AvroSerializer");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = registry.configure(configs);
        this.isKey = isKey;
        this.strategy = config.subjectNameStrategy(isKey);
        this.autoRegister = config.getBoolean(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS);
        this.useLatestVersion = config.getBoolean(AvroSerdeConfig.USE_LATEST_VERSION);
        this.latestStrict = config.getBoolean(AvroSerdeConfig.LATEST_COMPATIBILITY_STRICT);
        this.normalize = config.getBoolean(AvroSerdeConfig.NORMALIZE_SCHEMAS);
        this.removeJavaProperties = config.getBoolean(AvroSerdeConfig.AVRO_REMOVE_JAVA_PROPS);
        this.plans.clear();
        this.last = null;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        registry.requireConfigured();
        if (!(data instanceof GenericContainer container)) {
            throw new SerializationException("AvroSerializer writes Avro records (SpecificRecord, GenericRecord),"
                    + " not " + data.getClass().getName() + " (topic " + topic + ")");
        }
        Schema schema = container.getSchema();
        LastPlan recent = last;
        WritePlan plan;
        String subject;
        if (recent != null && recent.schema() == schema && recent.topic().equals(topic)) {
            plan = recent.plan();
            subject = recent.subject();
        } else {
            subject = strategy.subject(topic, isKey, schema);
            plan = plans.get(new PlanKey(subject, schema));
            if (plan == null) {
                plan = plan(subject, data, schema);
                plans.put(new PlanKey(subject, schema), plan);
            }
            last = new LastPlan(topic, schema, subject, plan);
        }
        try {
            return plan.write(data);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot serialize " + schema.getFullName() + " for topic " + topic
                    + " (subject " + subject + ", schema id " + plan.id + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        registry.close();
    }

    private WritePlan plan(String subject, Object data, Schema schema) {
        DatumWriter<Object> writer = writerFor(data, schema);
        Schema registered = removeJavaProperties ? JavaProperties.strip(schema) : schema;
        try {
            if (autoRegister) {
                return new WritePlan(registry.client().register(subject, registered, normalize), writer, null);
            }
            if (useLatestVersion) {
                return latestPlan(subject, schema, writer);
            }
            return new WritePlan(registry.client().getId(subject, registered, normalize), writer, null);
        } catch (SchemaNotFoundException e) {
            throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject '"
                    + subject + "' and " + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS + "=false: register it first (or"
                    + " set " + AvroSerdeConfig.USE_LATEST_VERSION + "=true to write with the latest version). "
                    + e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot get a schema id for " + schema.getFullName() + " under subject '"
                    + subject + "': " + e.getMessage(), e);
        }
    }

    /**
     * Writes with the subject's latest schema. When it differs from the record's only in docs, defaults or properties
     * the bytes are the same, so the record is written as is; otherwise the record is converted by Avro's schema
     * resolution (written with its own schema, read back as the latest).
     */
    private WritePlan latestPlan(String subject, Schema schema, DatumWriter<Object> writer) {
        RegisteredSchema latest = registry.client().getLatest(subject);
        Schema target = latest.schema();
        if (SchemaNormalization.toParsingForm(target).equals(SchemaNormalization.toParsingForm(schema))) {
            return new WritePlan(latest.id(), writer, null);
        }
        if (latestStrict && !Compatibility.canRead(target, schema)) {
            throw new SerializationException("The latest schema of subject '" + subject + "' (version "
                    + latest.version() + ", id " + latest.id() + ") cannot read data written with "
                    + schema.getFullName() + "'s schema; register a compatible version, or set "
                    + AvroSerdeConfig.LATEST_COMPATIBILITY_STRICT + "=false to try anyway");
        }
        Conversion conversion = new Conversion(new GenericDatumReader<>(schema, target, GenericData.get()),
                new GenericDatumWriter<>(target, GenericData.get()));
        return new WritePlan(latest.id(), writer, conversion);
    }

    private static DatumWriter<Object> writerFor(Object data, Schema schema) {
        if (data instanceof SpecificRecord) {
            ClassTrust.trustPackageOf(data.getClass());
            // the records written on every event have a direct writer: the same bytes without Avro's generic walk
            DatumWriter<Object> direct = OutputWriters.forSchema(schema);
            if (direct != null) {
                return direct;
            }
            // the class's own model carries its logical-type conversions (timestamp-millis as Instant, ...)
            return new SpecificDatumWriter<>(schema, SpecificData.getForClass(data.getClass()));
        }
        return new GenericDatumWriter<>(schema, GenericData.get());
    }

    /** Reads bytes written with the record's schema as the latest schema; only used with use.latest.version. */
    private record Conversion(GenericDatumReader<Object> reader, DatumWriter<Object> writer) {
    }

    /** {@link #last}: a topic and schema instance, and the subject and plan they led to. */
    private record LastPlan(String topic, Schema schema, String subject, WritePlan plan) {
    }

    /**
     * Each thread's Avro encoder, reused from record to record: a buffered encoder writes into its own array and hands
     * the output stream whole blocks, where a direct encoder makes a (synchronized) stream call for every varint byte.
     */
    private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

    /**
     * Each thread's output buffer, reused from record to record: a record costs one array of its exact size (the
     * serializer's result, which the producer keeps until it is sent), not a growing buffer and a copy of it.
     */
    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    /** A byte buffer that starts each record afresh with the wire format's header. */
    private static final class Buffer extends ByteArrayOutputStream {

        /** Above this a buffer is not kept for the next record (one huge record must not pin its size). */
        private static final int KEPT_BYTES = 64 * 1024;

        private final byte[] header = new byte[WireFormat.HEADER_SIZE];

        Buffer() {
            super(1024);
        }

        void startRecord(int schemaId) {
            if (buf.length > KEPT_BYTES) {
                buf = new byte[1024];
            }
            reset();
            WireFormat.writeHeader(header, schemaId);
            write(header, 0, header.length);
        }
    }

    private record WritePlan(int id, DatumWriter<Object> writer, Conversion conversion) {

        byte[] write(Object data) throws IOException {
            Buffer out = BUFFERS.get();
            // first: re-targeting the encoder flushes what a failed record left in it to its sink, this buffer
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODERS.get());
            ENCODERS.set(encoder);
            out.startRecord(id);
            if (conversion == null) {
                writer.write(data, encoder);
            } else {
                ByteArrayOutputStream own = new ByteArrayOutputStream(128);
                BinaryEncoder ownEncoder = EncoderFactory.get().directBinaryEncoder(own, null);
                writer.write(data, ownEncoder);
                Object converted = conversion.reader.read(null,
                        DecoderFactory.get().binaryDecoder(own.toByteArray(), null));
                conversion.writer.write(converted, encoder);
            }
            encoder.flush();
            return out.toByteArray();
        }
    }

    /** Plans are per subject and schema: a topic may carry several record types (TopicRecordNameStrategy). */
    private record PlanKey(String subject, Schema schema) {
        PlanKey {
            Objects.requireNonNull(subject);
        }
    }
}

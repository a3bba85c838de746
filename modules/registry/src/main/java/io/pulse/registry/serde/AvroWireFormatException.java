package io.pulse.registry.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that could not be turned into a record, with the {@link Reason}. Thrown by {@link AvroDeserializer} instead of
 * whatever Avro would have thrown (EOFException, AvroRuntimeException, ArrayIndexOutOfBoundsException, ...), so error
 * handling can switch on the reason; {@link #isRecordAtFault()} separates records to dead-letter from registry outages
 * to retry.
 */
public class AvroWireFormatException extends SerializationException {

    /** What was wrong; each carries the hint shown in the message. */
    public enum Reason {
        /** Zero bytes (a tombstone is {@code null}, not empty). */
        EMPTY("a Confluent-format Avro record is never empty; a tombstone must be null, not 0 bytes"),
        /** The first byte is not the Confluent magic byte 0. */
        UNKNOWN_MAGIC_BYTE("the record was not written by a Confluent-format Avro serializer (plain JSON, a string,"
                + " raw Avro?); check the producer's serializer"),
        /** Fewer than the 5 header bytes. */
        TRUNCATED_HEADER("a Confluent-format record starts with 5 bytes: magic byte 0 and a 4-byte schema id"),
        /** The registry does not know the schema id. */
        UNKNOWN_SCHEMA_ID("the producer used another Schema Registry, or the schema was deleted; compare"
                + " schema.registry.url of producer and consumer"),
        /** The registry could not be asked (unreachable, retries exhausted, refused credentials). */
        REGISTRY_UNAVAILABLE("not the record's fault: retry once the Schema Registry is reachable"),
        /** The Avro data ends in the middle of a value. */
        TRUNCATED_PAYLOAD("the Avro data ends early: the record was cut short, or was not written with the schema"
                + " its id names"),
        /** The Avro data is not a valid encoding (bad length, index, boolean, UTF-8, repeated map key, ...). */
        CORRUPT_PAYLOAD("the bytes are not a valid Avro encoding for the writer schema"),
        /** Bytes left over after a complete record. */
        TRAILING_BYTES("bytes are left after the record: it was written with a different schema than its id names"),
        /** The writer schema cannot be read as the reader schema (e.g. another record type). */
        INCOMPATIBLE_SCHEMA("the writer schema cannot be read as the requested type; is this the right topic and"
                + " deserializer type?");

        private final String hint;

        Reason(String hint) {
            this.hint = hint;
        }

        /** Advice for the person reading the log. */
        public String hint() {
            return hint;
        }
    }

    /** Schema id value when the header was too short to hold one. */
    public static final int NO_SCHEMA_ID = -1;

    private final String topic;
    private final int schemaId;
    private final Reason reason;

    public AvroWireFormatException(String topic, boolean isKey, int schemaId, Reason reason, String detail,
            Throwable cause) {
        super(message(topic, isKey, schemaId, reason, detail), cause);
        this.topic = topic;
        this.schemaId = schemaId;
        this.reason = reason;
    }

    /** The topic the bytes came from. */
    public String topic() {
        return topic;
    }

    /** The schema id from the header, or {@link #NO_SCHEMA_ID} when there was no complete header. */
    public int schemaId() {
        return schemaId;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * True when the bytes themselves are bad and retrying cannot help (dead-letter the record); false only for
     * {@link Reason#REGISTRY_UNAVAILABLE}, where the same record will decode once the registry answers.
     */
    public boolean isRecordAtFault() {
        return reason != Reason.REGISTRY_UNAVAILABLE;
    }

    private static String message(String topic, boolean isKey, int schemaId, Reason reason, String detail) {
        String trimmed = detail == null ? "" : detail.strip();
        while (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return "Cannot deserialize " + (isKey ? "key" : "value") + " from topic '" + topic + "' (schema id "
                + (schemaId == NO_SCHEMA_ID ? "n/a" : Integer.toString(schemaId)) + "): " + reason + ": " + trimmed
                + ". Hint: " + reason.hint();
    }
}

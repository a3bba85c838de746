package io.pulse.pipeline.validate;

import io.pulse.registry.serde.AvroWireFormatException;

/**
 * Why an input record went to the dead-letter topic. The names are the values of the {@code pulse.dlq.reason} header
 * and the {@code reason} tag of the {@code pulse_dlq_records_total} metric: a stable contract for on-call tooling.
 */
public enum RejectReason {
    /** The value is null (a tombstone): an event topic has no deletes. */
    NULL_VALUE,
    /** The record has no key; Pulse needs the userId as key to partition state correctly. */
    NULL_KEY,
    /** The key bytes are not valid UTF-8. */
    KEY_NOT_UTF8,
    /** The key differs from the event's userId. */
    KEY_MISMATCH,
    /** Empty value. */
    EMPTY,
    /** The value does not start with the Confluent magic byte 0. */
    UNKNOWN_MAGIC_BYTE,
    /** Shorter than the 5-byte Confluent header. */
    TRUNCATED_HEADER,
    /** The schema id in the header is unknown to the registry. */
    UNKNOWN_SCHEMA_ID,
    /** The Avro payload ends early. */
    TRUNCATED_PAYLOAD,
    /** The Avro payload is not valid for its schema. */
    CORRUPT_PAYLOAD,
    /** Bytes are left over after the record: it was not written with the schema its id names. */
    TRAILING_BYTES,
    /** Valid Avro of a schema that cannot be read as a UserEvent. */
    INCOMPATIBLE_SCHEMA,
    /** userId empty, too long or containing control characters. */
    INVALID_USER_ID,
    /** eventId empty, too long or containing control characters. */
    INVALID_EVENT_ID,
    /** amount NaN, infinite or negative. */
    INVALID_AMOUNT,
    /** rating NaN, infinite or outside 0–10. */
    INVALID_RATING,
    /** eventTime before 1970-01-01. */
    EVENT_TIME_BEFORE_EPOCH,
    /** eventTime too far ahead of the pipeline's clock. */
    EVENT_TIME_IN_FUTURE,
    /** A string field or the attribute map is larger than the configured limits. */
    OVERSIZED_FIELD;

    /** The reason for a failed deserialization, or null if the failure is not the record's fault. */
    public static RejectReason of(AvroWireFormatException.Reason wireReason) {
        return switch (wireReason) {
            case EMPTY -> EMPTY;
            case UNKNOWN_MAGIC_BYTE -> UNKNOWN_MAGIC_BYTE;
            case TRUNCATED_HEADER -> TRUNCATED_HEADER;
            case UNKNOWN_SCHEMA_ID -> UNKNOWN_SCHEMA_ID;
            case TRUNCATED_PAYLOAD -> TRUNCATED_PAYLOAD;
            case CORRUPT_PAYLOAD -> CORRUPT_PAYLOAD;
            case TRAILING_BYTES -> TRAILING_BYTES;
            case INCOMPATIBLE_SCHEMA -> INCOMPATIBLE_SCHEMA;
            case REGISTRY_UNAVAILABLE -> null;
        };
    }
}

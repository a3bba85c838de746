package io.pulse.pipeline.validate;

import io.pulse.registry.serde.AvroWireFormatException;

/**
 * Why an input record went to the dead-letter topic. The names are the values of the {@code pulse.dlq.reason} header
 * and the {@code reason} tag of the {@code pulse_dlq_records_total} metric: a stable contract for on-call tooling.
 * Each reason carries the rule it enforces, in words; the README's "What happens to bad input" table is generated
 * from these (a test fails when the two differ).
 */
public enum RejectReason {
    /** The value is null (a tombstone): an event topic has no deletes. */
    NULL_VALUE("the value is null (a tombstone): an event topic has no deletes"),
    /** The record has no key; Pulse needs the userId as key to partition state correctly. */
    NULL_KEY("the record has no key (the key must be the userId: it decides which instance holds the user's state)"),
    /** The key bytes are not valid UTF-8. */
    KEY_NOT_UTF8("the key bytes are not valid UTF-8"),
    /** The key differs from the event's userId. */
    KEY_MISMATCH("the key is not exactly the event's userId (no trimming, no case folding: a different key would"
            + " put the user's state on another partition)"),
    /** Empty value. */
    EMPTY("the value has no bytes"),
    /** The value does not start with the Confluent magic byte 0. */
    UNKNOWN_MAGIC_BYTE("the value does not start with the Confluent magic byte 0 (JSON, random bytes, another"
            + " wire format)"),
    /** Shorter than the 5-byte Confluent header. */
    TRUNCATED_HEADER("the value is shorter than the 5-byte Confluent header"),
    /** The schema id in the header is unknown to the registry. */
    UNKNOWN_SCHEMA_ID("the schema id in the header is unknown to the Schema Registry"),
    /** The Avro payload ends early. */
    TRUNCATED_PAYLOAD("the Avro payload ends before the record does"),
    /** The Avro payload is not valid for its schema. */
    CORRUPT_PAYLOAD("the Avro payload is not valid for its schema (negative lengths, bad union index, invalid"
            + " enum index, strings that are not valid UTF-8, ...)"),
    /** Bytes are left over after the record: it was not written with the schema its id names. */
    TRAILING_BYTES("bytes are left over after the record: it was not written with the schema its id names"),
    /** Valid Avro of a schema that cannot be read as a UserEvent. */
    INCOMPATIBLE_SCHEMA("valid Avro of a schema that cannot be read as a UserEvent (another record type, or a"
            + " UserEvent missing required fields)"),
    /** userId empty, too long or containing control characters. */
    INVALID_USER_ID("userId is empty, longer than 256 characters, or contains a control, format (zero-width,"
            + " bidi override), line/paragraph separator, unpaired surrogate or U+FFFD character (text that was"
            + " invalid UTF-8 upstream)"),
    /** eventId empty, too long or containing control characters. */
    INVALID_EVENT_ID("eventId is empty, longer than 128 characters, or contains a character refused in ids (as"
            + " for userId)"),
    /** An entity id (configured {@code entities.types}) that breaks the id rules. */
    INVALID_ENTITY_ID("with entity types configured (`entities.types`): the event's entity id (its item id or the"
            + " attribute that names the entity) is longer than 128 characters or contains a character refused in"
            + " ids (as for userId); an absent or empty one is not refused: the event is scored with the entity's"
            + " features marked missing (`pulse_entity_records_total{outcome=\"missing\"}`)"),
    /** amount NaN, infinite, negative or above the configured maximum. */
    INVALID_AMOUNT("amount is NaN, infinite, negative, or above `validation.max.amount` (default 1e12)"),
    /** rating NaN, infinite or outside 0–10. */
    INVALID_RATING("rating is NaN, infinite, or outside 0–10"),
    /** eventTime before 1970-01-01. */
    EVENT_TIME_BEFORE_EPOCH("eventTime is before 1970-01-01 (negative epoch milliseconds)"),
    /** eventTime before the configured earliest event time. */
    EVENT_TIME_TOO_OLD("eventTime is before `validation.min.event.time.ms` (default 1990-01-01): usually epoch"
            + " seconds sent as milliseconds"),
    /** eventTime too far ahead of the pipeline's clock. */
    EVENT_TIME_IN_FUTURE("eventTime is more than `validation.max.future.ms` (default 1 h) ahead of the pipeline's"
            + " clock (e.g. the year 2100, or microseconds sent as milliseconds)"),
    /** A string field or the attribute map is larger than the configured limits. */
    OVERSIZED_FIELD("itemId, category, sessionId, an attribute key or value is longer than"
            + " `validation.max.string.length` (1024), or there are more than `validation.max.attributes` (64)"
            + " attributes");

    private final String rule;

    RejectReason(String rule) {
        this.rule = rule;
    }

    /** The rule this reason enforces, in words, as documented in the README. */
    public String rule() {
        return rule;
    }

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

/**
 * Direct Avro writers for the records Pulse writes on every event ({@code Prediction}, {@code UserInterests}): each
 * makes exactly the {@link org.apache.avro.io.Encoder} calls Avro's {@code SpecificDatumWriter} makes for its schema,
 * field by field, without the generic walk over the schema (a type switch, a logical-type lookup and a boxed getter
 * per field) and with the UTF-8 bytes of the strings that repeat from record to record (head names, catalogue ids,
 * model versions) encoded once. Same wire format, byte for byte (tested against Avro's writer); the serializer uses one
 * only for the exact schema it was written for ({@link OutputWriters}), and a changed schema fails the build's tests
 * until its writer follows. Likewise a direct reader for the record Pulse reads on every event ({@code UserEvent}),
 * used only for data written with exactly the reader's schema ({@link InputReaders}; anything else takes Avro's
 * resolving reader): the same calls on the same strict decoder, the same checks, the same record (tested against
 * Avro's reader on valid and on corrupted data).
 */
package io.pulse.contracts.codec;

/**
 * Kafka serdes for Avro in the Confluent wire format (byte 0 = magic 0, bytes 1..4 = big-endian schema id, then Avro
 * binary), interoperable with Confluent's serializers in any language and configured with Confluent's key names:
 * {@link io.pulse.registry.serde.AvroSerializer}, {@link io.pulse.registry.serde.AvroDeserializer},
 * {@link io.pulse.registry.serde.SpecificAvroSerde} and {@link io.pulse.registry.serde.GenericAvroSerde}. Input:
 * records on any topic; output: the bytes above, or records back. Bytes that are not a valid message never decode
 * into garbage: they raise {@link io.pulse.registry.serde.AvroWireFormatException}, whose reason says what was wrong
 * and whether the record (dead-letter it) or the registry (retry) is to blame.
 */
package io.pulse.registry.serde;

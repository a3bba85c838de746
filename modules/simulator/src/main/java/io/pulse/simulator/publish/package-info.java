/**
 * Writes simulated events to Kafka ({@code user-events} by default) with Pulse's own Confluent-compatible Avro
 * serializer, keyed by user id, so that any Confluent-compatible consumer can read them.
 */
package io.pulse.simulator.publish;

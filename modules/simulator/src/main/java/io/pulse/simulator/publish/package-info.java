/**
 * Writes simulated events (to {@code user-events} by default) and their delayed labels (to {@code user-labels}) with
 * Pulse's own Confluent-compatible Avro serializer, keyed by user id, so that any Confluent-compatible consumer can
 * read them: as fast as possible, or paced to the wall clock for live demos
 * ({@link io.pulse.simulator.publish.EventPublisher}). {@link io.pulse.simulator.publish.AvroProducers} builds the
 * producer, also used by {@link io.pulse.simulator.replay.Replayer}. {@link io.pulse.simulator.publish.Workload}
 * serializes a seeded load up front, for benchmarks and tests that replay the same bytes more than once.
 */
package io.pulse.simulator.publish;

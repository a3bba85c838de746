/**
 * Synthetic user behaviour: a seeded, reproducible stream of {@link io.pulse.contracts.UserEvent}s in event-time
 * order, produced by users whose activity rate and habits differ. No Kafka here; see
 * {@link io.pulse.simulator.publish} for writing the stream to a topic.
 */
package io.pulse.simulator;

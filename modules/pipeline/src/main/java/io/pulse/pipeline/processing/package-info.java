/**
 * The processors of the Pulse topology: validation with dead-lettering, scoring (deduplication, per-user state, one
 * LSTM step, heads, alerts, inactivity checks) and the global model-weights updater.
 */
package io.pulse.pipeline.processing;

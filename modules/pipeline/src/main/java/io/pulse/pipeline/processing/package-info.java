/**
 * The processors of the Pulse topology and what they delegate to: validation with dead-lettering
 * ({@link io.pulse.pipeline.processing.ValidateProcessor}), the per-event scoring path
 * ({@link io.pulse.pipeline.processing.ScoreProcessor}: deduplication, per-user state, one LSTM step, heads,
 * predictions and event alerts), the watch for alarming silences that runs beside it on the same task
 * ({@code InactivityWatch}: the inactivity index, its punctuator and the task clock), the label join
 * ({@link io.pulse.pipeline.processing.LabelJoiner}) and the global model-weights updater. Processors report through
 * {@link io.pulse.pipeline.telemetry.Telemetry} and never reach the HTTP layer.
 */
package io.pulse.pipeline.processing;

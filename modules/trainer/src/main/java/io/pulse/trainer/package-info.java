/**
 * The Pulse trainer: {@link io.pulse.trainer.TrainJob} runs one training round — a bounded snapshot of
 * {@code user-events} and {@code user-labels} (or a CSV log, or a simulation) into per-user sequences, a
 * Deeplearning4j LSTM with early stopping, baselines and metrics on the held-out period, a report with plots — and
 * publishes the new {@code ModelBundle} to {@code model-weights} only if it beats the current model there.
 */
package io.pulse.trainer;

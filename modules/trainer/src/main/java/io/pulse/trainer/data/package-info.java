/**
 * Training data: a {@link io.pulse.trainer.data.History} of user events and labels from a bounded Kafka snapshot of
 * {@code user-events} and {@code user-labels} ({@link io.pulse.trainer.data.KafkaSnapshot}), a CSV event log through a
 * column mapping ({@link io.pulse.trainer.data.CsvHistory}) or a simulation, turned into per-user sequences encoded
 * exactly as the pipeline encodes events, with next-action, churn and fraud labels per step and a time-based split
 * that never lets a period learn from its future ({@link io.pulse.trainer.data.TrainingData}); entity window features
 * come from one time-ordered replay of all users' events and labels ({@link io.pulse.trainer.data.EntityReplay}).
 *
 * <p>Memory does not grow with the history: a snapshot or CSV log is spilled to disk as it is read
 * ({@link io.pulse.trainer.data.EventLog}, in a {@link io.pulse.trainer.data.SpillDirectory}), the per-user
 * sequences are built by an external group-by in buckets of events ({@code SequenceBuilder}) into one file with an
 * index entry per user ({@code SequenceStore}), and {@link io.pulse.trainer.data.TrainingData#sequences()} decodes a
 * sequence when it is read.
 */
package io.pulse.trainer.data;

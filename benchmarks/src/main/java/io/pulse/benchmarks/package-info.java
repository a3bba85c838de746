/**
 * JMH benchmarks of the per-event model step: Pulse's plain-Java LSTM kernels against Deeplearning4j's
 * {@code rnnTimeStep} and against this CPU's arithmetic floor, and of the dashboard's live feed per prediction
 * ({@link io.pulse.benchmarks.LiveFeedBenchmark}), and of the Avro serdes per record on the scoring path
 * ({@link io.pulse.benchmarks.AvroSerdeBenchmark}), and the heap the broadcast entity snapshots take per entity
 * ({@link io.pulse.benchmarks.EntitySnapshotHeap}, a plain program: retained heap is not JMH's to measure). See
 * {@code benchmarks/README.md} for commands and results. {@link io.pulse.benchmarks.ResultsBlock} is the marked
 * section each benchmark owns in {@code benchmarks/RESULTS.md}; the end-to-end, soak and trainer benchmarks live in
 * the sub-packages.
 */
package io.pulse.benchmarks;

/**
 * The trainer part of issue #6's benchmark: how fast Pulse's Deeplearning4j trainer learns from a real event log.
 * {@link io.pulse.benchmarks.trainer.TrainerBenchmark} reads a CSV log through the trainer's own
 * {@link io.pulse.trainer.data.CsvHistory} (by default the fraud data set, 183 daily files) and runs one
 * {@link io.pulse.trainer.TrainJob} round with a fixed number of epochs and publishing off (no broker, no registry:
 * it reads no topic and writes none). It times every stage (load, prepare, each epoch split into the DL4J minibatches
 * and the trainer's loss pass, baselines and evaluation), derives sequences, events and chunks per second, records
 * peak heap, peak RSS and the machine, and writes the section between {@code <!-- trainer:begin -->} and
 * {@code <!-- trainer:end -->} of {@code benchmarks/RESULTS.md} ({@link io.pulse.benchmarks.trainer.ResultsBlock}).
 * {@link io.pulse.benchmarks.trainer.TrainerMemoryBenchmark} (issue #16) measures instead the peak memory of
 * {@code pulse train} in a child JVM on the data set and on it made N times longer
 * ({@link io.pulse.benchmarks.trainer.LongerHistory}), and writes a block of {@code benchmarks/OPERATIONS.md}.
 * Commands: {@code benchmarks/README.md}.
 */
package io.pulse.benchmarks.trainer;

/**
 * A pipeline run as an operator runs it, for the benchmarks that need a real process: {@code pulse pipeline} in a
 * child JVM that can be killed, stopped and started again ({@link io.pulse.benchmarks.child.ChildPipeline}), and
 * simulated events produced to it as a backlog or an open loop ({@link io.pulse.benchmarks.child.SimulatedFeed}).
 * Used by the soak and the recovery benchmarks. {@link io.pulse.benchmarks.child.ChildJvm} is the one definition of a
 * benchmark's child JVM command line (watched by its parent), for these and the other benchmarks' child processes.
 * {@link io.pulse.benchmarks.child.CpuPinning} puts a child on CPUs of its own and the benchmark's JVM on the others
 * (the end-to-end benchmark's {@code --latency-pipeline-cpus}).
 */
package io.pulse.benchmarks.child;

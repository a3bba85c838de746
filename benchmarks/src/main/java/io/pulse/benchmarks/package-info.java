/**
 * JMH benchmarks of the per-event model step: Pulse's plain-Java LSTM kernels against Deeplearning4j's
 * {@code rnnTimeStep} and against this CPU's arithmetic floor. See {@code benchmarks/README.md} for commands and
 * results.
 */
package io.pulse.benchmarks;

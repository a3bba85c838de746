/**
 * Reliability tests: Pulse's promises under crashes, outages and membership changes, proven on real brokers and a
 * real Schema Registry with the pipeline running as child processes ({@link io.pulse.reliability.PipelineProcess}).
 * {@link io.pulse.reliability.Deployment} names one deployment's topics and settings; the fault tests live in
 * {@code faults}, the multi-broker scale-out test in {@code scaleout}.
 */
package io.pulse.reliability;

/**
 * Small programs shipped in Pulse's container image for the places that cannot run a shell, because the image has
 * none: {@link io.pulse.deployment.probe.HttpProbe} is the pipeline's Compose health check (an HTTP GET that exits 0
 * on a 2xx answer), {@link io.pulse.deployment.probe.FreshnessProbe} the trainer's (a report written recently), and
 * {@link io.pulse.deployment.probe.NativeSelfTest} proves that the native libraries Pulse loads at run time (RocksDB,
 * Kafka's compression codecs, AWT's font stack, optionally ND4J) work inside the image. The probes run with
 * {@code -cp /app/classes}, the self-test with {@code -cp '/app/classes:/app/libs/*'}, instead of the image's
 * entrypoint.
 */
package io.pulse.deployment.probe;

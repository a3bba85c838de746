/**
 * Small programs shipped in Pulse's container image for the places that cannot run a shell, because the image has
 * none: {@link io.pulse.deployment.probe.HttpProbe} is the Compose health check (an HTTP GET that exits 0 on a 2xx
 * answer), and {@link io.pulse.deployment.probe.NativeSelfTest} proves that the native libraries Pulse loads at run
 * time (RocksDB, Kafka's compression codecs, AWT's font stack, optionally ND4J) work inside the image. Both run with
 * {@code -cp /app/classes} (plus {@code /app/libs/*} for the self-test) instead of the image's entrypoint.
 */
package io.pulse.deployment.probe;

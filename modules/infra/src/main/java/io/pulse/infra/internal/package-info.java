/**
 * Implementation details of {@code io.pulse.infra}: free-port discovery on the loopback interface, data directory
 * housekeeping, locating the unpacked Apicurio Registry distribution, the watchdog entry point that makes the
 * registry's child JVM exit when the JVM that started it dies, the registry's Confluent-path front with its
 * optional TLS and basic auth, and what the broker, the cluster and the registry share: their start-once lifecycle
 * ({@link io.pulse.infra.internal.StartOnce}) and topic creation. Not a public API: it may change without notice.
 */
package io.pulse.infra.internal;

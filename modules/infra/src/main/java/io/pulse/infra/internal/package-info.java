/**
 * Implementation details of {@code io.pulse.infra}: free-port discovery on the loopback interface, data directory
 * housekeeping, locating the unpacked Apicurio Registry distribution, the watchdog entry point that makes the
 * registry's child JVM exit when the JVM that started it dies, and the registry's Confluent-path front with its
 * optional TLS and basic auth. Not a public API: it may change without notice.
 */
package io.pulse.infra.internal;

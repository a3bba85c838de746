/**
 * Implementation details of {@code io.pulse.infra}: free-port discovery on the loopback interface, data directory
 * housekeeping, locating the unpacked Apicurio Registry distribution, and the watchdog entry point that makes the
 * registry's child JVM exit when the JVM that started it dies. Not a public API: it may change without notice.
 */
package io.pulse.infra.internal;

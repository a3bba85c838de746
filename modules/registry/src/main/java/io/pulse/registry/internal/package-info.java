/**
 * Implementation details of the registry client and serdes: HTTP transport with retries and fail-over, TLS set-up,
 * compatibility checks, the strict Avro binary decoder that turns malformed bytes into typed failures, schema
 * clean-up and class trust. Not an API: other modules use {@code io.pulse.registry} and
 * {@code io.pulse.registry.serde} only, and anything here may change without notice.
 */
package io.pulse.registry.internal;

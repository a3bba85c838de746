/**
 * Erasing a user ("right to be forgotten"): {@link io.pulse.pipeline.erasure.ErasureRequests} writes a request to
 * {@code user-erasures} (keyed by userId, co-partitioned with {@code user-events}); the
 * {@link io.pulse.pipeline.erasure.ErasureProcessor} deletes the user from every store on the stream thread that owns
 * them (tombstones reach the changelog topics), writes a tombstone for the user to the compacted
 * {@code user-interests} topic and an {@code AuditRecord} to {@code pulse-audit}, which
 * {@link io.pulse.pipeline.erasure.AuditTrail} follows to report the outcome.
 */
package io.pulse.pipeline.erasure;

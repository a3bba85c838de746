/**
 * The pipeline's HTTP surface on {@code http.host:http.port}: {@code GET /users/{id}} (a user's current prediction
 * and state summary, answered by the instance that owns the key and forwarded there if needed), {@code DELETE
 * /users/{id}} (an erasure request, behind the admin token), the dashboard and its {@code /api/}, {@code /health},
 * {@code /ready} and Prometheus {@code /metrics}. It reads what the stream threads report from the telemetry package
 * and the user-state store by the name {@code StateStores} gives it; it knows nothing of the topology's structure.
 */
package io.pulse.pipeline.http;

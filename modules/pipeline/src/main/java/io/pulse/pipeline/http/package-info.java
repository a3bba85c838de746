/**
 * The pipeline's HTTP surface on {@code http.host:http.port}: {@code GET /users/{id}} (a user's current prediction
 * and state summary, answered by the instance that owns the key and forwarded there if needed), {@code /health},
 * {@code /ready} and Prometheus {@code /metrics}.
 */
package io.pulse.pipeline.http;

/**
 * Real local servers for development and tests, listening on 127.0.0.1 only: {@link io.pulse.infra.LocalKafkaBroker}
 * (a single-node KRaft broker inside this JVM), {@link io.pulse.infra.LocalSchemaRegistry} (Apicurio Registry's
 * Confluent-compatible API, as a child process) and {@link io.pulse.infra.LocalInfra}, which starts both in parallel.
 * {@link io.pulse.infra.LocalKafkaCluster} runs several KRaft nodes (three by default, replication factor 3) in this
 * JVM for tests of replication, fail-over and scale-out.
 * They back {@code ./pulse infra}, the demo and every integration test; none of them is meant for production.
 * Both can secure their client-facing port for tests of transport security (TLS with a caller's
 * {@link io.pulse.infra.KeyStoreFile}, SASL/SCRAM on the broker, basic auth on the registry); by default they do not.
 * This module depends on {@code slf4j-api} only for logging: the application picks the backend.
 */
package io.pulse.infra;

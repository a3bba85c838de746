/**
 * A small client for a Confluent-compatible Schema Registry: {@link io.pulse.registry.SchemaRegistryClient} with a
 * REST implementation speaking the Confluent API (Confluent Schema Registry, Apicurio's {@code /apis/ccompat/v7}) and
 * an in-memory one for {@code mock://scope} URLs, chosen by {@link io.pulse.registry.SchemaRegistryClients#fromConfig}
 * from Confluent's own configuration keys so production configs carry over. Pulse carries this because Confluent's
 * Java client is not published to Maven Central. Failures are {@link io.pulse.registry.SchemaRegistryException}s that
 * keep the registry's HTTP status and error code; an unreachable registry is told apart from a refused request, and a
 * failed TLS handshake ({@link io.pulse.registry.SchemaRegistryTlsException}) from both.
 */
package io.pulse.registry;

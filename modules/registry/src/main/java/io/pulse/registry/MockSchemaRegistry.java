package io.pulse.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM-wide in-memory registries behind {@code mock://scope} URLs. Every client of one scope sees the same
 * subjects and ids, so a serializer and a deserializer configured separately (as Kafka Streams does) agree; different
 * scopes are isolated, so tests that use unique scope names do not see each other.
 */
public final class MockSchemaRegistry {

    private static final Map<String, MockSchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

    private MockSchemaRegistry() {
    }

    /** The registry of {@code scope}, created empty on first use. */
    public static MockSchemaRegistryClient getClientForScope(String scope) {
        return SCOPES.computeIfAbsent(scope, MockSchemaRegistryClient::new);
    }

    /** Forgets {@code scope}; the next use starts empty with ids from 1 again. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }
}

package io.pulse.registry.serde;

import io.pulse.registry.SchemaRegistryClient;
import io.pulse.registry.SchemaRegistryClientConfig;
import io.pulse.registry.SchemaRegistryClients;
import java.util.HashMap;
import java.util.Map;

/**
 * The registry client of one serializer or deserializer, and the configuration plumbing both share: an injected
 * client is used as it is and never closed; otherwise {@link #configure} creates one from
 * {@code schema.registry.url} and {@link #close} closes it.
 */
final class SerdeClient {

    private final SchemaRegistryClient injected;
    private final String owner;
    private SchemaRegistryClient client;

    /**
     * @param injected the client to use, or null to create one from the configuration
     * @param owner    the serde's class name, for "AvroSerializer is not configured"
     */
    SerdeClient(SchemaRegistryClient injected, String owner) {
        this.injected = injected;
        this.owner = owner;
    }

    /** Reads the serde configuration and sets the client (the injected one, or one created from the URL). */
    AvroSerdeConfig configure(Map<String, ?> configs) {
        Map<String, Object> withUrl = withPlaceholderUrl(configs, injected);
        AvroSerdeConfig config = new AvroSerdeConfig(withUrl);
        this.client = injected != null ? injected : SchemaRegistryClients.fromConfig(withUrl);
        return config;
    }

    /**
     * The client once configured.
     *
     * @throws IllegalStateException if {@link #configure} was not called yet
     */
    SchemaRegistryClient client() {
        if (client == null) {
            throw new IllegalStateException(owner + " is not configured: call configure(config, isKey) with "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL + " first");
        }
        return client;
    }

    /** @throws IllegalStateException if {@link #configure} was not called yet */
    void requireConfigured() {
        client();
    }

    /** Closes a client created here; an injected one belongs to whoever injected it. */
    void close() {
        if (client != null && injected == null) {
            client.close();
        }
    }

    /**
     * A copy of {@code configs}; with an injected client the URL is not needed, so a placeholder keeps the config
     * validation (which requires it for every other case) quiet.
     */
    private static Map<String, Object> withPlaceholderUrl(Map<String, ?> configs, SchemaRegistryClient injected) {
        Map<String, Object> copy = new HashMap<>(configs);
        if (injected != null) {
            copy.putIfAbsent(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, "injected://client");
        }
        return copy;
    }
}

package io.pulse.registry.serde;

import io.pulse.registry.SchemaRegistryClient;
import io.pulse.registry.SchemaRegistryClientConfig;
import java.util.HashMap;
import java.util.Map;

/** Config plumbing shared by the serializer and deserializer. */
final class SerdeConfigs {

    private SerdeConfigs() {
    }

    /**
     * A copy of {@code configs}; with an injected client the URL is not needed, so a placeholder keeps the config
     * validation (which requires it for every other case) quiet.
     */
    static Map<String, Object> withPlaceholderUrl(Map<String, ?> configs, SchemaRegistryClient injected) {
        Map<String, Object> copy = new HashMap<>(configs);
        if (injected != null) {
            copy.putIfAbsent(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, "injected://client");
        }
        return copy;
    }
}

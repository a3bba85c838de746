package io.pulse.registry;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** Creates the client a configuration asks for: in-memory for {@code mock://scope}, REST for http(s) URLs. */
public final class SchemaRegistryClients {

    /** URL scheme selecting {@link MockSchemaRegistry}. */
    public static final String MOCK_SCHEME = "mock://";

    private SchemaRegistryClients() {
    }

    /**
     * The client for {@code schema.registry.url} in {@code config}; other client keys as in
     * {@link SchemaRegistryClientConfig}.
     *
     * @throws ConfigException when the URL is missing (saying what to set) or mixes mock and real URLs
     */
    public static SchemaRegistryClient fromConfig(Map<String, ?> config) {
        SchemaRegistryClientConfig clientConfig = new SchemaRegistryClientConfig(config);
        List<String> urls = clientConfig.urls();
        long mocks = urls.stream().filter(SchemaRegistryClients::isMock).count();
        if (mocks == 0) {
            return new RestSchemaRegistryClient(clientConfig);
        }
        if (mocks != urls.size() || urls.size() != 1) {
            throw new ConfigException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, String.join(",", urls),
                    "a mock:// URL must be the only URL");
        }
        String scope = urls.get(0).substring(MOCK_SCHEME.length());
        if (scope.isEmpty()) {
            throw new ConfigException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, urls.get(0),
                    "name the scope, e.g. mock://my-test");
        }
        return MockSchemaRegistry.getClientForScope(scope);
    }

    private static boolean isMock(String url) {
        return url.regionMatches(true, 0, MOCK_SCHEME, 0, MOCK_SCHEME.length());
    }
}

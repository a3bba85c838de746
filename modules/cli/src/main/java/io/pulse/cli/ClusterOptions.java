package io.pulse.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster and the Schema Registry are. Defaults are the addresses {@code pulse infra} serves;
 * environment variables override the defaults and flags override both.
 */
public final class ClusterOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:PULSE_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env PULSE_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            defaultValue = "${env:PULSE_SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
            description = "Confluent-compatible Schema Registry URL (env PULSE_SCHEMA_REGISTRY_URL; "
                    + "default: ${DEFAULT-VALUE}).")
    String schemaRegistryUrl;

    @Option(names = {"-X", "--client-property"}, paramLabel = "KEY=VALUE",
            description = "Extra Kafka client or Schema Registry client property, e.g. -X security.protocol=SSL "
                    + "or -X basic.auth.user.info=user:secret. Repeatable.")
    Map<String, String> clientProperties = new HashMap<>();

    /** Kafka client and serde settings: bootstrap servers, registry URL and every {@code -X} property. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put("bootstrap.servers", bootstrapServers);
        config.put("schema.registry.url", schemaRegistryUrl);
        return config;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }
}

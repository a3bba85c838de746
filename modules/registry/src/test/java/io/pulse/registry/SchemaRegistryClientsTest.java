package io.pulse.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientsTest {

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope("clients");
    }

    @Test
    void shouldSayWhatToSetWhenTheUrlIsMissing() {
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(Map.of("bootstrap.servers", "127.0.0.1:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url")
                .hasMessageContaining("http://127.0.0.1:8081")
                .hasMessageContaining("mock://");
    }

    @Test
    void shouldPickTheInMemoryRegistryForMockUrls() {
        SchemaRegistryClient client = SchemaRegistryClients.fromConfig(Map.of("schema.registry.url", "mock://clients"));

        assertThat(client).isSameAs(MockSchemaRegistry.getClientForScope("clients"));
    }

    @Test
    void shouldPickTheRestClientForHttpUrlsAndIgnoreUnknownKeys() {
        SchemaRegistryClient client = SchemaRegistryClients.fromConfig(Map.of(
                "schema.registry.url", "http://127.0.0.1:8081, http://127.0.0.1:8082/apis/ccompat/v7",
                "bootstrap.servers", "127.0.0.1:9092", "some.unknown.key", 1));

        assertThat(client).isInstanceOf(RestSchemaRegistryClient.class)
                .hasToString("RestSchemaRegistryClient[http://127.0.0.1:8081, http://127.0.0.1:8082/apis/ccompat/v7]");
    }

    @Test
    void shouldRefuseMixingMockAndRealUrls() {
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(
                Map.of("schema.registry.url", "mock://clients,http://127.0.0.1:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mock:// URL must be the only URL");
    }

    @Test
    void shouldValidateTypedKeys() {
        assertThatThrownBy(() -> new SchemaRegistryClientConfig(
                Map.of("schema.registry.url", "http://127.0.0.1:8081", "max.retries", -1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max.retries");
        assertThatThrownBy(() -> new SchemaRegistryClientConfig(
                Map.of("schema.registry.url", "http://127.0.0.1:8081", "basic.auth.credentials.source", "SASL")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source");
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(Map.of("schema.registry.url", "ftp://x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http(s)://host:port");
    }

    @Test
    void shouldDefaultLikeTheDocumentation() {
        SchemaRegistryClientConfig config = new SchemaRegistryClientConfig(
                Map.of("schema.registry.url", "http://127.0.0.1:8081"));

        assertThat(config.getInt("max.retries")).isEqualTo(3);
        assertThat(config.getLong("retries.wait.ms")).isEqualTo(100L);
        assertThat(config.getLong("retries.max.wait.ms")).isEqualTo(2000L);
        assertThat(config.getInt("schema.registry.request.timeout.ms")).isEqualTo(10_000);
        assertThat(config.getString("basic.auth.credentials.source")).isEqualTo("USER_INFO");
    }
}

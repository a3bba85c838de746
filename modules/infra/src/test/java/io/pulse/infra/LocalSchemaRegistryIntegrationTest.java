package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class LocalSchemaRegistryIntegrationTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldServeTheConfluentApiAndStopItsProcessOnClose() throws Exception {
        ProcessHandle child;
        try (LocalSchemaRegistry registry = LocalSchemaRegistry.builder().dataDir(dataDir).build().start()) {
            child = registry.processHandle().orElseThrow();
            HttpResponse<String> config = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(registry.confluentUrl() + "/config")).build(),
                    HttpResponse.BodyHandlers.ofString());

            // the Confluent API is served at the root, as Confluent clients expect of schema.registry.url
            assertThat(registry.confluentUrl()).isEqualTo("http://127.0.0.1:" + registry.port());
            assertThat(registry.apicurioConfluentUrl())
                    .isEqualTo("http://127.0.0.1:" + registry.apicurioPort() + "/apis/ccompat/v7");
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).contains("BACKWARD");
            assertThat(registry.logFile()).isRegularFile();
        }

        // close() waits for the process, so it is gone when close returns
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void shouldKeepRegisteredSchemasAcrossARestartOnTheSameDataDir() throws Exception {
        String schema = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"A\\\","
                + "\\\"fields\\\":[{\\\"name\\\":\\\"x\\\",\\\"type\\\":\\\"int\\\"}]}\"}";
        HttpClient http = HttpClient.newHttpClient();
        String registered;
        try (LocalSchemaRegistry registry = LocalSchemaRegistry.builder().dataDir(dataDir).build().start()) {
            registered = http.send(HttpRequest.newBuilder(URI.create(registry.confluentUrl() + "/subjects/a-value/versions"))
                            .header("Content-Type", LocalSchemaRegistry.CONFLUENT_CONTENT_TYPE)
                            .POST(HttpRequest.BodyPublishers.ofString(schema)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        assertThat(registered).matches("\\{\"id\":\\d+}");
        String id = registered.replaceAll("\\D", "");

        try (LocalSchemaRegistry restarted = LocalSchemaRegistry.builder().dataDir(dataDir).build().start()) {
            HttpResponse<String> byId = http.send(
                    HttpRequest.newBuilder(URI.create(restarted.confluentUrl() + "/schemas/ids/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(byId.statusCode()).isEqualTo(200);
            assertThat(byId.body()).contains("\\\"name\\\":\\\"A\\\"");
        }
    }

    @Test
    void shouldQuoteTheLogWhenTheProcessDiesDuringStartUp() {
        // a heap too small to start a JVM: the child exits at once with an error on its output
        LocalSchemaRegistry registry = LocalSchemaRegistry.builder().dataDir(dataDir).maxHeap("1k")
                .startupTimeout(Duration.ofSeconds(60)).build();

        assertThatThrownBy(registry::start)
                .isInstanceOf(InfraException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("registry.log")
                .hasMessageContaining("heap");
        assertThat(registry.isRunning()).isFalse();
    }
}

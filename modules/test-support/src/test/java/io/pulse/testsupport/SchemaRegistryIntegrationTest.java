package io.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.infra.LocalInfra;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The registry speaks Confluent's REST API at {@code schemaRegistryUrl()} and enforces BACKWARD compatibility. */
@PulseIntegrationTest
class SchemaRegistryIntegrationTest {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final String V1 = """
            {"type":"record","name":"UserEvent","namespace":"io.pulse.test","fields":[
              {"name":"userId","type":"string"}]}""";
    /** Adds a field with a default: readers of v2 can read v1 data, so BACKWARD allows it. */
    private static final String V2_COMPATIBLE = """
            {"type":"record","name":"UserEvent","namespace":"io.pulse.test","fields":[
              {"name":"userId","type":"string"},
              {"name":"amount","type":"double","default":0.0}]}""";
    /** Adds a field without a default: v2 readers cannot read v1 data, so BACKWARD rejects it. */
    private static final String V2_INCOMPATIBLE = """
            {"type":"record","name":"UserEvent","namespace":"io.pulse.test","fields":[
              {"name":"userId","type":"string"},
              {"name":"country","type":"string"}]}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldDefaultToBackwardCompatibility(LocalInfra infra) throws Exception {
        HttpResponse<String> config = get(infra.schemaRegistryUrl() + "/config");

        // the Confluent API at the root of the URL, exactly what Confluent clients are given
        assertThat(infra.schemaRegistryUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("BACKWARD");
    }

    @Test
    void shouldRegisterSchemasAndRejectABackwardIncompatibleOne(LocalInfra infra) throws Exception {
        String subject = TestTopics.unique("user-events") + "-value";
        String versions = infra.schemaRegistryUrl() + "/subjects/" + subject + "/versions";

        HttpResponse<String> v1 = post(versions, V1);
        HttpResponse<String> incompatible = post(versions, V2_INCOMPATIBLE);
        HttpResponse<String> compatible = post(versions, V2_COMPATIBLE);

        assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
        assertThat(v1.body()).containsPattern("\"id\"\\s*:\\s*\\d+");
        assertThat(incompatible.statusCode()).as(incompatible.body()).isEqualTo(409);
        assertThat(compatible.statusCode()).as(compatible.body()).isEqualTo(200);
        assertThat(get(versions).body()).isEqualTo("[1,2]");
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", CONTENT_TYPE).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String schema) throws IOException, InterruptedException {
        String body = "{\"schema\":" + jsonString(schema) + "}";
        return http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", CONTENT_TYPE)
                        .header("Accept", CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The schema as a JSON string value (Confluent's API wants the schema text, not the schema object). */
    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}

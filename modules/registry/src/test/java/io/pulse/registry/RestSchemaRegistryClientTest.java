package io.pulse.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.contracts.UserEvent;
import io.pulse.registry.FakeRegistryServer.Request;
import io.pulse.registry.FakeRegistryServer.Response;
import io.pulse.registry.serde.AvroSerializer;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client against a scripted local server: paths, headers, retries, fail-over and error mapping. */
class RestSchemaRegistryClientTest {

    private static final String PREFIX = "/apis/ccompat/v7";
    private static final Schema ACCOUNT = TestRecords.schema("""
            {'type':'record','name':'Account','namespace':'io.pulse.test','fields':[{'name':'id','type':'string'}]}""");
    private static final String ACCOUNT_JSON = new ObjectMapper().createObjectNode().put("s", ACCOUNT.toString())
            .get("s").toString();

    private FakeRegistryServer server;

    @BeforeEach
    void start() throws IOException {
        server = new FakeRegistryServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldRegisterUnderTheBaseUrlPathWithTheRegistryContentType() throws IOException {
        server.respond(r -> Response.ok("{\"id\":7}"));

        int id = client(Map.of()).register("accounts-value", ACCOUNT);

        Request request = server.requests().get(0);
        assertThat(id).isEqualTo(7);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo(PREFIX + "/subjects/accounts-value/versions");
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.accept()).contains("application/vnd.schemaregistry.v1+json", "application/json");
        JsonNode body = new ObjectMapper().readTree(request.body());
        assertThat(body.path("schema").asText()).isEqualTo(ACCOUNT.toString());
        assertThat(body.has("schemaType")).isFalse();
    }

    @Test
    void shouldAcceptATrailingSlashInTheBaseUrlAndEncodeSubjects() {
        server.respond(r -> Response.ok("{\"id\":1}"));
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                Map.of("schema.registry.url", server.url() + PREFIX + "/"));

        client.register("odd subject/with slash", ACCOUNT, true);

        assertThat(server.requests().get(0).rawPath())
                .isEqualTo(PREFIX + "/subjects/odd%20subject%2Fwith%20slash/versions");
        assertThat(server.requests().get(0).rawQuery()).isEqualTo("normalize=true");
    }

    @Test
    void shouldRetryServerErrorsWithBackoffUntilTheyPass() {
        AtomicInteger calls = new AtomicInteger();
        server.respond(r -> switch (calls.incrementAndGet()) {
            case 1 -> Response.error(503, 50003, "warming up");
            case 2 -> Response.error(500, 50001, "store error");
            case 3 -> new Response(429, "");
            case 4 -> new Response(408, "");
            default -> Response.ok("{\"id\":3}");
        });

        assertThat(client(Map.of("max.retries", 4)).register("accounts-value", ACCOUNT)).isEqualTo(3);
        assertThat(server.requests()).hasSize(5);
    }

    @Test
    void shouldGiveUpAfterMaxRetriesNamingTheUrlAndTheLastCause() {
        server.respond(r -> Response.error(503, 50003, "down for maintenance"));

        SchemaRegistryUnavailableException e = catchThrowableOfType(SchemaRegistryUnavailableException.class,
                () -> client(Map.of("max.retries", 2)).getSchemaById(1));

        assertThat(server.requests()).hasSize(3);
        assertThat(e).hasMessageContaining(server.url() + PREFIX + "/schemas/ids/1")
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("down for maintenance")
                .hasMessageContaining("3 attempt(s)")
                .hasMessageContaining("Check schema.registry.url");
    }

    @Test
    void shouldFailOverToTheNextUrlWhenAConnectionIsRefused() throws IOException {
        server.respond(r -> Response.ok("{\"id\":4}"));
        String urls = "http://127.0.0.1:" + FakeRegistryServer.deadPort() + PREFIX + "," + server.url() + PREFIX;

        RestSchemaRegistryClient client = new RestSchemaRegistryClient(Map.of("schema.registry.url", urls,
                "max.retries", 0));

        assertThat(client.register("accounts-value", ACCOUNT)).isEqualTo(4);
        assertThat(client.register("other-value", ACCOUNT)).isEqualTo(4);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void shouldReportUnavailableWhenNothingListens() throws IOException {
        String url = "http://127.0.0.1:" + FakeRegistryServer.deadPort();
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(Map.of("schema.registry.url", url,
                "max.retries", 1, "retries.wait.ms", 1));

        SchemaRegistryUnavailableException e = catchThrowableOfType(SchemaRegistryUnavailableException.class,
                () -> client.getSubjects());

        assertThat(e).hasMessageContaining(url + "/subjects").hasMessageContaining("2 attempt(s)")
                .hasMessageContaining("ConnectException").hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void shouldMapRegistryErrorsWithoutRetrying() {
        RestSchemaRegistryClient client = client(Map.of());

        server.respond(r -> Response.error(404, 40401, "Subject 'x' not found."));
        assertThat(catchThrowableOfType(SchemaNotFoundException.class, () -> client.getVersions("x"))
                .isSubjectNotFound()).isTrue();
        server.respond(r -> Response.error(404, 40402, "Version 9 not found."));
        assertThat(catchThrowableOfType(SchemaNotFoundException.class, () -> client.getVersion("x", 9))
                .isVersionNotFound()).isTrue();
        server.respond(r -> Response.error(404, 40403, "Schema not found"));
        SchemaNotFoundException notFound = catchThrowableOfType(SchemaNotFoundException.class,
                () -> client.getId("x", ACCOUNT));
        assertThat(notFound.isSchemaNotFound()).isTrue();
        assertThat(notFound.registryMessage()).isEqualTo("Schema not found");
        server.respond(r -> Response.error(409, 409, "Schema being registered is incompatible"));
        assertThat(catchThrowableOfType(IncompatibleSchemaException.class, () -> client.register("x", ACCOUNT))
                .status()).isEqualTo(409);
        server.respond(r -> Response.error(422, 42201, "Invalid schema"));
        SchemaRegistryHttpException invalid = catchThrowableOfType(SchemaRegistryHttpException.class,
                () -> client.register("y", ACCOUNT));
        assertThat(invalid.errorCode()).isEqualTo(42201);
        assertThat(invalid).hasMessageContaining("HTTP 422").hasMessageContaining("Invalid schema");

        assertThat(server.requests()).hasSize(5);
    }

    @Test
    void shouldPointAtTheUrlPathWhenA404HasNoRegistryErrorCode() {
        server.respond(r -> new Response(404, "<html>Not Found</html>"));

        SchemaRegistryHttpException e = catchThrowableOfType(SchemaRegistryHttpException.class,
                () -> client(Map.of()).getSubjects());

        assertThat(e).isNotInstanceOf(SchemaNotFoundException.class);
        assertThat(e.errorCode()).isEqualTo(40400);
        assertThat(e).hasMessageContaining("is the path in schema.registry.url right?");
    }

    @Test
    void shouldNotRetryAWebPageAnsweredWith200() {
        server.respond(r -> Response.ok("<!doctype html><title>Apicurio Registry</title>"));

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client(Map.of()).getSubjects());

        assertThat(e).isNotInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("not JSON").hasMessageContaining("/apis/ccompat/v7");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldSendBasicAuthFromUserInfo() {
        server.respond(r -> r.authorization() == null ? Response.error(401, 40101, "Unauthorized")
                : Response.ok("[]"));

        client(Map.of("basic.auth.user.info", "alice:s3cret")).getSubjects();

        assertThat(server.requests().get(0).authorization()).isEqualTo(basic("alice:s3cret"));
    }

    @Test
    void shouldTakeBasicAuthFromTheUrlAndKeepItOutOfMessages() {
        server.respond(r -> Response.error(401, 40101, "Unauthorized"));
        String url = server.url().replace("http://", "http://bob:hunter2@") + PREFIX;
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(Map.of("schema.registry.url", url,
                "basic.auth.credentials.source", "URL"));

        SchemaRegistryHttpException e = catchThrowableOfType(SchemaRegistryHttpException.class, client::getSubjects);

        assertThat(server.requests().get(0).authorization()).isEqualTo(basic("bob:hunter2"));
        assertThat(server.requests().get(0).rawPath()).isEqualTo(PREFIX + "/subjects");
        assertThat(e.status()).isEqualTo(401);
        assertThat(e).hasMessageNotContaining("hunter2").hasMessageContaining("basic.auth.user.info");
        assertThat(client.toString()).doesNotContain("hunter2");
    }

    @Test
    void shouldSendNoAuthorizationWhenNoneIsConfigured() {
        server.respond(r -> Response.ok("[]"));

        client(Map.of()).getSubjects();

        assertThat(server.requests().get(0).authorization()).isNull();
    }

    @Test
    void shouldReadApicurioAnswersAndCacheSchemasById() {
        server.respond(r -> Response.ok("{\"schema\":" + ACCOUNT_JSON
                + ",\"schemaType\":\"AVRO\",\"references\":[],\"maxId\":12}"));
        RestSchemaRegistryClient client = client(Map.of());

        Schema first = client.getSchemaById(5);
        Schema second = client.getSchemaById(5);

        assertThat(first).isEqualTo(ACCOUNT).isSameAs(second);
        assertThat(server.requests()).hasSize(1);
        assertThat(server.requests().get(0).rawPath()).isEqualTo(PREFIX + "/schemas/ids/5");
    }

    @Test
    void shouldRefuseSchemasThatAreNotAvro() {
        server.respond(r -> Response.ok("{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"));

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client(Map.of()).getSchemaById(3));

        assertThat(e).hasMessageContaining("PROTOBUF");
    }

    @Test
    void shouldCacheIdsBothWaysAfterRegistering() {
        server.respond(r -> Response.ok("{\"id\":21}"));
        RestSchemaRegistryClient client = client(Map.of());

        client.register("accounts-value", ACCOUNT);
        client.register("accounts-value", TestRecords.schema(ACCOUNT.toString()));
        int looked = client.getId("accounts-value", ACCOUNT);
        Schema byId = client.getSchemaById(21);

        assertThat(looked).isEqualTo(21);
        assertThat(byId).isEqualTo(ACCOUNT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldAskTheRegistryOnceForManyRecords() {
        server.respond(r -> Response.ok("{\"id\":8}"));
        try (AvroSerializer<UserEvent> serializer = new AvroSerializer<>()) {
            serializer.configure(Map.of("schema.registry.url", server.url() + PREFIX), false);

            for (int i = 0; i < 3; i++) {
                serializer.serialize("user-events", TestRecords.userEvent());
            }
        }

        assertThat(server.requests()).hasSize(1);
        assertThat(server.requests().get(0).rawPath()).isEqualTo(PREFIX + "/subjects/user-events-value/versions");
    }

    @Test
    void shouldSpeakTheRestOfTheApi() {
        Map<String, Response> script = new HashMap<>();
        String version = "{\"subject\":\"accounts-value\",\"version\":2,\"id\":11,\"schema\":" + ACCOUNT_JSON + "}";
        script.put("GET " + PREFIX + "/subjects/accounts-value/versions", Response.ok("[1,2]"));
        script.put("GET " + PREFIX + "/subjects/accounts-value/versions/latest", Response.ok(version));
        script.put("GET " + PREFIX + "/subjects/accounts-value/versions/2", Response.ok(version));
        script.put("POST " + PREFIX + "/compatibility/subjects/accounts-value/versions/latest",
                Response.ok("{\"is_compatible\":false}"));
        script.put("POST " + PREFIX + "/compatibility/subjects/new-value/versions/latest",
                Response.error(404, 40401, "Subject 'new-value' not found."));
        script.put("GET " + PREFIX + "/config", Response.ok("{\"compatibilityLevel\":\"BACKWARD\"}"));
        script.put("PUT " + PREFIX + "/config", Response.ok("{\"compatibility\":\"FULL\"}"));
        script.put("GET " + PREFIX + "/config/accounts-value", Response.ok("{\"compatibilityLevel\":\"NONE\"}"));
        script.put("GET " + PREFIX + "/config/plain-value", Response.error(404, 40408, "no subject level"));
        script.put("PUT " + PREFIX + "/config/accounts-value", Response.ok("{\"compatibility\":\"NONE\"}"));
        script.put("GET " + PREFIX + "/subjects", Response.ok("[\"accounts-value\",\"user-events-value\"]"));
        server.respond(r -> script.getOrDefault(r.method() + " " + r.rawPath(), Response.error(405, 40500, "?")));
        RestSchemaRegistryClient client = client(Map.of());

        assertThat(client.getVersions("accounts-value")).containsExactly(1, 2);
        assertThat(client.getLatest("accounts-value")).isEqualTo(new RegisteredSchema("accounts-value", 2, 11, ACCOUNT));
        assertThat(client.getVersion("accounts-value", 2).id()).isEqualTo(11);
        assertThat(client.testCompatibility("accounts-value", ACCOUNT)).isFalse();
        assertThat(client.testCompatibility("new-value", ACCOUNT)).isTrue();
        assertThat(client.getCompatibility()).isEqualTo("BACKWARD");
        client.setCompatibility("FULL");
        assertThat(client.getCompatibility("accounts-value")).isEqualTo("NONE");
        assertThat(client.getCompatibility("plain-value")).isEqualTo("BACKWARD");
        client.setCompatibility("accounts-value", "NONE");
        assertThat(client.getSubjects()).containsExactly("accounts-value", "user-events-value");
        assertThat(client.getSchemaById(11)).isEqualTo(ACCOUNT);

        assertThat(server.requests()).filteredOn(r -> r.method().equals("PUT")).extracting(Request::body)
                .containsExactly("{\"compatibility\":\"FULL\"}", "{\"compatibility\":\"NONE\"}");
        assertThat(server.requests()).noneMatch(r -> r.rawPath().startsWith(PREFIX + "/schemas/ids"));
    }

    private RestSchemaRegistryClient client(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(overrides);
        config.put("schema.registry.url", server.url() + PREFIX);
        // keep retries fast; the backoff itself is covered by RetryPolicyTest
        config.putIfAbsent("retries.wait.ms", 1);
        config.putIfAbsent("retries.max.wait.ms", 4);
        return new RestSchemaRegistryClient(config);
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}

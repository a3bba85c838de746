package io.pulse.registry;

import static io.pulse.registry.internal.RegistryJson.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.registry.internal.HttpTransport;
import io.pulse.registry.internal.RegistryJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API, for Confluent Schema Registry and compatible servers
 * (Apicurio at {@code http://host:port/apis/ccompat/v7}). Thread-safe; one instance per serde is fine, the caches make
 * steady-state (de)serialization free of HTTP calls.
 */
public class RestSchemaRegistryClient implements SchemaRegistryClient {

    private final HttpTransport transport;
    private final Map<SubjectSchema, Integer> idBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(SchemaRegistryClientConfig config) {
        this.transport = new HttpTransport(config);
    }

    /** Convenience for {@code new RestSchemaRegistryClient(new SchemaRegistryClientConfig(props))}. */
    public RestSchemaRegistryClient(Map<String, ?> props) {
        this(new SchemaRegistryClientConfig(props));
    }

    @Override
    public int register(String subject, Schema schema, boolean normalize) {
        return schemaId(subject, schema, "/subjects/" + segment(subject) + "/versions" + query(normalize),
                "register under " + subject);
    }

    @Override
    public int getId(String subject, Schema schema, boolean normalize) {
        return schemaId(subject, schema, "/subjects/" + segment(subject) + query(normalize),
                "look up schema under " + subject);
    }

    /** The id of {@code schema} under {@code subject}: cached, or POSTed to {@code path} (registering or looking up). */
    private int schemaId(String subject, Schema schema, String path, String what) {
        SubjectSchema key = new SubjectSchema(subject, schema.toString());
        Integer cached = idBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = transport.send("POST", path, RegistryJson.schemaBody(schema));
        int id = RegistryJson.requiredInt(answer, "id", what);
        remember(key, id, schema);
        return id;
    }

    @Override
    public Schema getSchemaById(int id) {
        Schema cached = schemaById.get(id);
        if (cached != null) {
            return cached;
        }
        // not computeIfAbsent: that would hold a map lock across an HTTP call with retries
        Schema schema = RegistryJson.parseSchema(transport.send("GET", "/schemas/ids/" + id, null), "schema id " + id);
        Schema raced = schemaById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    @Override
    public List<Integer> getVersions(String subject) {
        JsonNode answer = transport.send("GET", "/subjects/" + segment(subject) + "/versions", null);
        List<Integer> versions = new ArrayList<>();
        answer.forEach(v -> versions.add(v.asInt()));
        return List.copyOf(versions);
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return version(subject, "latest");
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return version(subject, Integer.toString(version));
    }

    @Override
    public boolean testCompatibility(String subject, Schema schema) {
        try {
            JsonNode answer = transport.send("POST",
                    "/compatibility/subjects/" + segment(subject) + "/versions/latest", RegistryJson.schemaBody(schema));
            return answer.path("is_compatible").asBoolean(false);
        } catch (SchemaNotFoundException e) {
            if (e.isSubjectNotFound() || e.isVersionNotFound()) {
                // older registries and Apicurio say 404 for a new subject; anything is compatible with nothing
                return true;
            }
            throw e;
        }
    }

    @Override
    public String getCompatibility() {
        return level(transport.send("GET", "/config", null));
    }

    @Override
    public void setCompatibility(String level) {
        transport.send("PUT", "/config", compatibilityBody(level));
    }

    @Override
    public String getCompatibility(String subject) {
        try {
            return level(transport.send("GET", "/config/" + segment(subject), null));
        } catch (SchemaRegistryHttpException e) {
            if (e.status() == 404) {
                // 40401 (older Confluent, Apicurio) or 40408: the subject has no level of its own
                return getCompatibility();
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(String subject, String level) {
        transport.send("PUT", "/config/" + segment(subject), compatibilityBody(level));
    }

    @Override
    public List<String> getSubjects() {
        JsonNode answer = transport.send("GET", "/subjects", null);
        List<String> subjects = new ArrayList<>();
        answer.forEach(s -> subjects.add(s.asText()));
        return List.copyOf(subjects);
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient" + transport.baseUrls();
    }

    private RegisteredSchema version(String subject, String version) {
        String what = "subject " + subject + " version " + version;
        JsonNode answer = transport.send("GET", "/subjects/" + segment(subject) + "/versions/" + version, null);
        Schema schema = RegistryJson.parseSchema(answer, what);
        int id = RegistryJson.requiredInt(answer, "id", what);
        int number = RegistryJson.requiredInt(answer, "version", what);
        schemaById.putIfAbsent(id, schema);
        return new RegisteredSchema(answer.path("subject").asText(subject), number, id, schema);
    }

    private void remember(SubjectSchema key, int id, Schema schema) {
        idBySubjectSchema.put(key, id);
        schemaById.putIfAbsent(id, schema);
    }

    private static String query(boolean normalize) {
        return normalize ? "?normalize=true" : "";
    }

    private static String compatibilityBody(String level) {
        return RegistryJson.MAPPER.createObjectNode().put("compatibility", level).toString();
    }

    /** GET answers {@code compatibilityLevel}, PUT echoes {@code compatibility}; accept both. */
    private static String level(JsonNode answer) {
        JsonNode level = answer.has("compatibilityLevel") ? answer.path("compatibilityLevel")
                : answer.path("compatibility");
        if (!level.isTextual()) {
            throw new SchemaRegistryException("The registry's config answer has no compatibility level: " + answer);
        }
        return level.asText();
    }

    /** Cache key: schemas compare by their full JSON, the registry's own notion of "the same schema". */
    private record SubjectSchema(String subject, String schemaJson) {
    }
}

package io.pulse.registry;

import io.pulse.registry.internal.Compatibility;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * An in-memory {@link SchemaRegistryClient} for tests, obtained per scope from {@link MockSchemaRegistry} (or via
 * {@code schema.registry.url=mock://scope}). Behaves like the real registry where tests can tell: ids 1, 2, 3... shared
 * across subjects for identical schemas, compatibility enforced on register (default BACKWARD, as Confluent), and the
 * same exceptions and error codes (40401, 40402, 40403, 409, 42203). Thread-safe by being synchronized: tests, not
 * throughput.
 */
public final class MockSchemaRegistryClient implements SchemaRegistryClient {

    private final String scope;
    private final Map<String, Integer> idByJson = new HashMap<>();
    private final Map<Integer, Schema> schemaById = new HashMap<>();
    /** Subject &rarr; ids of its versions, version n at index n-1. */
    private final Map<String, List<Integer>> versionsBySubject = new TreeMap<>();
    private final Map<String, String> compatibilityBySubject = new HashMap<>();
    private String globalCompatibility = Compatibility.BACKWARD;

    MockSchemaRegistryClient(String scope) {
        this.scope = scope;
    }

    /** The scope name this registry belongs to. */
    public String scope() {
        return scope;
    }

    @Override
    public synchronized int register(String subject, Schema schema, boolean normalize) {
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        Integer existing = idByJson.get(schema.toString());
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        List<Schema> previous = versions.stream().map(schemaById::get).toList();
        if (!Compatibility.isCompatible(getCompatibility(subject), schema, previous)) {
            throw new IncompatibleSchemaException(request("POST /subjects/" + subject + "/versions"), 409,
                    SchemaRegistryHttpException.INCOMPATIBLE_SCHEMA, "Schema being registered is incompatible with"
                    + " an earlier schema for subject \"" + subject + "\" (" + getCompatibility(subject) + ")");
        }
        int id = existing != null ? existing : newId(schema);
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized int getId(String subject, Schema schema, boolean normalize) {
        List<Integer> versions = versions(subject, "POST /subjects/" + subject);
        Integer id = idByJson.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            throw notFound("POST /subjects/" + subject, SchemaRegistryHttpException.SCHEMA_NOT_FOUND,
                    "Schema not found");
        }
        return id;
    }

    @Override
    public synchronized Schema getSchemaById(int id) {
        Schema schema = schemaById.get(id);
        if (schema == null) {
            throw notFound("GET /schemas/ids/" + id, SchemaRegistryHttpException.SCHEMA_NOT_FOUND,
                    "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized List<Integer> getVersions(String subject) {
        int count = versions(subject, "GET /subjects/" + subject + "/versions").size();
        List<Integer> numbers = new ArrayList<>();
        for (int v = 1; v <= count; v++) {
            numbers.add(v);
        }
        return List.copyOf(numbers);
    }

    @Override
    public synchronized RegisteredSchema getLatest(String subject) {
        List<Integer> versions = versions(subject, "GET /subjects/" + subject + "/versions/latest");
        return getVersion(subject, versions.size());
    }

    @Override
    public synchronized RegisteredSchema getVersion(String subject, int version) {
        List<Integer> versions = versions(subject, "GET /subjects/" + subject + "/versions/" + version);
        if (version < 1 || version > versions.size()) {
            throw notFound("GET /subjects/" + subject + "/versions/" + version,
                    SchemaRegistryHttpException.VERSION_NOT_FOUND, "Version " + version + " not found.");
        }
        int id = versions.get(version - 1);
        return new RegisteredSchema(subject, version, id, schemaById.get(id));
    }

    @Override
    public synchronized boolean testCompatibility(String subject, Schema schema) {
        List<Schema> previous = versionsBySubject.getOrDefault(subject, List.of()).stream()
                .map(schemaById::get).toList();
        return Compatibility.isCompatible(getCompatibility(subject), schema, previous);
    }

    @Override
    public synchronized String getCompatibility() {
        return globalCompatibility;
    }

    @Override
    public synchronized void setCompatibility(String level) {
        globalCompatibility = validLevel(level, "PUT /config");
    }

    @Override
    public synchronized String getCompatibility(String subject) {
        return compatibilityBySubject.getOrDefault(subject, globalCompatibility);
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        compatibilityBySubject.put(subject, validLevel(level, "PUT /config/" + subject));
    }

    @Override
    public synchronized List<String> getSubjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    @Override
    public String toString() {
        return "MockSchemaRegistryClient[mock://" + scope + "]";
    }

    private int newId(Schema schema) {
        int id = schemaById.size() + 1;
        schemaById.put(id, schema);
        idByJson.put(schema.toString(), id);
        return id;
    }

    private List<Integer> versions(String subject, String request) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw notFound(request, SchemaRegistryHttpException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private String validLevel(String level, String request) {
        String upper = level == null ? "" : level.toUpperCase(Locale.ROOT);
        if (!Compatibility.LEVELS.contains(upper)) {
            throw new SchemaRegistryHttpException(request(request), 422,
                    SchemaRegistryHttpException.INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level " + level
                    + ". Valid values are " + Compatibility.LEVELS.stream().sorted().toList());
        }
        return upper;
    }

    private SchemaNotFoundException notFound(String request, int errorCode, String message) {
        return new SchemaNotFoundException(request(request), 404, errorCode, message);
    }

    private String request(String request) {
        return request + " (mock://" + scope + ")";
    }
}

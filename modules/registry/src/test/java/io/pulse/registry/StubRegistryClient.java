package io.pulse.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.apache.avro.Schema;

/**
 * A registry that answers with fixed ids or a chosen failure, for tests that need a specific id (golden bytes) or a
 * registry outage without a network.
 */
public final class StubRegistryClient implements SchemaRegistryClient {

    private final int id;
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private final IntFunction<RuntimeException> lookupFailure;

    private StubRegistryClient(int id, IntFunction<RuntimeException> lookupFailure) {
        this.id = id;
        this.lookupFailure = lookupFailure;
    }

    /** Every schema registers as {@code id}. */
    public static StubRegistryClient alwaysId(int id) {
        return new StubRegistryClient(id, null);
    }

    /** Every id lookup fails with {@code failure}. */
    public static StubRegistryClient failingLookups(IntFunction<RuntimeException> failure) {
        return new StubRegistryClient(1, failure);
    }

    @Override
    public int register(String subject, Schema schema, boolean normalize) {
        schemas.put(id, schema);
        return id;
    }

    @Override
    public int getId(String subject, Schema schema, boolean normalize) {
        return register(subject, schema, normalize);
    }

    @Override
    public Schema getSchemaById(int schemaId) {
        if (lookupFailure != null) {
            throw lookupFailure.apply(schemaId);
        }
        Schema schema = schemas.get(schemaId);
        if (schema == null) {
            throw new SchemaNotFoundException("GET /schemas/ids/" + schemaId, 404, 40403, "not found");
        }
        return schema;
    }

    @Override
    public List<Integer> getVersions(String subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean testCompatibility(String subject, Schema schema) {
        return true;
    }

    @Override
    public String getCompatibility() {
        return "NONE";
    }

    @Override
    public void setCompatibility(String level) {
    }

    @Override
    public String getCompatibility(String subject) {
        return "NONE";
    }

    @Override
    public void setCompatibility(String subject, String level) {
    }

    @Override
    public List<String> getSubjects() {
        return List.of();
    }
}

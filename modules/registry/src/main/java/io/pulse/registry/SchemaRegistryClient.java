package io.pulse.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API that Pulse uses, for Avro schemas. Implementations cache
 * (subject, schema) &rarr; id and id &rarr; schema, so serdes may call {@link #register} and {@link #getSchemaById}
 * per record; schemas are compared by their full JSON ({@link Schema#toString()}), docs and properties included,
 * because that is what the registry stores.
 *
 * <p>Failures: {@link SchemaNotFoundException} (40401/40402/40403), {@link IncompatibleSchemaException} (409), other
 * {@link SchemaRegistryHttpException}s for refused requests, {@link SchemaRegistryUnavailableException} when the
 * registry cannot be reached.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} (or finds it already there) and returns its id. */
    default int register(String subject, Schema schema) {
        return register(subject, schema, false);
    }

    /**
     * As {@link #register(String, Schema)}; {@code normalize} asks the registry to normalize the schema first
     * (Confluent's {@code ?normalize=true}; the in-memory registry has nothing to normalize and ignores it).
     */
    int register(String subject, Schema schema, boolean normalize);

    /** The id of {@code schema} under {@code subject}, without registering it; 40401/40403 if it is not there. */
    default int getId(String subject, Schema schema) {
        return getId(subject, schema, false);
    }

    /** As {@link #getId(String, Schema)}, with Confluent's {@code normalize} flag. */
    int getId(String subject, Schema schema, boolean normalize);

    /** The schema with registry-wide id {@code id}; 40403 if there is none. Cached forever: ids are immutable. */
    Schema getSchemaById(int id);

    /** The versions registered under {@code subject}, ascending; 40401 if the subject does not exist. */
    List<Integer> getVersions(String subject);

    /** The latest version of {@code subject}. */
    RegisteredSchema getLatest(String subject);

    /** Version {@code version} of {@code subject}. */
    RegisteredSchema getVersion(String subject, int version);

    /** Whether {@code schema} could be registered under {@code subject} given its compatibility level. */
    boolean testCompatibility(String subject, Schema schema);

    /** The global compatibility level, e.g. {@code BACKWARD}. */
    String getCompatibility();

    /** Sets the global compatibility level. */
    void setCompatibility(String level);

    /** The subject's compatibility level, or the global one when the subject has none of its own. */
    String getCompatibility(String subject);

    /** Sets the subject's compatibility level. */
    void setCompatibility(String subject, String level);

    /** All subjects. */
    List<String> getSubjects();

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}

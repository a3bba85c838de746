package io.pulse.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject as the registry stores it.
 *
 * @param subject the subject, e.g. {@code user-events-value}
 * @param version the version within the subject, from 1
 * @param id the registry-wide schema id written into every message
 * @param schema the schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {

    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}

package io.pulse.registry.internal;

import io.pulse.registry.SchemaRegistryException;

/**
 * The registry returned a schema this client cannot use (not Avro, or with references). Internal because callers
 * handle it as a plain {@link SchemaRegistryException}; the deserializer tells it apart to blame the record.
 */
public class UnsupportedSchemaException extends SchemaRegistryException {

    public UnsupportedSchemaException(String message) {
        super(message);
    }

    public UnsupportedSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}

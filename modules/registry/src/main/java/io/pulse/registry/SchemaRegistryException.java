package io.pulse.registry;

/** Root of every failure this package reports; unchecked because callers are Kafka serdes that cannot declare it. */
public class SchemaRegistryException extends RuntimeException {

    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}

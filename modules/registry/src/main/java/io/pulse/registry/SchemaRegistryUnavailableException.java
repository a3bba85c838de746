package io.pulse.registry;

/**
 * The registry could not be reached, or kept answering 5xx/408/429, until the retries ran out. Not the fault of the
 * data being (de)serialized: callers should retry later rather than dead-letter. The message names the URL(s) tried and
 * the last cause.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {

    public SchemaRegistryUnavailableException(String message, Throwable lastCause) {
        super(message, lastCause);
    }
}

package io.pulse.registry;

/** The registry refused to register a schema because it breaks the subject's compatibility level (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryHttpException {

    public IncompatibleSchemaException(String request, int status, int errorCode, String registryMessage) {
        super(request, status, errorCode, registryMessage);
    }
}

package io.pulse.registry;

/**
 * The registry has no such subject (40401), version (40402) or schema (40403); {@link #errorCode()} says which.
 * Kept as one type because callers mostly care that "it is not there"; the helpers tell the cases apart.
 */
public class SchemaNotFoundException extends SchemaRegistryHttpException {

    public SchemaNotFoundException(String request, int status, int errorCode, String registryMessage) {
        super(request, status, errorCode, registryMessage);
    }

    /** True for 40401: the subject does not exist. */
    public boolean isSubjectNotFound() {
        return errorCode() == SUBJECT_NOT_FOUND;
    }

    /** True for 40402: the subject exists, the version does not. */
    public boolean isVersionNotFound() {
        return errorCode() == VERSION_NOT_FOUND;
    }

    /** True for 40403: no schema with that id, or that schema is not registered under the subject. */
    public boolean isSchemaNotFound() {
        return errorCode() == SCHEMA_NOT_FOUND;
    }

    /** Whether {@code errorCode} is one of the not-found codes this type stands for. */
    public static boolean isNotFoundCode(int errorCode) {
        return errorCode == SUBJECT_NOT_FOUND || errorCode == VERSION_NOT_FOUND || errorCode == SCHEMA_NOT_FOUND
                || errorCode == SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED;
    }
}

package io.pulse.registry;

/**
 * The registry answered and refused the request (HTTP 4xx). Carries the HTTP status and the registry's own
 * {@code error_code} (e.g. 40401) and {@code message} from its error body {@code {"error_code":..,"message":..}}.
 * When the body is not a registry error, {@link #errorCode()} is {@code status * 100}, as Confluent's clients do.
 */
public class SchemaRegistryHttpException extends SchemaRegistryException {

    /** Subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Schema (by id, or by content under a subject) not found. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** The subject has no subject-level compatibility configured. */
    public static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;
    /** The schema is incompatible with an earlier version (HTTP 409). */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** The schema is not valid Avro. */
    public static final int INVALID_SCHEMA = 42201;
    /** The version number is not valid. */
    public static final int INVALID_VERSION = 42202;
    /** The compatibility level is not valid. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    private final int status;
    private final int errorCode;
    private final String registryMessage;

    public SchemaRegistryHttpException(String request, int status, int errorCode, String registryMessage) {
        super(request + " failed: HTTP " + status + ", error_code " + errorCode + ": " + registryMessage
                + hint(status));
        this.status = status;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    /** The HTTP status, e.g. 404. */
    public int status() {
        return status;
    }

    /** The registry's {@code error_code}, e.g. 40403. */
    public int errorCode() {
        return errorCode;
    }

    /** The registry's {@code message}, verbatim. */
    public String registryMessage() {
        return registryMessage;
    }

    private static String hint(int status) {
        if (status == 401 || status == 403) {
            return " (check basic.auth.credentials.source and basic.auth.user.info)";
        }
        return "";
    }
}

package io.pulse.infra;

/** A local server could not be started, or did not become ready in time; the message says what to do about it. */
public class InfraException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InfraException(String message) {
        super(message);
    }

    public InfraException(String message, Throwable cause) {
        super(message, cause);
    }
}

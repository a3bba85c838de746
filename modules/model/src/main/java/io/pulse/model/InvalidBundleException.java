package io.pulse.model;

/**
 * A {@code ModelBundle} that this code cannot run: missing or misshapen tensors, non-finite weights, a newer format,
 * a feature spec the encoder cannot reproduce, or undecodable bytes. The message says which.
 */
public final class InvalidBundleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidBundleException(String message) {
        super(message);
    }

    public InvalidBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}

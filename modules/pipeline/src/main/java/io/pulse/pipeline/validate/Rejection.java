package io.pulse.pipeline.validate;

import java.util.Objects;

/**
 * A refused input record: the reason code, a sentence for people, and the exception class involved (if any).
 *
 * @param reason     machine-readable reason
 * @param message    what is wrong and, where possible, what the producer should do
 * @param errorClass the exception class behind it, or the validator's class for rule violations
 */
public record Rejection(RejectReason reason, String message, String errorClass) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(errorClass, "errorClass");
    }

    /** A rule violation found by Pulse itself (no exception involved). */
    public static Rejection of(RejectReason reason, String message) {
        return new Rejection(reason, message, EventValidator.class.getName());
    }
}

package io.pulse.pipeline.processing;

import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.validate.Rejection;

/**
 * An input record after validation: either a usable event, or the original bytes with the reason they were refused.
 *
 * @param event     the decoded, valid event (null when rejected)
 * @param rawKey    original key bytes (kept for the dead-letter topic)
 * @param rawValue  original value bytes
 * @param rejection why it was refused (null when accepted)
 */
public record Checked(UserEvent event, byte[] rawKey, byte[] rawValue, Rejection rejection) {

    public static Checked accepted(UserEvent event) {
        return new Checked(event, null, null, null);
    }

    public static Checked rejected(byte[] rawKey, byte[] rawValue, Rejection rejection) {
        return new Checked(null, rawKey, rawValue, rejection);
    }

    public boolean isAccepted() {
        return rejection == null;
    }
}

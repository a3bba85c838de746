package io.pulse.pipeline.processing;

import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.validate.Rejection;

/**
 * What reaches the scoring processor: a validated event, or a label to join with an earlier prediction; or, on the
 * way to the dead-letter topic, the original bytes of a refused record with the reason.
 *
 * @param event      the decoded, valid event (null otherwise)
 * @param rawKey     original key bytes of a refused record (kept for the dead-letter topic)
 * @param rawValue   original value bytes of a refused record
 * @param rejection  why it was refused (null otherwise)
 * @param labelBytes the Avro bytes of a label from the labels topic (null otherwise)
 */
public record Checked(UserEvent event, byte[] rawKey, byte[] rawValue, Rejection rejection, byte[] labelBytes) {

    public static Checked accepted(UserEvent event) {
        return new Checked(event, null, null, null, null);
    }

    public static Checked rejected(byte[] rawKey, byte[] rawValue, Rejection rejection) {
        return new Checked(null, rawKey, rawValue, rejection, null);
    }

    public static Checked label(byte[] labelBytes) {
        return new Checked(null, null, null, null, labelBytes);
    }

    public boolean isAccepted() {
        return rejection == null;
    }

    public boolean isLabel() {
        return labelBytes != null;
    }
}

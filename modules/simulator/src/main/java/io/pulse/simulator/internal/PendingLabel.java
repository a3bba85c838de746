package io.pulse.simulator.internal;

import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import java.time.Instant;

/**
 * A label decided when its event was emitted, to be released at {@link #observedAtMillis()}. It keeps a reference to
 * the event rather than a copy of its time, so that a publisher that re-stamps events (real-time pacing) gets labels
 * whose {@code appliesAt} matches what it published.
 *
 * @param event            the event the label is about
 * @param kind             FRAUD or CHURN
 * @param positive         fraud / churned
 * @param observedAtMillis when the truth becomes known, in the event's (simulated or replayed) time
 * @param source           the label's source
 * @param sequence         tie-breaker that keeps release order deterministic
 */
public record PendingLabel(UserEvent event, LabelKind kind, boolean positive, long observedAtMillis, String source,
        long sequence) implements Comparable<PendingLabel> {

    /** The label, with {@code appliesAt} read from the event now; FRAUD labels name the event, CHURN labels not. */
    public Label toLabel() {
        return new Label(event.getUserId(), kind, positive, kind == LabelKind.FRAUD ? event.getEventId() : null,
                event.getEventTime(), Instant.ofEpochMilli(observedAtMillis), source);
    }

    @Override
    public int compareTo(PendingLabel other) {
        int byTime = Long.compare(observedAtMillis, other.observedAtMillis);
        return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
}

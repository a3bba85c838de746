package io.pulse.simulator.replay;

import io.pulse.contracts.Label;
import io.pulse.contracts.UserEvent;
import java.util.Objects;

/**
 * One row of an event log: its event and, if the mapping has a label column and the row carries a label, the label.
 *
 * @param event the event, with its original event time
 * @param label the row's FRAUD label ({@code observedAt} = event time + the configured delay), or {@code null}
 */
public record ReplayRecord(UserEvent event, Label label) {

    public ReplayRecord {
        Objects.requireNonNull(event, "event");
    }
}

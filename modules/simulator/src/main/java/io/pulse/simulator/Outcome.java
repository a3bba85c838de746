package io.pulse.simulator;

import io.pulse.contracts.EventType;
import java.time.Instant;

/**
 * What really happened after an event, known to the simulator as soon as it emits the event (it draws the user's next
 * step at that moment). The realised counterpart of {@link GroundTruth}.
 *
 * @param nextType      type of the user's next event; {@code null} if the user never has another one
 * @param nextEventTime event time of the user's next event; {@code null} if the user never has another one
 * @param churned       true if the user has no event within the configured churn horizon H after this event
 */
public record Outcome(EventType nextType, Instant nextEventTime, boolean churned) {

    /** Whether the user has another event at all. */
    public boolean hasNextEvent() {
        return nextType != null;
    }
}

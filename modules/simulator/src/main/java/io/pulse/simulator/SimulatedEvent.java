package io.pulse.simulator;

import io.pulse.contracts.UserEvent;
import java.util.Objects;

/**
 * An event with what the simulator knows about it.
 *
 * @param event   the event, exactly as {@link EventSimulator} emits it
 * @param truth   the true probabilities of what happens next, known when the event is emitted
 * @param outcome what does happen next (the user's next event, churn within the horizon)
 */
public record SimulatedEvent(UserEvent event, GroundTruth truth, Outcome outcome) {

    public SimulatedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(outcome, "outcome");
    }
}

package io.pulse.simulator;

import io.pulse.contracts.UserEvent;
import java.util.Iterator;

/**
 * An endless, reproducible stream of user events in event-time order: the plain-events view of
 * {@link GroundTruthSimulator}, which describes the generative model (drifting and decaying engagement, churn, a
 * shopping funnel, fraud bursts). {@link #nextWithTruth()} gives the same stream with ground truth.
 */
public final class EventSimulator implements Iterator<UserEvent> {

    private final GroundTruthSimulator simulator;

    public EventSimulator(SimulationConfig config) {
        this.simulator = new GroundTruthSimulator(config);
    }

    /** Always true: the simulation never runs out of users (a user who stops is replaced by a newcomer). */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public UserEvent next() {
        return simulator.next().event();
    }

    /** The next event with its ground truth and realised outcome; interleaves with {@link #next()}. */
    public SimulatedEvent nextWithTruth() {
        return simulator.next();
    }
}

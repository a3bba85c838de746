package io.pulse.simulator;

import io.pulse.simulator.internal.PendingLabel;
import java.util.Iterator;
import java.util.PriorityQueue;

/**
 * Simulated events and their delayed labels ({@link SimulatedLabels}) merged into one endless stream in time order:
 * events by event time, each label at its {@code observedAt}, never earlier (a label due at the same instant as an
 * event comes first). This is what a publisher writes to {@code user-events} and {@code user-labels} so that no label
 * reveals the future.
 *
 * <p>Labels are materialised when they are released, reading {@code appliesAt} from the event object, so a publisher
 * that re-stamps events with the wall clock (see {@code EventPublisher#publishPaced}) gets consistent labels. Memory:
 * the labels not yet due are held, about one per event of the last churn horizon for users who churn, plus one per
 * user for the others. Not thread-safe.
 */
public final class Timeline implements Iterator<TimelineEntry> {

    private final GroundTruthSimulator simulator;
    private final PriorityQueue<PendingLabel> pending = new PriorityQueue<>();
    private long labelSequence;
    private long eventsEmitted;
    private long labelsEmitted;

    public Timeline(SimulationConfig config) {
        this(new GroundTruthSimulator(config));
    }

    /** Over an existing simulator, which must not be advanced by anyone else. */
    public Timeline(GroundTruthSimulator simulator) {
        this.simulator = simulator;
    }

    /** Always true: the simulation is endless. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public TimelineEntry next() {
        PendingLabel due = pending.peek();
        if (due != null && due.observedAtMillis() <= simulator.peekNextEventMillis()) {
            pending.poll();
            labelsEmitted++;
            return new TimelineEntry.LabelEntry(due.toLabel());
        }
        SimulatedEvent event = simulator.next();
        labelSequence += SimulatedLabels.pending(event, simulator.config(), labelSequence, pending::add);
        eventsEmitted++;
        return new TimelineEntry.EventEntry(event);
    }

    /** Number of events returned so far. */
    public long eventsEmitted() {
        return eventsEmitted;
    }

    /** Number of labels returned so far. */
    public long labelsEmitted() {
        return labelsEmitted;
    }

    /** Number of labels decided but not yet due. */
    public int labelsPending() {
        return pending.size();
    }

    public GroundTruthSimulator simulator() {
        return simulator;
    }
}

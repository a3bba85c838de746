package io.pulse.simulator;

import io.pulse.contracts.Label;
import io.pulse.contracts.UserEvent;
import io.pulse.simulator.internal.PendingLabel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A finite simulated history in memory, for the trainer and tests: every event from {@code config.start()} up to
 * {@link #end()}, with ground truth and realised outcome, and the labels known by the end.
 *
 * <p>Outcomes are complete even for the last events: the simulator draws each user's next step when it emits an
 * event, so an event near the end knows its next event (which may lie after {@link #end()}) and whether the user
 * churned. {@link #labels()} holds only what was observed by {@link #end()}, as a real system would have it;
 * {@link #allLabels()} adds the labels of the future.
 *
 * @param config what was simulated
 * @param end    the end of the history (exclusive): {@code config.start()} plus the span
 * @param events the events in event-time order
 * @param labels the labels with {@code observedAt} before {@code end}, in observedAt order
 */
public record SimulatedHistory(SimulationConfig config, Instant end, List<SimulatedEvent> events, List<Label> labels) {

    public SimulatedHistory {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(end, "end");
        events = List.copyOf(events);
        labels = List.copyOf(labels);
    }

    /** Simulates {@code span} of history from {@code config.start()}. */
    public static SimulatedHistory generate(SimulationConfig config, Duration span) {
        if (span.isNegative()) {
            throw new IllegalArgumentException("span must not be negative, was " + span);
        }
        Instant end = config.start().plus(span);
        long endMillis = end.toEpochMilli();
        GroundTruthSimulator simulator = new GroundTruthSimulator(config);
        List<SimulatedEvent> events = new ArrayList<>();
        while (simulator.peekNextEventMillis() < endMillis) {
            events.add(simulator.next());
        }
        List<PendingLabel> pending = collectLabels(events, config);
        List<Label> known = new ArrayList<>();
        for (PendingLabel label : pending) {
            if (label.observedAtMillis() < endMillis) {
                known.add(label.toLabel());
            }
        }
        return new SimulatedHistory(config, end, events, known);
    }

    /** The plain events. */
    public List<UserEvent> userEvents() {
        List<UserEvent> plain = new ArrayList<>(events.size());
        events.forEach(e -> plain.add(e.event()));
        return plain;
    }

    /** Every label the events give rise to, including those observed after {@link #end()}, in observedAt order. */
    public List<Label> allLabels() {
        List<Label> all = new ArrayList<>();
        collectLabels(events, config).forEach(p -> all.add(p.toLabel()));
        return all;
    }

    /** The labels observed before {@code instant} (which may lie after {@link #end()}), in observedAt order. */
    public List<Label> labelsObservedBefore(Instant instant) {
        long limit = instant.toEpochMilli();
        List<Label> known = new ArrayList<>();
        for (PendingLabel label : collectLabels(events, config)) {
            if (label.observedAtMillis() < limit) {
                known.add(label.toLabel());
            }
        }
        return known;
    }

    /** {@link BayesLogLoss#nextAction} over these events. */
    public double bayesNextActionLogLoss() {
        return BayesLogLoss.nextAction(events);
    }

    /** {@link BayesLogLoss#churn} over these events. */
    public double bayesChurnLogLoss() {
        return BayesLogLoss.churn(events);
    }

    private static List<PendingLabel> collectLabels(List<SimulatedEvent> events, SimulationConfig config) {
        List<PendingLabel> pending = new ArrayList<>(events.size() + events.size() / 8);
        long sequence = 0;
        for (SimulatedEvent event : events) {
            sequence += SimulatedLabels.pending(event, config, sequence, pending::add);
        }
        Collections.sort(pending);
        return pending;
    }
}

package io.pulse.trainer.data;

import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.simulator.SimulatedEvent;
import io.pulse.simulator.SimulatedHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a training round learns from: user events in any order, the labels known about them, and where the data ends.
 *
 * @param source         what the history was read from, for the report (e.g. {@code kafka user-events@...})
 * @param events         the events in arrival order, in memory or spilled to disk; the trainer orders them per user
 *                       by event time and drops a user's repeated event ids
 * @param labels         labels known at the end of the data; FRAUD labels are used (by event id), CHURN labels are not
 *                       needed (churn is derived from the events themselves)
 * @param end            the end of the data (exclusive): nothing is known about what happens from here on. Churn
 *                       outcomes whose horizon reaches past it are unknown
 * @param fraudLabelled  whether the source labels fraud at all; if so, events without a FRAUD label count as genuine,
 *                       otherwise the fraud head is not trained or evaluated
 * @param truths         the simulator's ground truth by event id (empty unless simulated); enables the Bayes rows
 * @param truthHorizon   the churn horizon the simulator's truth refers to; {@code null} unless simulated
 * @param skipped        records left out while reading, by reason (undecodable, invalid, ...), for the report
 */
public record History(String source, EventLog events, List<Label> labels, Instant end, boolean fraudLabelled,
        Map<String, SimulatedEvent> truths, Duration truthHorizon, Map<String, Long> skipped) implements AutoCloseable {

    public History {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(events, "events");
        labels = List.copyOf(labels);
        Objects.requireNonNull(end, "end");
        truths = Map.copyOf(truths);
        skipped = Map.copyOf(new LinkedHashMap<>(skipped));
    }

    /**
     * A history of plain events and labels that ends just after its newest event; fraud counts as labelled when there
     * is at least one FRAUD label.
     */
    public static History of(String source, List<UserEvent> events, List<Label> labels) {
        return of(source, events, labels, labels.stream().anyMatch(l -> l.getKind() == LabelKind.FRAUD),
                Map.of());
    }

    /** As {@link #of(String, List, List)} with an explicit fraud flag and skip counts. */
    public static History of(String source, List<UserEvent> events, List<Label> labels, boolean fraudLabelled,
            Map<String, Long> skipped) {
        return of(source, EventLog.of(events), labels, fraudLabelled, skipped);
    }

    /**
     * As {@link #of(String, List, List, boolean, Map)} for events in a log (a spilled one: the history then owns its
     * file, deleted on {@link #close()}).
     */
    public static History of(String source, EventLog events, List<Label> labels, boolean fraudLabelled,
            Map<String, Long> skipped) {
        long newest = events.newestMillis();
        Instant end = newest == Long.MIN_VALUE ? Instant.EPOCH : Instant.ofEpochMilli(newest + 1);
        return new History(source, events, labels, end, fraudLabelled, Map.of(), null, skipped);
    }

    /**
     * A simulated history: its events, the labels observed by its end, its end, fraud labelled (the simulator labels
     * every fraud it commits), and the ground truth of every event.
     */
    public static History of(SimulatedHistory simulated) {
        Map<String, SimulatedEvent> truths = new HashMap<>(simulated.events().size() * 2);
        for (SimulatedEvent event : simulated.events()) {
            truths.put(event.event().getEventId(), event);
        }
        return new History("simulated seed " + simulated.config().seed() + ", " + simulated.config().users()
                + " users, " + simulated.config().start() + " to " + simulated.end(),
                EventLog.of(simulated.userEvents()),
                simulated.labels(), simulated.end(), true, truths, simulated.config().churnHorizon(), Map.of());
    }

    /** Deletes the events' spill file, if they were spilled. */
    @Override
    public void close() {
        events.close();
    }

    /** True when the simulator's ground truth is known for the events. */
    public boolean simulated() {
        return !truths.isEmpty();
    }
}

package io.pulse.simulator;

import io.pulse.contracts.Label;
import java.time.Instant;

/** One item of a {@link Timeline}: an event, or a label whose observation time has come. */
public sealed interface TimelineEntry permits TimelineEntry.EventEntry, TimelineEntry.LabelEntry {

    /** The entry's position in time: an event's event time, a label's observedAt. */
    Instant time();

    /** A simulated event with its truth. */
    record EventEntry(SimulatedEvent simulated) implements TimelineEntry {
        @Override
        public Instant time() {
            return simulated.event().getEventTime();
        }
    }

    /** A label, released at its observedAt. */
    record LabelEntry(Label label) implements TimelineEntry {
        @Override
        public Instant time() {
            return label.getObservedAt();
        }
    }
}

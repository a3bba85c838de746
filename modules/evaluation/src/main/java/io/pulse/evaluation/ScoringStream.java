package io.pulse.evaluation;

import io.pulse.contracts.Label;
import io.pulse.contracts.UserEvent;
import io.pulse.simulator.replay.ReplayRecord;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The stream a fold's pipeline sees, in event-time order: every transaction from the warm-up start to the end of the
 * test week on {@code user-events}, and each fraud's FRAUD label on {@code user-labels} when it becomes known (event
 * time + 7 days), interleaved by time. A label due exactly when an event happens goes first.
 */
final class ScoringStream {

    private ScoringStream() {
    }

    interface Sink {
        void event(UserEvent event);

        void label(Label label);
    }

    /** Feeds the fold's stream to {@code sink}; {@code progress} gets the number of events sent so far. */
    static long feed(HandbookData data, HandbookFold fold, Sink sink, Consumer<Long> progress) {
        int[] range = data.range(fold.warmUpStart(), fold.testEnd());
        long end = HandbookFold.at(fold.testEnd()).toEpochMilli();
        Deque<Label> pending = new ArrayDeque<>();
        long sent = 0;
        for (int i = range[0]; i < range[1]; i++) {
            ReplayRecord record = data.records().get(i);
            long t = record.event().getEventTime().toEpochMilli();
            while (!pending.isEmpty() && pending.peekFirst().getObservedAt().toEpochMilli() <= t) {
                sink.label(pending.pollFirst());
            }
            sink.event(record.event());
            if (record.label() != null && record.label().getObservedAt().toEpochMilli() < end) {
                pending.addLast(record.label());
            }
            if (++sent % 10_000 == 0) {
                progress.accept(sent);
            }
        }
        progress.accept(sent);
        return sent;
    }

    /** Number of events of the fold's stream. */
    static int size(HandbookData data, HandbookFold fold) {
        int[] range = data.range(fold.warmUpStart(), fold.testEnd());
        return range[1] - range[0];
    }
}

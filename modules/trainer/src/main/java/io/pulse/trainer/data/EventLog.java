package io.pulse.trainer.data;

import io.pulse.contracts.UserEvent;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A history's events in arrival order, read in sequential passes: held in memory ({@link #of(List)}: a simulation,
 * a test) or spilled to a file as they are read ({@link #spill()}: a Kafka snapshot or a CSV log, whose size has no
 * bound), so what a training round keeps in memory does not grow with the history. Iterating a spilled log decodes
 * each event anew. {@link #close()} deletes a spilled log's file.
 */
public interface EventLog extends Iterable<UserEvent>, AutoCloseable {

    /** Number of events. */
    long size();

    /** The earliest event time in the log, in epoch milliseconds; {@link Long#MAX_VALUE} if it is empty. */
    long oldestMillis();

    /** The latest event time in the log, in epoch milliseconds; {@link Long#MIN_VALUE} if it is empty. */
    long newestMillis();

    @Override
    default void close() {
    }

    /** A log of events held in memory. */
    static EventLog of(List<UserEvent> events) {
        return new InMemory(List.copyOf(events));
    }

    /** A writer that spills events to a new file in a private {@link SpillDirectory}. */
    static Writer spill() {
        return new Writer(SpillDirectory.create("events"));
    }

    /** Appends events to a spilled log; {@link #finish()} makes the log. */
    final class Writer implements AutoCloseable {
        private final SpillDirectory directory;
        private final EventRecords.Writer records;
        private long oldest = Long.MAX_VALUE;
        private long newest = Long.MIN_VALUE;
        private boolean finished;

        private Writer(SpillDirectory directory) {
            this.directory = directory;
            this.records = new EventRecords.Writer(directory.file("events"));
        }

        public void add(UserEvent event) {
            long time = event.getEventTime().toEpochMilli();
            oldest = Math.min(oldest, time);
            newest = Math.max(newest, time);
            records.append(records.count(), event);
        }

        /** The events added so far, as a log that owns the file. */
        public EventLog finish() {
            records.close();
            finished = true;
            return new Spilled(directory, records.count(), oldest, newest);
        }

        /** Deletes the file unless {@link #finish()} handed it to a log. */
        @Override
        public void close() {
            if (!finished) {
                records.close();
                directory.close();
            }
        }
    }

    /** Events in a list. */
    record InMemory(List<UserEvent> events, long oldestMillis, long newestMillis) implements EventLog {

        InMemory(List<UserEvent> events) {
            this(events, events.stream().mapToLong(e -> e.getEventTime().toEpochMilli()).min().orElse(Long.MAX_VALUE),
                    events.stream().mapToLong(e -> e.getEventTime().toEpochMilli()).max().orElse(Long.MIN_VALUE));
        }

        @Override
        public long size() {
            return events.size();
        }

        @Override
        public Iterator<UserEvent> iterator() {
            return events.iterator();
        }
    }

    /** Events in a spill file, decoded on every pass. */
    final class Spilled implements EventLog {
        private final SpillDirectory directory;
        private final long size;
        private final long oldest;
        private final long newest;

        private Spilled(SpillDirectory directory, long size, long oldest, long newest) {
            this.directory = directory;
            this.size = size;
            this.oldest = oldest;
            this.newest = newest;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public long oldestMillis() {
            return oldest;
        }

        @Override
        public long newestMillis() {
            return newest;
        }

        /**
         * A pass over the file. The pass closes its file at the end; one abandoned early holds it open until it is
         * garbage.
         */
        @Override
        public Iterator<UserEvent> iterator() {
            EventRecords.Reader reader = new EventRecords.Reader(directory.file("events"));
            return new Iterator<>() {
                private boolean ready = advance();

                private boolean advance() {
                    boolean more = reader.next();
                    if (!more) {
                        reader.close();
                    }
                    return more;
                }

                @Override
                public boolean hasNext() {
                    return ready;
                }

                @Override
                public UserEvent next() {
                    if (!ready) {
                        throw new NoSuchElementException();
                    }
                    UserEvent event = Objects.requireNonNull(reader.event());
                    ready = advance();
                    return event;
                }
            };
        }

        @Override
        public void close() {
            directory.close();
        }
    }
}

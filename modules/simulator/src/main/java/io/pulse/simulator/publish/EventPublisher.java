package io.pulse.simulator.publish;

import io.pulse.contracts.Label;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.simulator.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces simulated user events to the events topic (normally {@code user-events}) and their delayed labels to the
 * labels topic (normally {@code user-labels}), keyed by user id, values in the Confluent Avro wire format written by
 * Pulse's own serializer. Idempotent producer, {@code acks=all}: a record is either on its topic once or the publish
 * call fails with {@link PublishException}.
 *
 * <p>Three ways to publish:
 * <ul>
 *   <li>{@link #publish}: N events of an {@code Iterator<UserEvent>} as fast as possible, no labels.</li>
 *   <li>{@link #publishTimeline}: N events of a {@link io.pulse.simulator.Timeline} as fast as possible, with every
 *   label whose observedAt (in simulated time) has been reached by then; event times as simulated.</li>
 *   <li>{@link #publishPaced}: the live demo. Events at a steady N per second of wall-clock time, each re-stamped with
 *   the wall clock as its event time; labels are released when simulated time passes their observedAt and stamped
 *   with the wall clock too (so simulated time runs faster or slower than real time, at whatever speed gives N
 *   events/s). Runs until a count or a duration, stops cleanly on interrupt.</li>
 * </ul>
 * Not thread-safe: one publishing call at a time.
 */
public final class EventPublisher implements AutoCloseable {

    private final Producer<String, SpecificRecord> producer;
    private final String topic;
    private final String labelsTopic;
    private final PacingClock clock;

    /**
     * Labels go to {@link PulseTopics#USER_LABELS}.
     *
     * @param producerConfig Kafka producer settings; {@code bootstrap.servers} and {@code schema.registry.url} are
     *                       required, serializers are set here
     * @param topic          destination topic of events
     */
    public EventPublisher(Map<String, Object> producerConfig, String topic) {
        this(producerConfig, topic, PulseTopics.USER_LABELS.name());
    }

    /** As {@link #EventPublisher(Map, String)}, with the labels' topic. */
    public EventPublisher(Map<String, Object> producerConfig, String topic, String labelsTopic) {
        this(AvroProducers.create(producerConfig, "pulse-simulator"), topic, labelsTopic, PacingClock.system());
    }

    /** Over a given producer (closed by {@link #close()}), e.g. a {@code MockProducer} in tests, and clock. */
    public EventPublisher(Producer<String, SpecificRecord> producer, String topic, String labelsTopic,
            PacingClock clock) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.labelsTopic = Objects.requireNonNull(labelsTopic, "labelsTopic");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sends the next {@code count} events of {@code events} and waits until the broker acknowledged all of them.
     *
     * @param progress called with the number acknowledged so far, from the producer's I/O thread
     * @return the number of events acknowledged (always {@code count} when no exception is thrown)
     */
    public long publish(Iterator<UserEvent> events, long count, LongConsumer progress) {
        Acks acks = new Acks(progress);
        for (long i = 0; i < count && acks.failure.get() == null; i++) {
            UserEvent event = events.next();
            // The record timestamp is left to the producer (the time of sending): simulated event times may run ahead
            // of the wall clock, which brokers refuse beyond log.message.timestamp.after.max.ms (1 h by default).
            // Pulse reads event time from the event itself.
            send(topic, event.getUserId(), event, acks, true);
        }
        producer.flush();
        acks.throwIfFailed(topic);
        return acks.events.get();
    }

    /**
     * Sends the next {@code events} events of a timeline, and the labels released before them, as fast as possible;
     * waits for all acknowledgements. Labels not yet due stay in the timeline.
     *
     * @param progress called with the number of events acknowledged so far, from the producer's I/O thread
     */
    public PublishResult publishTimeline(Iterator<TimelineEntry> timeline, long events, LongConsumer progress) {
        long started = clock.nanoTime();
        Acks acks = new Acks(progress);
        long sent = 0;
        while (sent < events && acks.failure.get() == null) {
            TimelineEntry entry = timeline.next();
            if (entry instanceof TimelineEntry.LabelEntry labelEntry) {
                Label label = labelEntry.label();
                send(labelsTopic, label.getUserId(), label, acks, false);
            } else if (entry instanceof TimelineEntry.EventEntry eventEntry) {
                UserEvent event = eventEntry.simulated().event();
                send(topic, event.getUserId(), event, acks, true);
                sent++;
            }
        }
        producer.flush();
        acks.throwIfFailed(topic + "/" + labelsTopic);
        return new PublishResult(acks.events.get(), acks.labels.get(),
                Duration.ofNanos(clock.nanoTime() - started), false);
    }

    /**
     * Publishes a timeline in real time: events at {@code eventsPerSecond}, each with event time = now, until
     * {@code maxEvents} events were sent or {@code maxDuration} has passed, whichever comes first, or the thread is
     * interrupted (then everything sent so far is flushed, the result says {@code interrupted} and the interrupt flag
     * is set again). Labels are sent as the timeline releases them, with {@code observedAt} = now and {@code appliesAt}
     * = the re-stamped time of their event. The schedule is absolute (start + i / rate), so a slow moment is caught
     * up rather than lowering the long-run rate.
     *
     * @param maxEvents   stop after this many events; {@link Long#MAX_VALUE} for no limit
     * @param maxDuration stop after this long; {@code null} for no limit
     * @param progress    called with the number of events sent so far, on the calling thread
     */
    public PublishResult publishPaced(Iterator<TimelineEntry> timeline, double eventsPerSecond, long maxEvents,
            Duration maxDuration, LongConsumer progress) {
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("eventsPerSecond must be positive and finite, was " + eventsPerSecond);
        }
        long started = clock.nanoTime();
        long deadline = maxDuration == null ? Long.MAX_VALUE : started + maxDuration.toNanos();
        double nanosPerEvent = 1e9 / eventsPerSecond;
        Acks acks = new Acks(null);
        long sent = 0;
        boolean interrupted = false;
        try {
            while (sent < maxEvents && acks.failure.get() == null) {
                TimelineEntry entry = timeline.next();
                if (entry instanceof TimelineEntry.LabelEntry labelEntry) {
                    Label label = labelEntry.label();
                    long now = clock.currentTimeMillis();
                    label.setObservedAt(Instant.ofEpochMilli(Math.max(now, label.getAppliesAt().toEpochMilli() + 1)));
                    send(labelsTopic, label.getUserId(), label, acks, false);
                    continue;
                }
                long due = started + (long) (sent * nanosPerEvent);
                if (due >= deadline) {
                    break;
                }
                waitUntil(due);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                UserEvent event = ((TimelineEntry.EventEntry) entry).simulated().event();
                event.setEventTime(Instant.ofEpochMilli(clock.currentTimeMillis()));
                send(topic, event.getUserId(), event, acks, true);
                sent++;
                progress.accept(sent);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        // flush() itself fails on an interrupted thread: clear the flag for it and restore it afterwards
        boolean flagSet = Thread.interrupted() || interrupted;
        producer.flush();
        if (flagSet) {
            Thread.currentThread().interrupt();
        }
        acks.throwIfFailed(topic + "/" + labelsTopic);
        return new PublishResult(acks.events.get(), acks.labels.get(),
                Duration.ofNanos(clock.nanoTime() - started), flagSet);
    }

    private void waitUntil(long dueNanos) throws InterruptedException {
        long wait = dueNanos - clock.nanoTime();
        // below a millisecond, sleeping costs more than it is worth: send now, the absolute schedule catches up
        if (wait > 1_000_000L) {
            clock.sleepNanos(wait);
        }
    }

    private void send(String destination, String key, SpecificRecord value, Acks acks, boolean isEvent) {
        producer.send(new ProducerRecord<>(destination, key, value), (metadata, exception) -> {
            if (exception != null) {
                acks.failure.compareAndSet(null, exception);
            } else if (isEvent) {
                long n = acks.events.incrementAndGet();
                if (acks.progress != null) {
                    acks.progress.accept(n);
                }
            } else {
                acks.labels.incrementAndGet();
            }
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    /** Acknowledgement counts and the first failure of one publishing call. */
    private static final class Acks {
        final AtomicLong events = new AtomicLong();
        final AtomicLong labels = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final LongConsumer progress;

        Acks(LongConsumer progress) {
            this.progress = progress;
        }

        void throwIfFailed(String where) {
            Exception first = failure.get();
            if (first != null) {
                throw new PublishException("publishing to " + where + " failed after " + events.get() + " events and "
                        + labels.get() + " labels: " + first.getMessage(), first);
            }
        }
    }

    /** Publishing failed; the message says how far it got. */
    public static final class PublishException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

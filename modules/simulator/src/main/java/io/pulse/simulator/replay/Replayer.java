package io.pulse.simulator.replay;

import io.pulse.contracts.Label;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.simulator.publish.AvroProducers;
import io.pulse.simulator.publish.EventPublisher.PublishException;
import io.pulse.simulator.publish.PacingClock;
import io.pulse.simulator.publish.PublishResult;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a replayed event log to Kafka: events to the events topic ({@code user-events} by default), labels to the
 * labels topic ({@code user-labels}), keyed by user id, Avro in the Confluent wire format. Events keep their original
 * event time (the Kafka record timestamp is the time of sending, as for the simulator).
 *
 * <p>Speed: {@code speedup = }{@link Double#POSITIVE_INFINITY} sends as fast as possible; a finite {@code N} keeps the
 * event-time gaps divided by N (1 = real time, 60 = an hour per minute), measured from the first event. A label is
 * sent when the replay's event time reaches its observedAt, never before; at the end, the labels still waiting are
 * sent if their observedAt has passed on the wall clock (the replayed past is over), the others are dropped and
 * counted in the result as not sent. Stops cleanly on interrupt: what was sent is flushed, the result says so.
 */
public final class Replayer implements AutoCloseable {

    private final Producer<String, SpecificRecord> producer;
    private final String eventsTopic;
    private final String labelsTopic;
    private final PacingClock clock;
    private long labelsDropped;

    /** To {@link PulseTopics#USER_EVENTS} and {@link PulseTopics#USER_LABELS}. */
    public Replayer(Map<String, Object> producerConfig) {
        this(producerConfig, PulseTopics.USER_EVENTS.name(), PulseTopics.USER_LABELS.name());
    }

    /**
     * @param producerConfig Kafka producer settings; {@code bootstrap.servers} and {@code schema.registry.url} are
     *                       required, serializers are set here
     */
    public Replayer(Map<String, Object> producerConfig, String eventsTopic, String labelsTopic) {
        this(AvroProducers.create(producerConfig, "pulse-replay"), eventsTopic, labelsTopic, PacingClock.system());
    }

    /** Over a given producer (closed by {@link #close()}), e.g. a {@code MockProducer} in tests, and clock. */
    public Replayer(Producer<String, SpecificRecord> producer, String eventsTopic, String labelsTopic,
            PacingClock clock) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.eventsTopic = Objects.requireNonNull(eventsTopic, "eventsTopic");
        this.labelsTopic = Objects.requireNonNull(labelsTopic, "labelsTopic");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Replays up to {@code maxEvents} records and waits for the broker's acknowledgements.
     *
     * @param speedup   {@link Double#POSITIVE_INFINITY} for as fast as possible, else the factor by which event-time
     *                  gaps shrink (positive)
     * @param maxEvents stop after this many events; {@link Long#MAX_VALUE} for all
     * @param progress  called with the number of events sent so far, on the calling thread
     * @throws PublishException if the broker refused a record
     */
    public PublishResult replay(Iterator<ReplayRecord> records, double speedup, long maxEvents,
            LongConsumer progress) {
        if (!(speedup > 0)) {
            throw new IllegalArgumentException("speedup must be positive (or infinite for as fast as possible), was "
                    + speedup);
        }
        long started = clock.nanoTime();
        AtomicLong events = new AtomicLong();
        AtomicLong labels = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        PriorityQueue<Label> waiting = new PriorityQueue<>((a, b) -> a.getObservedAt().compareTo(b.getObservedAt()));
        long sent = 0;
        long firstEventMillis = Long.MIN_VALUE;
        boolean interrupted = false;
        try {
            while (sent < maxEvents && failure.get() == null && records.hasNext()) {
                ReplayRecord record = records.next();
                UserEvent event = record.event();
                long time = event.getEventTime().toEpochMilli();
                if (firstEventMillis == Long.MIN_VALUE) {
                    firstEventMillis = time;
                }
                if (Double.isFinite(speedup)) {
                    waitUntil(started + (long) ((time - firstEventMillis) * 1e6 / speedup));
                }
                while (!waiting.isEmpty() && waiting.peek().getObservedAt().toEpochMilli() <= time) {
                    send(labelsTopic, waiting.poll(), labels, failure);
                }
                send(eventsTopic, event, events, failure);
                sent++;
                progress.accept(sent);
                if (record.label() != null) {
                    waiting.add(record.label());
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (!interrupted) {
            long now = clock.currentTimeMillis();
            while (!waiting.isEmpty() && waiting.peek().getObservedAt().toEpochMilli() <= now) {
                send(labelsTopic, waiting.poll(), labels, failure);
            }
        }
        labelsDropped = waiting.size();
        boolean flagSet = Thread.interrupted() || interrupted;
        producer.flush();
        if (flagSet) {
            Thread.currentThread().interrupt();
        }
        Exception first = failure.get();
        if (first != null) {
            throw new PublishException("replay to " + eventsTopic + "/" + labelsTopic + " failed after "
                    + events.get() + " events and " + labels.get() + " labels: " + first.getMessage(), first);
        }
        return new PublishResult(events.get(), labels.get(), Duration.ofNanos(clock.nanoTime() - started), flagSet);
    }

    /** Labels of the last {@link #replay} not sent because their observedAt was still in the future. */
    public long labelsNotYetDue() {
        return labelsDropped;
    }

    private void waitUntil(long dueNanos) throws InterruptedException {
        long wait = dueNanos - clock.nanoTime();
        if (wait > 1_000_000L) {
            clock.sleepNanos(wait);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
    }

    private void send(String topic, SpecificRecord value, AtomicLong acknowledged, AtomicReference<Exception> failure) {
        String key = value instanceof UserEvent e ? e.getUserId() : ((Label) value).getUserId();
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, exception) -> {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            } else {
                acknowledged.incrementAndGet();
            }
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}

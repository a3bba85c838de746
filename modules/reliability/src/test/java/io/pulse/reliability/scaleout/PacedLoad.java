package io.pulse.reliability.scaleout;

import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.PulseConfig;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.reliability.Traffic;
import io.pulse.simulator.publish.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A steady, paced stream of simulated events into the input topic for as long as a test runs: {@code rate} events per
 * second, sent in order from a seeded {@link Workload}, on a ticker thread of its own. Remembers the input partition
 * each event was acknowledged on, so output can be traced back to the partition (and so the instance) it came from.
 */
final class PacedLoad implements AutoCloseable {

    private static final long TICK_MILLIS = 10;

    private final Workload workload;
    private final String[] eventIds;
    private final String topic;
    private final double ratePerSecond;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "scale-out-load");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Integer> partitionOfEvent = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile int sent;
    private long startNanos;

    PacedLoad(Workload workload, String registryUrl, String bootstrapServers, String topic, double ratePerSecond) {
        this.workload = workload;
        this.topic = topic;
        this.ratePerSecond = ratePerSecond;
        this.eventIds = new String[workload.events()];
        try (AvroDeserializer<UserEvent> events = new AvroDeserializer<>(UserEvent.class)) {
            events.configure(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
            for (int i = 0; i < workload.events(); i++) {
                eventIds[i] = events.deserialize(topic, workload.value(i)).getEventId();
            }
        }
        this.producer = Traffic.producer(bootstrapServers);
    }

    /** Starts sending; events are due at {@code rate} per second from now on. */
    PacedLoad start() {
        startNanos = System.nanoTime();
        ticker.scheduleAtFixedRate(this::sendDue, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void sendDue() {
        double elapsedSeconds = (System.nanoTime() - startNanos) / 1e9;
        int due = (int) Math.min(workload.events(), Math.floor(elapsedSeconds * ratePerSecond));
        while (sent < due && failure.get() == null) {
            int i = sent;
            String eventId = eventIds[i];
            producer.send(new ProducerRecord<>(topic, workload.key(i), workload.value(i)), (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    partitionOfEvent.put(eventId, metadata.partition());
                }
            });
            sent = i + 1;
        }
    }

    /** Stops sending and waits until every event sent so far is acknowledged; returns how many were sent. */
    int stop() throws InterruptedException {
        ticker.shutdown();
        if (!ticker.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the load ticker did not stop");
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("an event could not be produced", failure.get());
        }
        return sent;
    }

    /** How many events were handed to the producer so far. */
    int sent() {
        return sent;
    }

    /** Whether the workload ran out before the test stopped the load (it is sized so that it does not). */
    boolean exhausted() {
        return sent >= workload.events();
    }

    /** The eventIds sent so far, in order. */
    List<String> sentEventIds() {
        return new ArrayList<>(List.of(eventIds).subList(0, sent));
    }

    /** The input partition the event was acknowledged on, or -1 if it was not acknowledged (yet). */
    int partitionOf(String eventId) {
        return partitionOfEvent.getOrDefault(eventId, -1);
    }

    double ratePerSecond() {
        return ratePerSecond;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        producer.close();
    }
}

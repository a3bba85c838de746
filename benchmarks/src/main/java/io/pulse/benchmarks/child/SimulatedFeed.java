package io.pulse.benchmarks.child;

import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulseConfig;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.simulator.EventSimulator;
import io.pulse.simulator.SimulationConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Simulated events (Avro, Confluent wire format, keyed by user) produced to a pipeline's input topic, each stamped
 * with the moment it is sent: a backlog as fast as possible, or an open loop at a fixed rate whatever the pipeline
 * does. One simulator per feed, so a backlog followed by an open loop continues the same users' histories.
 */
public final class SimulatedFeed implements AutoCloseable {

    private final String topic;
    private final EventSimulator simulator;
    private final AvroSerializer<UserEvent> values = new AvroSerializer<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong produced = new AtomicLong();

    public SimulatedFeed(LocalInfra infra, String topic, int users, long seed) {
        this.topic = topic;
        this.simulator = new EventSimulator(SimulationConfig.defaults().withSeed(seed).withUsers(users));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        values.configure(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl()), false);
    }

    /** {@code events} events as fast as the producer takes them; returns once the broker has them all. */
    public void backlog(long events) {
        for (long i = 0; i < events; i++) {
            send();
        }
        producer.flush();
    }

    /**
     * {@code rate} events per second for {@code duration} or until {@code stop} is set, each sent at its scheduled
     * time (an open loop: a pipeline that falls behind does not slow the input down).
     */
    public void openLoop(int rate, Duration duration, AtomicBoolean stop) throws InterruptedException {
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        for (long i = 0; !stop.get(); i++) {
            long due = t0 + (long) (i * 1e9 / rate);
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // the open-loop schedule
            }
            send();
        }
        producer.flush();
    }

    public long produced() {
        return produced.get();
    }

    private void send() {
        UserEvent event = simulator.next();
        event.setEventTime(Instant.now());
        producer.send(new ProducerRecord<>(topic, event.getUserId().getBytes(StandardCharsets.UTF_8),
                values.serialize(topic, event)));
        produced.incrementAndGet();
    }

    @Override
    public void close() {
        producer.close();
        values.close();
    }
}

package io.pulse.simulator.publish;

import io.pulse.contracts.UserEvent;
import io.pulse.registry.serde.AvroSerializer;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces user events to a topic (normally {@code user-events}), keyed by user id, values in the Confluent Avro wire
 * format written by Pulse's own serializer. Idempotent producer, {@code acks=all}: an event is either on the topic
 * once or the publish call fails.
 */
public final class EventPublisher implements AutoCloseable {

    private final Producer<String, UserEvent> producer;
    private final String topic;

    /**
     * @param producerConfig Kafka producer settings; {@code bootstrap.servers} and {@code schema.registry.url} are
     *                       required, serializers are set here
     * @param topic          destination topic
     */
    public EventPublisher(Map<String, Object> producerConfig, String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
        Properties props = new Properties();
        props.putAll(producerConfig);
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "pulse-simulator");
        AvroSerializer<UserEvent> valueSerializer = new AvroSerializer<>();
        valueSerializer.configure(producerConfig, false);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), valueSerializer);
    }

    /**
     * Sends the next {@code count} events of {@code events} and waits until the broker acknowledged all of them.
     *
     * @param progress called with the number acknowledged so far, from the producer's I/O thread
     * @return the number of events acknowledged (always {@code count} when no exception is thrown)
     */
    public long publish(Iterator<UserEvent> events, long count, LongConsumer progress) {
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        for (long i = 0; i < count && firstFailure.get() == null; i++) {
            UserEvent event = events.next();
            // The record timestamp is left to the producer (the time of sending): simulated event times may run ahead
            // of the wall clock, which brokers refuse beyond log.message.timestamp.after.max.ms (1 h by default).
            // Pulse reads event time from the event itself.
            producer.send(new ProducerRecord<>(topic, event.getUserId(), event), (metadata, exception) -> {
                if (exception != null) {
                    firstFailure.compareAndSet(null, exception);
                } else {
                    progress.accept(acknowledged.incrementAndGet());
                }
            });
        }
        producer.flush();
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new PublishException("publishing to " + topic + " failed after " + acknowledged.get()
                    + " events: " + failure.getMessage(), failure);
        }
        return acknowledged.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    /** Publishing failed; the message says how far it got. */
    public static final class PublishException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

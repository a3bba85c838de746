package io.pulse.pipeline.erasure;

import io.pulse.contracts.ErasureRequest;
import io.pulse.pipeline.validate.EventValidator;
import io.pulse.registry.serde.AvroSerializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes {@link ErasureRequest}s to {@code user-erasures}, keyed by the user id so each lands on the partition whose
 * stream task holds the user's state. Used by {@code pulse erase} and by {@code DELETE /users/{id}}. Thread-safe.
 */
public final class ErasureRequests implements AutoCloseable {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerializer<ErasureRequest> serializer = new AvroSerializer<>();
    private final String topic;
    private final Clock clock;

    /**
     * @param clientConfig Kafka client settings (bootstrap servers, security; {@code producer.}-prefixed keys apply to
     *                     this producer only) and the Schema Registry settings
     * @param topic        the erasure topic
     */
    public ErasureRequests(Map<String, ?> clientConfig, String topic) {
        this(clientConfig, topic, Clock.systemUTC());
    }

    ErasureRequests(Map<String, ?> clientConfig, String topic, Clock clock) {
        this.topic = topic;
        this.clock = clock;
        this.producer = new KafkaProducer<>(producerConfig(clientConfig), new StringSerializer(),
                new ByteArraySerializer());
        this.serializer.configure(clientConfig, false);
    }

    /** The producer's settings out of a mixed client + registry configuration (unknown keys only make noise). */
    static Map<String, Object> producerConfig(Map<String, ?> clientConfig) {
        Map<String, Object> config = new HashMap<>();
        clientConfig.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        clientConfig.forEach((key, value) -> {
            if (key.startsWith("producer.")) {
                config.put(key.substring("producer.".length()), value);
            }
        });
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "pulse-erasure-requests");
        // the HTTP pool also answers /health and /ready: a broker outage must not hold its threads for minutes
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    /**
     * Builds a request and writes it, waiting until Kafka has it.
     *
     * @param userId      the user to erase (a valid user id)
     * @param requestedBy who asks (kept in the audit record)
     * @param origin      through which door (cli, http, ...), or null
     * @param reason      why, or null
     * @return the request as written (its requestId is what the audit record will carry)
     */
    public ErasureRequest submit(String userId, String requestedBy, String origin, String reason) {
        if (!EventValidator.isValidId(userId, EventValidator.MAX_USER_ID_LENGTH)) {
            throw new IllegalArgumentException("not a valid user id (1 to " + EventValidator.MAX_USER_ID_LENGTH
                    + " characters, no control, format or separator characters)");
        }
        if (requestedBy == null || requestedBy.isBlank()) {
            throw new IllegalArgumentException("requestedBy must name who asks for the erasure");
        }
        ErasureRequest request = ErasureRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setUserId(userId)
                .setRequestedBy(requestedBy)
                .setRequestedAt(Instant.ofEpochMilli(clock.millis()))
                .setOrigin(origin)
                .setReason(reason)
                .build();
        try {
            producer.send(new ProducerRecord<>(topic, userId, serializer.serialize(topic, request)))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the erasure request to " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the erasure request on " + topic + " within "
                    + SEND_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the erasure request", e);
        }
        return request;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        serializer.close();
    }
}

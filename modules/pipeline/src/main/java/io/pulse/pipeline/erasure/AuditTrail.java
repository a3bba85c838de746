package io.pulse.pipeline.erasure;

import io.pulse.contracts.AuditRecord;
import io.pulse.registry.serde.AvroDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows {@code pulse-audit} from the moment it is opened, to find the audit record answering a request. Open it
 * <em>before</em> submitting the request, so the answer cannot slip in between. Reads committed records only (with
 * exactly-once the audit record and the store deletes are committed together). Not thread-safe.
 */
public final class AuditTrail implements AutoCloseable {

    private final KafkaConsumer<String, AuditRecord> consumer;

    /**
     * @param clientConfig Kafka client settings ({@code consumer.}-prefixed keys apply to this consumer only) and the
     *                     Schema Registry settings
     * @param topic        the audit topic; must exist
     */
    public AuditTrail(Map<String, ?> clientConfig, String topic) {
        AvroDeserializer<AuditRecord> values = new AvroDeserializer<>(AuditRecord.class);
        values.configure(clientConfig, false);
        this.consumer = new KafkaConsumer<>(consumerConfig(clientConfig), new StringDeserializer(), values);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("the audit topic " + topic + " does not exist (the pipeline creates it"
                    + " at start with topics.create=true)");
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, not at the first poll
    }

    static Map<String, Object> consumerConfig(Map<String, ?> clientConfig) {
        Map<String, Object> config = new HashMap<>();
        clientConfig.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        clientConfig.forEach((key, value) -> {
            if (key.startsWith("consumer.")) {
                config.put(key.substring("consumer.".length()), value);
            }
        });
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "pulse-audit-trail-" + UUID.randomUUID());
        return config;
    }

    /** The audit record answering {@code requestId}, or empty if none arrived within {@code timeout}. */
    public Optional<AuditRecord> await(String requestId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, AuditRecord> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() != null && requestId.equals(record.value().getRequestId())) {
                    return Optional.of(record.value());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        consumer.close();
    }
}

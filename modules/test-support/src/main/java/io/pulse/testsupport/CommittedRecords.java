package io.pulse.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what a topic holds right now, the way a downstream consumer of Pulse's output sees it: read_committed, from
 * the beginning up to the last stable offsets (records of open or aborted transactions are never returned).
 *
 * <pre>{@code
 * List<ConsumerRecord<String, byte[]>> predictions = CommittedRecords.read(bootstrap, "user-predictions",
 *         new StringDeserializer(), new ByteArrayDeserializer());
 * }</pre>
 */
public final class CommittedRecords {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private CommittedRecords() {
    }

    /** Every committed record of {@code topic}; fails if the end offsets cannot be reached within a minute. */
    public static <K, V> List<ConsumerRecord<K, V>> read(String bootstrapServers, String topic,
            Deserializer<K> keys, Deserializer<V> values) {
        return read(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, keys, values);
    }

    /** As {@link #read(String, String, Deserializer, Deserializer)} with extra client settings (security, …). */
    public static <K, V> List<ConsumerRecord<K, V>> read(Map<String, Object> clientConfig, String topic,
            Deserializer<K> keys, Deserializer<V> values) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            Set<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toSet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // with read_committed the end offsets are the last stable offsets: everything committed so far
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<K, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " up to its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /**
     * How far {@code topic} has been written: the sum of its partitions' last stable offsets (transaction markers
     * included, so an upper bound of the committed record count). Cheap; for waiting on progress.
     */
    public static long endOffsetSum(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Set<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toSet());
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}

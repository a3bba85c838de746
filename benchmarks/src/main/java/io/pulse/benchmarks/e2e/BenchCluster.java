package io.pulse.benchmarks.e2e;

import io.pulse.infra.LocalInfra;
import io.pulse.simulator.publish.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Topic housekeeping, producing a workload and reading committed output on the local broker. */
final class BenchCluster implements AutoCloseable {

    private static final long ADMIN_TIMEOUT_SECONDS = 60;

    private final LocalInfra infra;
    private final Admin admin;

    BenchCluster(LocalInfra infra) {
        this.infra = infra;
        this.admin = infra.createAdmin();
    }

    /** The broker and registry, for a pipeline started in a JVM of its own. */
    LocalInfra infra() {
        return infra;
    }

    String bootstrapServers() {
        return infra.bootstrapServers();
    }

    String schemaRegistryUrl() {
        return infra.schemaRegistryUrl();
    }

    /** Creates topics with the given partition counts; those in {@code compacted} get {@code cleanup.policy=compact}. */
    void createTopics(Map<String, Integer> partitions, Set<String> compacted) {
        List<NewTopic> topics = new ArrayList<>();
        partitions.forEach((name, count) -> {
            NewTopic topic = new NewTopic(name, count, (short) 1);
            if (compacted.contains(name)) {
                topic.configs(Map.of("cleanup.policy", "compact"));
            }
            topics.add(topic);
        });
        await(admin.createTopics(topics).all(), "create topics " + partitions.keySet());
        awaitMetadata(partitions);
    }

    /**
     * Waits until the broker's metadata shows every partition of the topics: a global store (Pulse's model-weights)
     * refuses to start on a topic whose partitions its consumer cannot see yet.
     */
    private void awaitMetadata(Map<String, Integer> partitions) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ADMIN_TIMEOUT_SECONDS);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (var entry : partitions.entrySet()) {
                while (true) {
                    var info = probe.partitionsFor(entry.getKey());
                    if (info != null && info.size() >= entry.getValue()
                            && info.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("topic " + entry.getKey() + " not visible after "
                                + ADMIN_TIMEOUT_SECONDS + " s");
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                }
            }
        }
    }

    /** Deletes every topic whose name starts with {@code prefix} (outputs and changelogs of a finished run). */
    void deleteTopicsStartingWith(String prefix) {
        Set<String> names = await(admin.listTopics().names(), "list topics");
        List<String> doomed = names.stream().filter(n -> n.startsWith(prefix)).toList();
        if (!doomed.isEmpty()) {
            await(admin.deleteTopics(doomed).all(), "delete topics " + doomed);
        }
    }

    /** What {@link #produce} achieved. */
    record Produced(long acknowledged, long failed, double seconds) {
    }

    /**
     * Produces events {@code [0, count)} of the workload as fast as the broker takes them (idempotent, acks=all) and
     * waits for every acknowledgement. A send can still fail (an overloaded broker past {@code delivery.timeout.ms});
     * failures are counted, and measurements use the topic's real record count, never the intended one.
     */
    Produced produce(Workload workload, int count, String topic) {
        return produce(workload, count, count, topic);
    }

    /**
     * As {@link #produce(Workload, int, String)}, {@code records} records: events {@code [0, distinct)} of the
     * workload, then the same again in order until there are {@code records} (a long input for the variants that do
     * not read the events, from a workload that need not hold them all).
     */
    Produced produce(Workload workload, int distinct, long records, String topic) {
        long start = System.nanoTime();
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = producer(5)) {
            for (long n = 0; n < records; n++) {
                int i = (int) (n % distinct);
                producer.send(new ProducerRecord<>(topic, workload.key(i), workload.value(i)),
                        (metadata, error) -> (error == null ? acked : failed).incrementAndGet());
            }
            producer.flush();
        }
        return new Produced(acked.get(), failed.get(), (System.nanoTime() - start) / 1e9);
    }

    /** The number of records in {@code topic} (sum of its partitions' end offsets; non-transactional input). */
    long recordCount(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader(topic, 100)) {
            return consumer.endOffsets(consumer.assignment()).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** An idempotent, acks=all byte producer with the given linger. */
    KafkaProducer<byte[], byte[]> producer(int lingerMs) {
        return new KafkaProducer<>(producerProperties(bootstrapServers(), lingerMs), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** The benchmark's producer settings (idempotent, acks=all), for this JVM's producers and the sender's. */
    static Properties producerProperties(String bootstrapServers, int lingerMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-producer");
        return props;
    }

    /**
     * A {@code read_committed} consumer assigned to every partition of {@code topic}, at the beginning; no group.
     *
     * @param fetchMaxWaitMs how long the broker may hold a fetch for more data (small for latency measurements)
     */
    KafkaConsumer<byte[], byte[]> committedReader(String topic, int fetchMaxWaitMs) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-reader-" + topic);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ADMIN_TIMEOUT_SECONDS);
        while (partitions.isEmpty()) {
            // a topic created a moment ago may not be in this client's metadata yet
            partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    consumer.close();
                    throw new IllegalStateException("topic " + topic + " has no partitions after "
                            + ADMIN_TIMEOUT_SECONDS + " s");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    consumer.close();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** How many committed records the topics hold (reads them to their last stable offset). */
    long countCommitted(Collection<String> topics) {
        long total = 0;
        for (String topic : topics) {
            try (KafkaConsumer<byte[], byte[]> consumer = committedReader(topic, 100)) {
                Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && !reached(consumer, end)) {
                    total += consumer.poll(Duration.ofMillis(100)).count();
                }
            }
        }
        return total;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (var entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": " + e, e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}

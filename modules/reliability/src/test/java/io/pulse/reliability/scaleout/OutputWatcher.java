package io.pulse.reliability.scaleout;

import io.pulse.contracts.Prediction;
import io.pulse.pipeline.PulseConfig;
import io.pulse.registry.serde.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches the predictions topic as a downstream read_committed consumer does, from the beginning, on a thread of its
 * own, and notes when each prediction became visible (this JVM's wall clock): a prediction is visible once the
 * transaction that wrote it committed, so this is the time a consumer of Pulse's output would have seen it.
 */
final class OutputWatcher implements AutoCloseable {

    /** One visible prediction: its event, when the pipeline scored it, and when it became visible here. */
    record Seen(String eventId, long predictedAtMillis, long visibleAtMillis) {
    }

    private final KafkaConsumer<String, Prediction> consumer;
    private final AvroDeserializer<Prediction> values;
    private final Thread thread;
    private final List<Seen> seen = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    OutputWatcher(String bootstrapServers, String registryUrl, String topic) {
        values = new AvroDeserializer<>(Prediction.class);
        values.configure(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), values);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::watch, "scale-out-output-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        try {
            while (running) {
                for (ConsumerRecord<String, Prediction> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    Seen s = new Seen(record.value().getEventId(),
                            record.value().getPredictedAt().toEpochMilli(), now);
                    synchronized (seen) {
                        seen.add(s);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** Every prediction seen so far, in the order it became visible. */
    List<Seen> seen() {
        rethrow();
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    int count() {
        rethrow();
        synchronized (seen) {
            return seen.size();
        }
    }

    private void rethrow() {
        if (failure.get() != null) {
            throw new IllegalStateException("the output watcher failed", failure.get());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        values.close();
    }
}

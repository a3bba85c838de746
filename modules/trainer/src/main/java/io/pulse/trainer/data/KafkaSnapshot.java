package io.pulse.trainer.data;

import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.registry.serde.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded snapshot of {@code user-events} and {@code user-labels}: every record from the beginning of each partition
 * up to the end offsets seen when the snapshot starts ({@code read_committed}, so aborted transactions are not read),
 * and no further, so a round trains on a well-defined history while producers keep writing. No consumer group is
 * used and no offsets are committed.
 *
 * <p>The events are spilled to disk as they are read (the history owns the file: close it), so a snapshot's size is
 * bounded by the disk, not the heap. Of the labels only the positive FRAUD labels are kept (in memory: they grow with
 * the frauds, not the events); the others are counted under {@link #UNUSED_LABELS}.
 *
 * <p>Values are Avro in the Confluent wire format, decoded by Pulse's {@link AvroDeserializer}; records that do not
 * decode (bad bytes, unknown schema id, null value) and events the pipeline would dead-letter (negative or non-finite
 * amount, non-finite rating, event time before the epoch) are skipped and counted by reason. Fraud counts as labelled
 * when the labels topic holds at least one FRAUD label.
 */
public final class KafkaSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSnapshot.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** The skip reason of the labels training does not read ({@link #isUsed}). */
    public static final String UNUSED_LABELS = "labels training does not read (churn, genuine)";

    private final Map<String, Object> clientConfig;
    private final Duration stallTimeout;

    /**
     * @param clientConfig Kafka consumer and serde settings ({@code bootstrap.servers}, {@code schema.registry.url},
     *                     security, ...); group and offset settings are overridden
     * @param stallTimeout give up when no record arrives for this long before the end offsets are reached
     */
    public KafkaSnapshot(Map<String, Object> clientConfig, Duration stallTimeout) {
        this.clientConfig = Map.copyOf(Objects.requireNonNull(clientConfig, "clientConfig"));
        this.stallTimeout = Objects.requireNonNull(stallTimeout, "stallTimeout");
    }

    /**
     * Reads both topics.
     *
     * @param progress told the number of records read so far, now and then
     * @throws IllegalStateException if a topic does not exist or reading stalls
     */
    public History read(String eventsTopic, String labelsTopic, LongConsumer progress) {
        Map<String, Long> skipped = new LinkedHashMap<>();
        List<Label> labels = new ArrayList<>();
        long[] read = {0};
        try (AvroDeserializer<UserEvent> eventDeserializer = new AvroDeserializer<>(UserEvent.class);
             AvroDeserializer<Label> labelDeserializer = new AvroDeserializer<>(Label.class);
             EventLog.Writer events = EventLog.spill()) {
            eventDeserializer.configure(clientConfig, false);
            labelDeserializer.configure(clientConfig, false);
            readTopic(eventsTopic, true, record -> {
                UserEvent event = decode(eventDeserializer, record, skipped, "undecodable events");
                if (event != null) {
                    String invalid = invalidReason(event);
                    if (invalid == null) {
                        events.add(event);
                    } else {
                        skipped.merge(invalid, 1L, Long::sum);
                    }
                }
                progress.accept(++read[0]);
            });
            boolean[] fraudLabelled = {false};
            readTopic(labelsTopic, false, record -> {
                Label label = decode(labelDeserializer, record, skipped, "undecodable labels");
                if (label != null) {
                    fraudLabelled[0] |= label.getKind() == LabelKind.FRAUD;
                    if (isUsed(label)) {
                        labels.add(label);
                    } else {
                        // kept in memory, they would grow with the history: a churn label per event, say
                        skipped.merge(UNUSED_LABELS, 1L, Long::sum);
                    }
                }
                progress.accept(++read[0]);
            });
            return History.of("kafka " + eventsTopic + " + " + labelsTopic + " at " + clientConfig.get(
                    "bootstrap.servers"), events.finish(), labels, fraudLabelled[0], skipped);
        }
    }

    private static <T> T decode(AvroDeserializer<T> deserializer, ConsumerRecord<byte[], byte[]> record,
            Map<String, Long> skipped, String reason) {
        try {
            T value = deserializer.deserialize(record.topic(), record.value());
            if (value == null) {
                skipped.merge(reason, 1L, Long::sum);
            }
            return value;
        } catch (RuntimeException e) {
            skipped.merge(reason, 1L, Long::sum);
            return null;
        }
    }

    /**
     * Whether training reads the label: a positive FRAUD label of an event. Churn is derived from the events
     * themselves, and an event without a positive label counts as genuine, so the rest is only counted.
     */
    public static boolean isUsed(Label label) {
        return label.getKind() == LabelKind.FRAUD && label.getPositive() && label.getEventId() != null;
    }

    /** The pipeline dead-letters these (EventValidator); the trainer must not learn from what is never scored. */
    static String invalidReason(UserEvent event) {
        Double amount = event.getAmount();
        if (amount != null && (!Double.isFinite(amount) || amount < 0)) {
            return "invalid amount";
        }
        Float rating = event.getRating();
        if (rating != null && !Float.isFinite(rating)) {
            return "invalid rating";
        }
        if (event.getEventTime().toEpochMilli() < 0) {
            return "event time before epoch";
        }
        return null;
    }

    private void readTopic(String topic, boolean required, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                if (required) {
                    throw new IllegalStateException("topic " + topic + " does not exist at "
                            + clientConfig.get("bootstrap.servers"));
                }
                LOG.info("topic {} does not exist: no labels", topic);
                return;
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(assigned));
            end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            long lastProgress = System.nanoTime();
            while (!end.isEmpty()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    Long stop = end.get(new TopicPartition(record.topic(), record.partition()));
                    if (stop != null && record.offset() < stop) {
                        sink.accept(record);
                    }
                }
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                if (!end.isEmpty() && System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                    throw new IllegalStateException("reading " + topic + " stalled for " + stallTimeout
                            + " before its end offsets " + end);
                }
            }
        }
    }
}

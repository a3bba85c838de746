package io.pulse.evaluation;

import io.pulse.contracts.schema.Topic;
import io.pulse.contracts.schema.Topic.TopicSpec;
import io.pulse.model.EntityWindowSpec;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.TopicProvisioner;
import io.pulse.pipeline.state.StateStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The topics of one broker-mode fold and what the run needs of them: the handbook's transactions are from 2018, and a
 * broker deletes a segment once its newest record timestamp is older than the topic's {@code retention.ms} (7 days by
 * default), at its next retention check (every 5 minutes by default): without care, a run loses records mid-way.
 *
 * <p>{@link #create} makes the run's topics before anything is written to them, with {@code retention.ms=-1}: the
 * catalogue topics (the pipeline would create them with the broker's default) and the changelog of the windowed
 * {@code scored-events} store, the one internal topic Kafka Streams would give a finite retention (it sets
 * {@code retention.ms} to the store's retention + 1 day, over any {@code topic.retention.ms} default; it uses an
 * existing internal topic with the right partition count as it is). Its other internal topics keep everything
 * already: repartition topics have {@code retention.ms=-1} (the scorer also turns their purge off), key-value
 * changelogs are compacted only. {@link #keepForever} checks that once the pipeline runs, and fixes and names any
 * topic that is not so (a store added later); {@link #logStartOffsets} then shows no record was deleted, and
 * {@link #count} counts each hop.
 * Timestamps in the past are accepted as they are ({@code message.timestamp.before.max.ms} is unbounded by default
 * in this Kafka; the scorer's broker sets it explicitly).
 */
final class BrokerTopics {

    private static final long TIMEOUT_SECONDS = 60;
    /** The suffix Kafka Streams gives a named repartition step's topic. */
    private static final String REPARTITION_SUFFIX = "-repartition";
    /** The suffix Kafka Streams gives a store's changelog topic. */
    private static final String CHANGELOG_SUFFIX = "-changelog";

    private BrokerTopics() {
    }

    /** The internal topic of the entity requests of {@code type} (a repartition topic of the run). */
    static String entityRequests(PulseConfig config, String type) {
        return config.getString(PulseConfig.APPLICATION_ID) + "-" + PulseTopology.entityRequests(type)
                + REPARTITION_SUFFIX;
    }

    /** The internal topic of the way back from the entities to scoring. */
    static String entityResponses(PulseConfig config) {
        return config.getString(PulseConfig.APPLICATION_ID) + "-" + PulseTopology.ENTITY_RESPONSES + REPARTITION_SUFFIX;
    }

    /** The run's topics that exist: the configured catalogue topics and every internal topic of the application. */
    static Set<String> of(Admin admin, PulseConfig config) {
        String internalPrefix = config.getString(PulseConfig.APPLICATION_ID) + "-";
        Set<String> configured = new TreeSet<>();
        for (String key : PulseConfig.topicSettings().keySet()) {
            configured.add(config.topic(key));
        }
        Set<String> names = new TreeSet<>();
        for (String name : call(admin.listTopics().names())) {
            if (configured.contains(name) || name.startsWith(internalPrefix)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The internal topics the run must have once its pipeline is running (with {@code entities}). */
    static List<String> expectedInternal(PulseConfig config, List<EntityWindowSpec> entities) {
        List<String> names = new ArrayList<>();
        for (EntityWindowSpec type : entities) {
            names.add(entityRequests(config, type.type()));
        }
        if (!entities.isEmpty()) {
            names.add(entityResponses(config));
        }
        return names;
    }

    /**
     * Creates the run's catalogue topics and its windowed changelog, all with {@code retention.ms=-1} (the catalogue's
     * other settings kept); returns the names created.
     */
    static List<String> create(Map<String, Object> client, PulseConfig config) {
        int partitions = config.getInt(PulseConfig.TOPIC_PARTITIONS);
        List<TopicSpec> specs = new ArrayList<>();
        for (Topic<?, ?> topic : config.topics()) {
            TopicSpec spec = topic.spec(partitions);
            specs.add(new TopicSpec(spec.name(), spec.partitions(), keptForever(spec.configs())));
        }
        specs.add(new TopicSpec(scoredEventsChangelog(config), partitions, keptForever(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE))));
        return TopicProvisioner.ensureTopics(client, specs);
    }

    /** The changelog Kafka Streams would create for {@code scored-events} (its name rule: id-store-changelog). */
    static String scoredEventsChangelog(PulseConfig config) {
        return config.getString(PulseConfig.APPLICATION_ID) + "-" + StateStores.SCORED_EVENTS + CHANGELOG_SUFFIX;
    }

    private static Map<String, String> keptForever(Map<String, String> configs) {
        Map<String, String> kept = new HashMap<>(configs);
        kept.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
        return kept;
    }

    /**
     * Makes sure no topic of {@code topics} deletes by time: each must be compacted only or have
     * {@code retention.ms=-1}. A topic that is not gets {@code retention.ms=-1} now; returns those (none, unless
     * {@link #create} missed one), and checks the broker then reports every topic as kept.
     *
     * @throws IllegalStateException if a topic still deletes by time
     */
    static List<String> keepForever(Admin admin, Collection<String> topics) {
        List<String> deleting = deletingByTime(admin, topics);
        if (!deleting.isEmpty()) {
            Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
            for (String topic : deleting) {
                ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "-1"), AlterConfigOp.OpType.SET)));
            }
            call(admin.incrementalAlterConfigs(ops).all());
            List<String> still = deletingByTime(admin, topics);
            if (!still.isEmpty()) {
                throw new IllegalStateException("topics would drop 2018-timestamped records: " + still);
            }
        }
        return deleting;
    }

    /** The topics of {@code topics} whose cleanup policy deletes and whose {@code retention.ms} is finite. */
    private static List<String> deletingByTime(Admin admin, Collection<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        List<String> deleting = new ArrayList<>();
        call(admin.describeConfigs(resources).all()).forEach((resource, config) -> {
            boolean deletes = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()
                    .contains(TopicConfig.CLEANUP_POLICY_DELETE);
            if (deletes && !"-1".equals(config.get(TopicConfig.RETENTION_MS_CONFIG).value())) {
                deleting.add(resource.name());
            }
        });
        return deleting;
    }

    /** Per topic, the sum of its partitions' log start offsets: 0 unless the broker deleted records. */
    static Map<String, Long> logStartOffsets(Admin admin, Collection<String> topics) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        call(admin.describeTopics(topics).allTopicNames()).forEach((name, description) ->
                description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()),
                        OffsetSpec.earliest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets = call(admin.listOffsets(request).all());
        Map<String, Long> starts = new LinkedHashMap<>();
        topics.forEach(t -> starts.put(t, 0L));
        offsets.forEach((tp, info) -> starts.merge(tp.topic(), info.offset(), Long::sum));
        return starts;
    }

    /**
     * The committed records of {@code topic} (read_committed, from the start: transaction markers are not records, so
     * offsets cannot be subtracted), read with {@code client}'s settings.
     */
    static long count(Map<String, Object> client, String topic) {
        Map<String, Object> cc = new HashMap<>(client);
        cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        cc.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cc, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // the last stable offsets
            long records = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("counting " + topic + " took longer than 5 minutes");
                }
                records += consumer.poll(Duration.ofMillis(500)).count();
            }
            return records;
        }
    }

    private static <T> T call(KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("broker request failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from the broker within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

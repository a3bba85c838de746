package io.pulse.contracts.schema;

import java.util.Map;
import java.util.Objects;

/**
 * One Kafka topic of the Pulse contract, immutable: its name, the types of its keys and values, and how it is
 * created. The catalogue of Pulse's topics is {@link PulseTopics}; a configured name replaces the default with
 * {@link #withName(String)} and keeps the types and settings.
 *
 * <p>Serdes are not held here so that the contracts stay free of Kafka: {@code io.pulse.registry.serde.TopicSerdes}
 * builds a topic's key and value serdes from a registry config ({@code schema.registry.url} …).
 *
 * @param name      topic name
 * @param keyType   type of the record keys ({@code String}, {@code byte[]} or a generated Avro class)
 * @param valueType type of the record values ({@code byte[]} or a generated Avro class)
 * @param settings  how the topic is created
 * @param <K>       key type
 * @param <V>       value type
 */
public record Topic<K, V>(String name, Class<K> keyType, Class<V> valueType, Settings settings) {

    public Topic {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a topic name must not be blank");
        }
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(settings, "settings");
    }

    /**
     * How a topic is created when Pulse creates it (topics that exist are never changed).
     *
     * @param userKeyed  whether records are keyed by user id: such topics are co-partitioned, they all get the same
     *                   partition count (the one a deployment chooses); otherwise {@code partitions} is fixed
     * @param partitions partition count of a topic that is not user-keyed (ignored for user-keyed topics)
     * @param configs    topic-level configs ({@code cleanup.policy}, {@code max.message.bytes},
     *                   {@code retention.ms} …)
     */
    public record Settings(boolean userKeyed, int partitions, Map<String, String> configs) {

        public Settings {
            if (!userKeyed && partitions < 1) {
                throw new IllegalArgumentException("a topic needs at least 1 partition, was " + partitions);
            }
            configs = Map.copyOf(configs);
        }

        /** Keyed by user id, co-partitioned with the other user-keyed topics. */
        public static Settings userKeyed(Map<String, String> configs) {
            return new Settings(true, 0, configs);
        }

        /** A fixed partition count, whatever the user-keyed topics get. */
        public static Settings fixed(int partitions, Map<String, String> configs) {
            return new Settings(false, partitions, configs);
        }

        /** Partitions of the topic when user-keyed topics get {@code userPartitions}. */
        public int partitions(int userPartitions) {
            if (userPartitions < 1) {
                throw new IllegalArgumentException("userPartitions must be at least 1, was " + userPartitions);
            }
            return userKeyed ? userPartitions : partitions;
        }
    }

    /** The same topic (types and settings) under another name, typically a configured one. */
    public Topic<K, V> withName(String newName) {
        return new Topic<>(newName, keyType, valueType, settings);
    }

    /** What to create for this topic when user-keyed topics get {@code userPartitions}. */
    public TopicSpec spec(int userPartitions) {
        return new TopicSpec(name, settings.partitions(userPartitions), settings.configs());
    }

    /**
     * One topic to create: name, partition count, topic-level configs.
     *
     * @param name       topic name
     * @param partitions partition count
     * @param configs    topic-level configs
     */
    public record TopicSpec(String name, int partitions, Map<String, String> configs) {

        public TopicSpec {
            Objects.requireNonNull(name, "name");
            configs = Map.copyOf(configs);
        }
    }
}

package io.pulse.testsupport;

import io.pulse.infra.LocalInfra;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Unique topic names and application ids, so tests sharing one broker never see each other's records, offsets or
 * state: {@code TestTopics.unique("user-events")} gives {@code "user-events-7-3fa9c2"}.
 *
 * <p>The counter keeps names apart within a JVM; the random suffix keeps them apart across JVMs and reruns against a
 * long-lived broker (e.g. one started with {@code ./pulse infra}). It is deliberately not seeded: it has to differ
 * between runs, and no test outcome depends on its value.
 */
public final class TestTopics {

    /** What Kafka accepts in a topic name; application ids become prefixes of internal topic names too. */
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
    /** Kafka's topic name limit (249) less room for the suffix here and Streams' internal topic suffixes. */
    private static final int MAX_PREFIX_LENGTH = 100;
    private static final AtomicLong COUNTER = new AtomicLong();

    private TestTopics() {
    }

    /** {@code <prefix>-<counter>-<random>}: a topic name no other test in this run or any other run uses. */
    public static String unique(String prefix) {
        if (prefix == null || !LEGAL.matcher(prefix).matches() || prefix.length() > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("prefix must be 1.." + MAX_PREFIX_LENGTH
                    + " characters of a-z, A-Z, 0-9, '.', '_' or '-', got " + prefix);
        }
        String random = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        return prefix + "-" + COUNTER.incrementAndGet() + "-" + random;
    }

    /** A unique Kafka Streams {@code application.id} (also the consumer group and internal topic prefix). */
    public static String uniqueApplicationId(String prefix) {
        return unique(prefix);
    }

    /** A unique consumer {@code group.id}. */
    public static String uniqueGroupId(String prefix) {
        return unique(prefix);
    }

    /** Creates a topic with a unique name (replication factor 1) and returns the name. */
    public static String createUnique(LocalInfra infra, String prefix, int partitions) {
        String name = unique(prefix);
        create(infra, partitions, name);
        return name;
    }

    /** Creates the named topics with {@code partitions} partitions each; existing ones are left alone. */
    public static void create(LocalInfra infra, int partitions, String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String name : names) {
            topics.put(name, partitions);
        }
        infra.createTopics(topics);
    }
}

package io.pulse.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings a local Kafka takes whether it is one broker ({@link LocalKafkaBroker.Builder}) or a cluster
 * ({@link LocalKafkaCluster.Builder}): data directory, clean start, default partition count, start-up timeout and
 * broker properties. Every one has a default that suits a test; each setter returns the concrete builder so calls
 * chain with the settings only one of them has.
 *
 * @param <B> the concrete builder
 */
public abstract class KafkaBuilder<B extends KafkaBuilder<B>> {

    Path dataDir;
    boolean clean;
    int numPartitions = 3;
    Duration startupTimeout;
    final Map<String, String> overrides = new LinkedHashMap<>();

    /** Only the two builders of this package extend it. */
    KafkaBuilder(Duration defaultStartupTimeout) {
        this.startupTimeout = defaultStartupTimeout;
    }

    /**
     * Where logs and metadata live (a cluster's nodes each get a directory below it); by default a temporary
     * directory deleted on {@code close()}.
     */
    public B dataDir(Path dataDir) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        return self();
    }

    /** Whether to delete the data directory before starting, so no topic or offset survives (default false). */
    public B clean(boolean clean) {
        this.clean = clean;
        return self();
    }

    /** Partitions of topics created without an explicit count (broker {@code num.partitions}, default 3). */
    public B numPartitions(int numPartitions) {
        if (numPartitions < 1) {
            throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
        }
        this.numPartitions = numPartitions;
        return self();
    }

    /**
     * How long {@code start()} waits for Kafka to be ready: a broker to answer (default 60 s), every node of a
     * cluster to be a live broker (default 90 s).
     */
    public B startupTimeout(Duration startupTimeout) {
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive, got " + startupTimeout);
        }
        this.startupTimeout = startupTimeout;
        return self();
    }

    /** Any broker setting (on every node of a cluster), applied last, so it wins over Pulse's defaults. */
    public B property(String key, String value) {
        overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return self();
    }

    /** Broker settings applied last, as {@link #property(String, String)}. */
    public B properties(Map<String, String> properties) {
        properties.forEach(this::property);
        return self();
    }

    /** This builder as its concrete type. */
    abstract B self();
}

package io.pulse.infra;

import io.pulse.infra.internal.DataDirs;
import io.pulse.infra.internal.StartOnce;
import io.pulse.infra.internal.TopicCreation;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a local Kafka does the same whether it is one broker ({@link LocalKafkaBroker}) or a cluster
 * ({@link LocalKafkaCluster}): the builder's common settings, the data directory (cleaned on request, a temporary one
 * deleted on close), the start-once lifecycle with clean-up after a failed start, the settings every node of either
 * gets, admin clients and topic creation. The two subclasses start and stop their nodes and say how they replicate.
 */
abstract class LocalKafka implements AutoCloseable {

    /** Where each KRaft node keeps its logs and metadata, below its data directory. */
    static final String LOG_DIR = "kraft-combined-logs";

    final Path dataDir;
    final boolean clean;
    final boolean deleteDataDirOnClose;
    final int numPartitions;
    final Duration startupTimeout;
    final Map<String, String> overrides;
    final StartOnce lifecycle;
    private final Logger log;
    /** What the logs call it: "Kafka broker" or "Kafka cluster". */
    private final String name;

    LocalKafka(KafkaBuilder<?> builder, String tempDirPrefix, StartOnce lifecycle, String name) {
        this.deleteDataDirOnClose = builder.dataDir == null;
        this.dataDir = builder.dataDir != null ? builder.dataDir.toAbsolutePath().normalize()
                : DataDirs.createTemp(tempDirPrefix);
        this.clean = builder.clean;
        this.numPartitions = builder.numPartitions;
        this.startupTimeout = builder.startupTimeout;
        this.overrides = Map.copyOf(builder.overrides);
        this.lifecycle = lifecycle;
        this.log = LoggerFactory.getLogger(getClass());
        this.name = name;
    }

    /** Starts the nodes and waits until they are ready; {@link #stopNodes()} cleans up if it throws. */
    abstract void startNodes();

    /** Stops whatever nodes run, quietly; returns whether any had been started. */
    abstract boolean stopNodes();

    /** The start failure's message up to the data directory, e.g. "the local Kafka cluster failed to start". */
    abstract String startFailure();

    /** Logs that the start took {@code millis}. */
    abstract void logReady(long millis);

    /** The addresses of every client listener, for logs (no lifecycle check). */
    abstract String bootstrapAddresses();

    /** Where {@link #createAdmin()} connects: a listener that needs no credentials. */
    abstract String adminBootstrapServers();

    /** Replicas of topics created by {@link #createTopics(Map)}. */
    abstract int replicationFactor();

    /**
     * Runs the start under the lifecycle: cleans and creates the data directory, {@link #startNodes()}, and on a
     * failure stops what started, deletes a temporary data directory and rethrows as an {@link InfraException}.
     */
    final void startLifecycle() {
        lifecycle.start(() -> {
            long startNanos = System.nanoTime();
            try {
                if (clean) {
                    DataDirs.deleteRecursively(dataDir);
                }
                DataDirs.ensure(dataDir);
                startNodes();
            } catch (RuntimeException e) {
                stopNodes();
                deleteTemporaryDataDir();
                throw e instanceof InfraException ie ? ie
                        : new InfraException(startFailure() + " (data dir " + dataDir + "): " + e, e);
            }
            logReady(millisSince(startNanos));
        });
    }

    /** Where the logs and metadata live (a cluster: one {@code node-<id>} directory per node). */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether {@code start()} succeeded and {@link #close()} was not called yet (some cluster nodes may be stopped). */
    public boolean isRunning() {
        return lifecycle.isRunning();
    }

    /** A new admin client that needs no credentials; the caller closes it. */
    public Admin createAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, adminBootstrapServers()));
    }

    /**
     * Creates topics with the given partition counts ({@code replicationFactor} replicas each: 1 on a broker,
     * {@link LocalKafkaCluster#replicationFactor()} on a cluster); topics that already exist are left as they are.
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((topic, partitions) ->
                topics.add(new NewTopic(topic, partitions, (short) replicationFactor())));
        createTopics(topics);
    }

    /** Creates the given topics; topics that already exist are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = createAdmin()) {
            TopicCreation.create(admin, topics);
        }
    }

    /** Stops every node and waits until they have stopped; calling it again does nothing. */
    @Override
    public void close() {
        lifecycle.close(() -> {
            long startNanos = System.nanoTime();
            if (stopNodes()) {
                log.info("{} at {} stopped in {} ms", name, bootstrapAddresses(), millisSince(startNanos));
            }
            deleteTemporaryDataDir();
        });
    }

    private void deleteTemporaryDataDir() {
        if (deleteDataDirOnClose) {
            DataDirs.deleteRecursively(dataDir);
        }
    }

    /**
     * The settings a broker and every cluster node share: a combined broker and controller, replication as given,
     * and what suits a developer machine. The caller adds listeners, log directory and thread pools, then
     * {@link #overrides}.
     */
    final Properties commonProperties(int nodeId, int replicationFactor, int minInsyncReplicas) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(nodeId));
        p.setProperty("controller.listener.names", "CONTROLLER");

        // every internal topic replicated as far as the node count allows: with three nodes an acks=all write and a
        // transaction commit need two of three replicas, so one node may be down without stopping producers
        String replicas = Integer.toString(replicationFactor);
        String minInsync = Integer.toString(minInsyncReplicas);
        p.setProperty("default.replication.factor", replicas);
        p.setProperty("min.insync.replicas", minInsync);
        p.setProperty("offsets.topic.replication.factor", replicas);
        p.setProperty("transaction.state.log.replication.factor", replicas);
        p.setProperty("transaction.state.log.min.isr", minInsync);
        p.setProperty("share.coordinator.state.topic.replication.factor", replicas);
        p.setProperty("share.coordinator.state.topic.min.isr", minInsync);
        // fewer internal partitions than the production default of 50: faster group / transaction coordinator loads
        // and fewer files, on a machine that runs every node
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.num.partitions", "5");

        p.setProperty("num.partitions", Integer.toString(numPartitions));
        // a typo in a topic name must fail, not silently create a topic
        p.setProperty("auto.create.topics.enable", "false");
        // tests and developers start consumers one at a time: no reason to wait 3 s for more members
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // the default 128 MiB buffer is allocated up front, per node; compacted topics here are small
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        // thread pools sized for a laptop or a 2-core CI machine rather than a server
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        return p;
    }

    /** Starts one KRaft server with {@code props}; shuts it down again if its start-up fails. */
    final KafkaRaftServer startServer(Properties props, String what) {
        KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        try {
            candidate.startup();
        } catch (RuntimeException e) {
            shutDownQuietly(candidate, what);
            throw e;
        }
        return candidate;
    }

    /** Shuts a server down and waits for it; a failure is logged, not thrown. */
    final void shutDownQuietly(KafkaRaftServer server, String what) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("{} shutdown failed", what, e);
        }
    }

    /** An admin client for start-up checks, named so the broker's logs tell it apart. */
    static Admin readinessAdmin(String bootstrapServers, String clientId) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, clientId));
    }

    /** Whether a start failed because a port was taken (anywhere in the cause chain or among suppressed failures). */
    static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || Optional.ofNullable(t.getMessage()).orElse("").contains("already in use")) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (isBindFailure(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Milliseconds left until {@code deadline} ({@link System#nanoTime()}), at least 1. */
    static long remainingMs(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}

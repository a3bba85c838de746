package io.pulse.infra;

import io.pulse.infra.internal.FreePorts;
import io.pulse.infra.internal.KraftStorage;
import io.pulse.infra.internal.StartOnce;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real multi-node Kafka cluster (KRaft, default three nodes) running inside this JVM, with replication: what tests
 * of fail-over and scale-out need, where {@link LocalKafkaBroker}'s single node cannot show a replica taking over.
 *
 * <p>Every node is a combined broker and controller ({@code process.roles=broker,controller}) and a voter of one
 * static KRaft quorum ({@code controller.quorum.voters} names all of them). With three nodes the quorum survives the
 * loss of any one node, so {@link #stopNode(int)} may stop any node, the active controller included, and the other two
 * go on serving clients and electing partition leaders. (One controller and broker-only followers would be a little
 * lighter, but stopping that one node would freeze every leader election and the cluster could no longer serve as a
 * stage for broker failures.) Because a combined node's broker waits for a quorum before its start-up returns, the
 * nodes start in parallel.
 *
 * <p>Each node has its own data directory ({@code <dataDir>/node-<id>}), formatted with one shared cluster id, and
 * its own PLAINTEXT client port and CONTROLLER port, all on 127.0.0.1 only. Settings suit a real replicated cluster:
 * replication factor {@code min(3, nodes)} for new topics and for the offsets and transaction logs,
 * {@code min.insync.replicas} one less (2 of 3, so an {@code acks=all} write survives one node down), no topic
 * auto-creation, no initial rebalance delay and a small log cleaner buffer.
 *
 * <pre>{@code
 * try (LocalKafkaCluster cluster = LocalKafkaCluster.builder().build().start()) {
 *     cluster.createTopics(Map.of("user-events", 6));   // replication factor 3
 *     String bootstrap = cluster.bootstrapServers();    // "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3"
 * }
 * }</pre>
 *
 * <p>The nodes share this JVM, as in Kafka's own multi-broker integration tests. What Kafka names per node stays
 * apart ({@code app-info} and client metrics carry the node id), but the brokers' Yammer metrics (JMX
 * {@code kafka.server:*}) live in one JVM-wide registry: meters count for all nodes together, a gauge shows whichever
 * node registered it first, and stopping a node removes some of them. Nothing here reads them; do not monitor this
 * cluster through them.
 *
 * <p>Not for production: plaintext listeners, and three nodes on one machine share its disk and CPU.
 */
public final class LocalKafkaCluster extends LocalKafka {

    /** Nodes unless the builder says otherwise: the smallest cluster that keeps a quorum with one node down. */
    public static final int DEFAULT_NODES = 3;

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaCluster.class);
    private static final int MAX_START_ATTEMPTS = 3;

    private final int nodeCount;
    private final List<ClusterNode> nodes;

    private String clusterId;

    private LocalKafkaCluster(Builder builder) {
        super(builder, "pulse-kafka-cluster-", new StartOnce("LocalKafkaCluster", "the cluster"), "Kafka cluster");
        this.nodeCount = builder.nodes;
        this.nodes = IntStream.rangeClosed(1, nodeCount)
                .mapToObj(id -> new ClusterNode(id, dataDir.resolve("node-" + id)))
                .toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats every node's storage if needed, starts all nodes in parallel and waits until every one of them is a
     * registered, unfenced broker.
     *
     * @return this cluster, started
     * @throws InfraException if a node cannot bind its ports or the cluster is not ready within the start-up timeout
     * @throws IllegalStateException if it was started or closed before
     */
    public LocalKafkaCluster start() {
        startLifecycle();
        return this;
    }

    @Override
    void startNodes() {
        clusterId = existingClusterId().orElseGet(() -> Uuid.randomUuid().toString());
        startWithRetries();
        awaitBrokers(nodeCount);
    }

    /** The nodes stop in parallel, so each one's controlled shutdown still finds a quorum to approve it. */
    @Override
    boolean stopNodes() {
        shutDownInParallel();
        return true;
    }

    @Override
    String startFailure() {
        return "the local Kafka cluster failed to start";
    }

    @Override
    void logReady(long millis) {
        LOG.info("Kafka cluster of {} nodes ready at {} in {} ms (cluster id {}, data dir {})", nodeCount,
                bootstrapAddresses(), millis, clusterId, dataDir);
    }

    /**
     * Every node's ports are in every node's {@code controller.quorum.voters}, so a port taken by another process
     * between choosing and binding means choosing all ports again and starting every node afresh.
     */
    private void startWithRetries() {
        for (int attempt = 1; ; attempt++) {
            for (ClusterNode node : nodes) {
                node.port = FreePorts.findFreePort();
                node.controllerPort = FreePorts.findFreePort();
            }
            try {
                for (ClusterNode node : nodes) {
                    formatStorage(node, nodeProperties(node));
                }
                runInParallel(nodes, this::launch, "start");
                return;
            } catch (RuntimeException e) {
                shutDownInParallel();
                if (attempt < MAX_START_ATTEMPTS && isBindFailure(e)) {
                    LOG.warn("a Kafka cluster node could not bind its ports (taken meanwhile), retrying on other ports");
                    continue;
                }
                throw e;
            }
        }
    }

    private void launch(ClusterNode node) {
        FreePorts.requireFree(node.port, "Kafka node " + node.id, false);
        FreePorts.requireFree(node.controllerPort, "Kafka node " + node.id + " controller", false);
        KafkaRaftServer candidate = startServer(nodeProperties(node), node.name());
        synchronized (node) {
            node.server = candidate;
        }
    }

    /**
     * One node's configuration: a combined broker and controller in the static quorum of all nodes, then the
     * builder's overrides. Package-private so unit tests can check it without starting anything; the ports must have
     * been chosen.
     */
    Properties nodeProperties(int nodeId) {
        return nodeProperties(node(nodeId));
    }

    private Properties nodeProperties(ClusterNode node) {
        // replicated like a production cluster, as far as the node count allows
        Properties p = commonProperties(node.id, replicationFactor(), minInsyncReplicas());
        String host = FreePorts.LOOPBACK;
        // a static quorum of every node: nothing to bootstrap, and a node restarted on the same ports rejoins it
        p.setProperty("controller.quorum.voters", nodes.stream()
                .map(n -> n.id + "@" + host + ":" + n.controllerPort)
                .collect(Collectors.joining(",")));
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + node.port + ",CONTROLLER://" + host + ":"
                + node.controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + node.port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", node.logDir().toString());
        // several nodes share one small machine: thread pools sized for it rather than for a server each
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");

        overrides.forEach(p::setProperty);
        return p;
    }

    private void formatStorage(ClusterNode node, Properties props) {
        LOG.debug("kafka storage format of node {}: {}", node.id, KraftStorage.format(node.dataDir, props, clusterId,
                "LocalKafkaCluster", "node " + node.id + " in " + node.logDir()));
    }

    /** The cluster id of an earlier run on this data dir (from any node formatted then), if there was one. */
    private Optional<String> existingClusterId() {
        for (ClusterNode node : nodes) {
            Optional<String> id = KraftStorage.clusterIdIn(node.logDir());
            if (id.isPresent()) {
                return id;
            }
        }
        return Optional.empty();
    }

    /**
     * Waits until the cluster reports {@code expected} live brokers. A broker is listed once the controller has
     * registered and unfenced it, i.e. once it can lead and follow partitions.
     */
    private void awaitBrokers(int expected) {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        List<Node> live = List.of();
        try (Admin admin = readinessAdmin(runningAddresses(), "pulse-infra-cluster-readiness")) {
            while (System.nanoTime() < deadline) {
                int timeoutMs = (int) remainingMs(deadline);
                try {
                    live = List.copyOf(admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                            .nodes().get(timeoutMs, TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    LOG.debug("describeCluster failed while waiting for {} brokers: {}", expected, e.getCause());
                }
                if (live.size() >= expected) {
                    return;
                }
                Thread.sleep(100); // brokers unfence within a heartbeat or two (broker.heartbeat.interval.ms)
            }
        } catch (TimeoutException e) {
            // fall through to the failure below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while waiting for the local Kafka cluster", e);
        }
        throw new InfraException("the local Kafka cluster at " + bootstrapAddresses() + " reported " + live.size()
                + " live brokers " + live + " instead of " + expected + " within " + startupTimeout + " (data dir "
                + dataDir + ")");
    }

    /** Comma-separated {@code 127.0.0.1:port} of every node, the value for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        lifecycle.requireStarted();
        return bootstrapAddresses();
    }

    @Override
    String bootstrapAddresses() {
        return nodes.stream().map(ClusterNode::address).collect(Collectors.joining(","));
    }

    /** The addresses of the nodes running now (all of them, unless some were stopped). */
    private String runningAddresses() {
        String running = nodes.stream().filter(ClusterNode::isUp).map(ClusterNode::address)
                .collect(Collectors.joining(","));
        return running.isEmpty() ? bootstrapAddresses() : running;
    }

    /** How many nodes the cluster has (running or stopped). */
    public int size() {
        return nodeCount;
    }

    /** The node ids, {@code 1..size()}. */
    public List<Integer> nodeIds() {
        return nodes.stream().map(node -> node.id).toList();
    }

    /** The replication factor of new topics and of Kafka's internal topics: {@code min(3, size())}. */
    @Override
    public int replicationFactor() {
        return Math.min(3, nodeCount);
    }

    /** The brokers' {@code min.insync.replicas}: one less than {@link #replicationFactor()}, at least 1. */
    public int minInsyncReplicas() {
        return Math.max(1, replicationFactor() - 1);
    }

    /** The client (PLAINTEXT) port of a node on 127.0.0.1. */
    public int port(int nodeId) {
        lifecycle.requireStarted();
        return node(nodeId).port;
    }

    /** The KRaft controller port of a node on 127.0.0.1 (clients never need it). */
    public int controllerPort(int nodeId) {
        lifecycle.requireStarted();
        return node(nodeId).controllerPort;
    }

    /** The cluster id every node was formatted with. */
    public String clusterId() {
        lifecycle.requireStarted();
        return clusterId;
    }

    /** Whether a node is running, i.e. the cluster runs and the node was not stopped with {@link #stopNode(int)}. */
    public boolean isNodeRunning(int nodeId) {
        return node(nodeId).isUp();
    }

    /**
     * Stops one node (broker and controller alike) with a controlled shutdown: its partition leaderships move to the
     * other replicas first. With three nodes the other two keep a quorum, so any node may be stopped.
     *
     * @throws IllegalStateException if the cluster is not running or the node is already stopped
     */
    public void stopNode(int nodeId) {
        synchronized (lifecycle.lock()) {
            lifecycle.requireRunning();
            ClusterNode node = node(nodeId);
            KafkaRaftServer server;
            synchronized (node) {
                server = node.server;
                node.server = null;
            }
            if (server == null) {
                throw new IllegalStateException("node " + nodeId + " is already stopped");
            }
            long startNanos = System.nanoTime();
            shutDownQuietly(server, node.name());
            LOG.info("Kafka node {} at {} stopped in {} ms", nodeId, node.address(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }
    }

    /**
     * Starts a node stopped with {@link #stopNode(int)} again, on its former ports and data directory, and waits
     * until every node is a live broker again.
     *
     * @throws IllegalStateException if the cluster is not running or the node is running
     * @throws InfraException if the node cannot start (e.g. another process took one of its ports meanwhile)
     */
    public void startNode(int nodeId) {
        synchronized (lifecycle.lock()) {
            lifecycle.requireRunning();
            ClusterNode node = node(nodeId);
            if (node.isUp()) {
                throw new IllegalStateException("node " + nodeId + " is running");
            }
            long startNanos = System.nanoTime();
            try {
                launch(node);
            } catch (RuntimeException e) {
                throw new InfraException("Kafka node " + nodeId + " failed to restart on " + node.address() + ": "
                        + e, e);
            }
            awaitBrokers((int) nodes.stream().filter(ClusterNode::isUp).count());
            LOG.info("Kafka node {} at {} restarted in {} ms", nodeId, node.address(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }
    }

    /** Any node serves admin requests (no credentials: every listener is PLAINTEXT). */
    @Override
    String adminBootstrapServers() {
        return bootstrapServers();
    }

    private void shutDownInParallel() {
        runInParallel(nodes, node -> {
            KafkaRaftServer server;
            synchronized (node) {
                server = node.server;
                node.server = null;
            }
            shutDownQuietly(server, node.name());
        }, "stop");
    }

    /** Runs {@code action} for every node on a thread of its own and rethrows the first failure once all are done. */
    private static void runInParallel(List<ClusterNode> nodes, Consumer<ClusterNode> action, String what) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (ClusterNode node : nodes) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    action.accept(node);
                    future.complete(null);
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                }
            }, "pulse-kafka-node-" + node.id + "-" + what);
            thread.setDaemon(true);
            thread.start();
            futures.add(future);
        }
        RuntimeException failure = null;
        for (CompletableFuture<Void> future : futures) {
            try {
                future.join();
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException re ? re
                        : new InfraException(what + " of a Kafka node failed: " + e.getCause(), e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private ClusterNode node(int nodeId) {
        if (nodeId < 1 || nodeId > nodeCount) {
            throw new IllegalArgumentException("node ids are 1.." + nodeCount + ", got " + nodeId);
        }
        return nodes.get(nodeId - 1);
    }

    @Override
    public String toString() {
        return "LocalKafkaCluster[" + nodeCount + " nodes, PLAINTEXT://" + bootstrapAddresses() + ", dataDir="
                + dataDir + "]";
    }

    /** One node: where it keeps its data, the ports it was given, and its server while it runs. */
    private static final class ClusterNode {
        final int id;
        final Path dataDir;
        volatile int port;
        volatile int controllerPort;
        /** Guarded by this node's monitor; null while stopped. */
        KafkaRaftServer server;

        ClusterNode(int id, Path dataDir) {
            this.id = id;
            this.dataDir = dataDir;
        }

        Path logDir() {
            return dataDir.resolve(LOG_DIR);
        }

        /** What logs call it: "Kafka node 2". */
        String name() {
            return "Kafka node " + id;
        }

        String address() {
            return FreePorts.LOOPBACK + ":" + port;
        }

        synchronized boolean isUp() {
            return server != null;
        }
    }

    /** Settings for a {@link LocalKafkaCluster}; every one has a default that suits a test. */
    public static final class Builder extends KafkaBuilder<Builder> {
        private int nodes = DEFAULT_NODES;

        private Builder() {
            super(Duration.ofSeconds(90));
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * How many nodes (default 3), each a broker and a controller voter. Three tolerate one node down; two
         * tolerate none (a quorum of two needs both), so prefer odd counts.
         */
        public Builder nodes(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("a cluster needs at least 1 node, got " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        public LocalKafkaCluster build() {
            return new LocalKafkaCluster(this);
        }
    }
}

package io.pulse.infra;

import io.pulse.infra.internal.DataDirs;
import io.pulse.infra.internal.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller roles) running inside this JVM.
 *
 * <p>It listens on 127.0.0.1 only: a PLAINTEXT listener for clients and a CONTROLLER listener for its own quorum.
 * Its settings suit one developer or one test run: replication factor 1 everywhere (offsets, transactions, share
 * state), no initial rebalance delay, a small log cleaner buffer and no topic auto-creation (so a typo in a topic name
 * fails loudly instead of creating a topic). Transactions work, so Kafka Streams' {@code exactly_once_v2} runs
 * against it.
 *
 * <pre>{@code
 * try (LocalKafkaBroker broker = LocalKafkaBroker.builder().port(9092).dataDir(dir).build().start()) {
 *     broker.createTopics(Map.of("user-events", 3));
 *     String bootstrap = broker.bootstrapServers(); // "127.0.0.1:9092"
 * }
 * }</pre>
 *
 * <p>Not for production: one node, no replication, no security.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** The port Kafka clients expect by default. */
    public static final int DEFAULT_PORT = 9092;

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final int NODE_ID = 1;
    /** How many times a start on ports chosen here is retried when another process took a port first. */
    private static final int MAX_START_ATTEMPTS = 3;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private final int requestedPort;
    private final int requestedControllerPort;
    private final Path dataDir;
    private final boolean clean;
    private final boolean deleteDataDirOnClose;
    private final int numPartitions;
    private final Duration startupTimeout;
    private final Map<String, String> overrides;

    private final Object lock = new Object();
    private State state = State.NEW;
    private KafkaRaftServer server;
    private int port;
    private int controllerPort;

    private enum State { NEW, RUNNING, CLOSED }

    private LocalKafkaBroker(Builder builder) {
        this.requestedPort = builder.port;
        this.requestedControllerPort = builder.controllerPort;
        this.deleteDataDirOnClose = builder.dataDir == null;
        this.dataDir = builder.dataDir != null ? builder.dataDir.toAbsolutePath().normalize()
                : DataDirs.createTemp("pulse-kafka-");
        this.clean = builder.clean;
        this.numPartitions = builder.numPartitions;
        this.startupTimeout = builder.startupTimeout;
        this.overrides = Map.copyOf(builder.overrides);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the storage if needed, starts the broker and waits until an admin client can describe the cluster.
     *
     * @return this broker, started
     * @throws InfraException if it cannot bind its ports or does not answer within the start-up timeout
     * @throws IllegalStateException if it was started or closed before
     */
    public LocalKafkaBroker start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("a LocalKafkaBroker starts once; this one is " + state);
            }
            long startNanos = System.nanoTime();
            try {
                if (clean) {
                    DataDirs.deleteRecursively(dataDir);
                }
                DataDirs.ensure(dataDir);
                startWithRetries();
                awaitReady();
            } catch (RuntimeException e) {
                shutDownQuietly(server);
                server = null;
                state = State.CLOSED;
                if (deleteDataDirOnClose) {
                    DataDirs.deleteRecursively(dataDir);
                }
                throw e instanceof InfraException ie ? ie
                        : new InfraException("the local Kafka broker failed to start on " + bootstrapAddress()
                                + " (data dir " + dataDir + "): " + e, e);
            }
            state = State.RUNNING;
            LOG.info("Kafka broker ready at {} in {} ms (data dir {})", bootstrapAddress(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dataDir);
            return this;
        }
    }

    private void startWithRetries() {
        // ports a person chose are checked once, up front: retrying cannot free them
        if (requestedPort != 0) {
            FreePorts.requireFree(requestedPort, "Kafka", true);
        }
        if (requestedControllerPort != 0) {
            FreePorts.requireFree(requestedControllerPort, "Kafka controller", true);
        }
        boolean portsChosenHere = requestedPort == 0 || requestedControllerPort == 0;
        int attempts = portsChosenHere ? MAX_START_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            port = FreePorts.resolve(requestedPort);
            controllerPort = FreePorts.resolve(requestedControllerPort);
            try {
                startOnce();
                return;
            } catch (RuntimeException e) {
                if (attempt < attempts && isBindFailure(e)) {
                    LOG.warn("Kafka broker could not bind 127.0.0.1:{}/{} (taken meanwhile), retrying on other ports",
                            port, controllerPort);
                    continue;
                }
                throw e;
            }
        }
    }

    private void startOnce() {
        FreePorts.requireFree(port, "Kafka", false);
        FreePorts.requireFree(controllerPort, "Kafka controller", false);
        Properties props = brokerProperties(port, controllerPort);
        formatStorage(props);
        KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        try {
            candidate.startup();
        } catch (RuntimeException e) {
            shutDownQuietly(candidate);
            throw e;
        }
        server = candidate;
    }

    /**
     * The broker configuration: what a one-node developer broker needs, then the builder's overrides.
     * Package-private so unit tests can check it without starting anything.
     */
    Properties brokerProperties(int clientPort, int ctrlPort) {
        Properties p = new Properties();
        String host = FreePorts.LOOPBACK;
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        // a static one-voter quorum: nothing to bootstrap, and restarts on other ports keep working
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + host + ":" + ctrlPort);
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + clientPort + ",CONTROLLER://" + host + ":" + ctrlPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + clientPort);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir().toString());

        // one node: every internal topic has one replica and needs one in-sync replica
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // fewer internal partitions than the production default of 50: faster first group / transaction
        // coordinator load and fewer files, and nothing to spread over one broker anyway
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.num.partitions", "5");

        p.setProperty("num.partitions", Integer.toString(numPartitions));
        // a typo in a topic name must fail, not silently create a topic
        p.setProperty("auto.create.topics.enable", "false");
        // tests and developers start consumers one at a time: no reason to wait 3 s for more members
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // the default 128 MiB buffer is allocated up front; compacted topics here are small
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        // thread pools sized for a laptop or a 2-core CI machine rather than a server
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "4");
        p.setProperty("num.recovery.threads.per.data.dir", "1");

        overrides.forEach(p::setProperty);
        return p;
    }

    private void formatStorage(Properties props) {
        Path configFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            props.store(out, "Written by Pulse's LocalKafkaBroker on each start; edit the builder, not this file");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + configFile, e);
        }
        String[] args = {
            "format",
            "--config", configFile.toString(),
            "--cluster-id", existingClusterId().orElseGet(() -> Uuid.randomUuid().toString()),
            // a data dir formatted by an earlier run keeps its cluster id (the format tool insists it matches) and
            // its topics
            "--ignore-formatted",
        };
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(args, printStream);
        }
        String printed = output.toString(StandardCharsets.UTF_8).strip();
        if (exitCode != 0) {
            throw new InfraException("formatting Kafka storage in " + logDir() + " failed (exit code " + exitCode
                    + "): " + printed);
        }
        LOG.debug("kafka storage format: {}", printed);
    }

    /** The cluster id of an earlier run on this data dir, if there was one. */
    private Optional<String> existingClusterId() {
        Path metaProperties = logDir().resolve("meta.properties");
        if (!Files.isRegularFile(metaProperties)) {
            return Optional.empty();
        }
        Properties meta = new Properties();
        try (var in = Files.newInputStream(metaProperties)) {
            meta.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + metaProperties, e);
        }
        return Optional.ofNullable(meta.getProperty("cluster.id"));
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapAddress(),
                AdminClientConfig.CLIENT_ID_CONFIG, "pulse-infra-readiness"))) {
            int timeoutMs = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                throw new InfraException("the local Kafka broker at " + bootstrapAddress() + " reports no nodes");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new InfraException("the local Kafka broker at " + bootstrapAddress() + " did not answer "
                    + "describeCluster within " + startupTimeout + " (data dir " + dataDir + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while waiting for the local Kafka broker to start", e);
        }
    }

    /** {@code host:port} of the client listener, the value for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        requireStarted();
        return bootstrapAddress();
    }

    private String bootstrapAddress() {
        return FreePorts.LOOPBACK + ":" + port;
    }

    /** The client (PLAINTEXT) listener port. */
    public int port() {
        requireStarted();
        return port;
    }

    /** The port of the KRaft controller listener (clients never need it). */
    public int controllerPort() {
        requireStarted();
        return controllerPort;
    }

    /** Where the broker keeps its logs and metadata. */
    public Path dataDir() {
        return dataDir;
    }

    private Path logDir() {
        return dataDir.resolve("kraft-combined-logs");
    }

    /** Whether {@link #start()} succeeded and {@link #close()} was not called yet. */
    public boolean isRunning() {
        synchronized (lock) {
            return state == State.RUNNING;
        }
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin createAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * Creates topics (replication factor 1) with the given partition counts; topics that already exist are left as
     * they are.
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
        createTopics(topics);
    }

    /** Creates the given topics; topics that already exist are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = createAdmin()) {
            var futures = admin.createTopics(topics).values();
            for (var entry : futures.entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new InfraException("could not create topic " + entry.getKey() + ": " + e.getCause(),
                                e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new InfraException("creating topic " + entry.getKey() + " took longer than 30 s", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while creating topics", e);
        }
    }

    /** Shuts the broker down and waits until it has stopped; calling it again does nothing. */
    @Override
    public void close() {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            if (server != null) {
                long startNanos = System.nanoTime();
                shutDownQuietly(server);
                server = null;
                LOG.info("Kafka broker at {} stopped in {} ms", bootstrapAddress(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            }
            if (deleteDataDirOnClose) {
                DataDirs.deleteRecursively(dataDir);
            }
        }
    }

    private static void shutDownQuietly(KafkaRaftServer candidate) {
        if (candidate == null) {
            return;
        }
        try {
            candidate.shutdown();
            candidate.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka broker shutdown failed", e);
        }
    }

    private void requireStarted() {
        synchronized (lock) {
            if (state == State.NEW) {
                throw new IllegalStateException("the broker is not started yet: call start() first");
            }
        }
    }

    @Override
    public String toString() {
        return "LocalKafkaBroker[" + bootstrapAddress() + ", dataDir=" + dataDir + "]";
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || Optional.ofNullable(t.getMessage()).orElse("").contains("already in use")) {
                return true;
            }
        }
        return false;
    }


    /** Settings for a {@link LocalKafkaBroker}; every one has a default that suits a test. */
    public static final class Builder {
        private int port;
        private int controllerPort;
        private Path dataDir;
        private boolean clean;
        private int numPartitions = 3;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /** Client listener port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** KRaft controller listener port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort);
            return this;
        }

        /** Where logs and metadata live; by default a temporary directory deleted on {@link #close()}. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** Whether to delete the data directory before starting, so no topic or offset survives (default false). */
        public Builder clean(boolean clean) {
            this.clean = clean;
            return this;
        }

        /** Partitions of topics created without an explicit count (broker {@code num.partitions}, default 3). */
        public Builder numPartitions(int numPartitions) {
            if (numPartitions < 1) {
                throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
            }
            this.numPartitions = numPartitions;
            return this;
        }

        /** How long {@link #start()} waits for the broker to answer (default 60 s). */
        public Builder startupTimeout(Duration startupTimeout) {
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, got " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** Any broker setting; applied last, so it wins over Pulse's defaults. */
        public Builder property(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Broker settings applied last, as {@link #property(String, String)}. */
        public Builder properties(Map<String, String> properties) {
            properties.forEach(this::property);
            return this;
        }

        public LocalKafkaBroker build() {
            return new LocalKafkaBroker(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be within 0..65535 (0 = any free port), got " + port);
            }
            return port;
        }
    }
}

package io.pulse.infra;

import io.pulse.infra.internal.DataDirs;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Kafka broker and Schema Registry, both real, both on 127.0.0.1: what {@code ./pulse infra}, the demo and
 * the integration tests run against.
 *
 * <p>The two start in parallel (the registry is a child process, so its start-up costs this JVM little). This class
 * prints nothing; callers read the addresses from {@link #bootstrapServers()} and {@link #schemaRegistryUrl()}.
 *
 * <pre>{@code
 * try (LocalInfra infra = LocalInfra.start(LocalInfraConfig.defaults())) {
 *     infra.createTopics(Map.of("user-events", 3));
 *     props.put("bootstrap.servers", infra.bootstrapServers());
 *     props.put("schema.registry.url", infra.schemaRegistryUrl());
 * }
 * }</pre>
 */
public final class LocalInfra implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalInfra.class);

    private final LocalInfraConfig config;
    private final Path dataDir;
    private final LocalKafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private final Object lock = new Object();
    private boolean closed;

    private LocalInfra(LocalInfraConfig config, Path dataDir, LocalKafkaBroker broker, LocalSchemaRegistry registry) {
        this.config = config;
        this.dataDir = dataDir;
        this.broker = broker;
        this.registry = registry;
    }

    /**
     * Starts the broker and the registry in parallel and returns once both answer.
     *
     * @throws InfraException if either fails to start; the other is then stopped again
     */
    public static LocalInfra start(LocalInfraConfig config) {
        Objects.requireNonNull(config, "config");
        long startNanos = System.nanoTime();
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        if (config.clean()) {
            DataDirs.deleteRecursively(dataDir);
        }
        DataDirs.ensure(dataDir);

        LocalInfraConfig.Security security = config.security();
        LocalSchemaRegistry.Builder registryBuilder = LocalSchemaRegistry.builder()
                .port(config.registryPort())
                .dataDir(dataDir.resolve("schema-registry"))
                .startupTimeout(config.startupTimeout());
        if (security.registryTls() != null) {
            registryBuilder.tls(security.registryTls());
        }
        security.registryUsers().forEach(registryBuilder::basicAuthUser);
        LocalSchemaRegistry registry = registryBuilder.build();
        LocalKafkaBroker.Builder brokerBuilder = LocalKafkaBroker.builder()
                .port(config.kafkaPort())
                .dataDir(dataDir.resolve("kafka"))
                .numPartitions(config.numPartitions())
                .startupTimeout(config.startupTimeout())
                .properties(config.brokerProperties());
        if (security.kafkaTls() != null) {
            brokerBuilder.tls(security.kafkaTls());
        }
        security.kafkaScramUsers().forEach(brokerBuilder::scramUser);
        LocalKafkaBroker broker = brokerBuilder.build();

        CompletableFuture<LocalSchemaRegistry> registryStart = new CompletableFuture<>();
        Thread registryStarter = new Thread(() -> {
            try {
                registryStart.complete(registry.start());
            } catch (Throwable t) {
                registryStart.completeExceptionally(t);
            }
        }, "pulse-infra-registry-start");
        registryStarter.setDaemon(true);
        registryStarter.start();

        RuntimeException failure = null;
        try {
            broker.start();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            registryStart.join();
        } catch (CompletionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException re ? re
                    : new InfraException("the local Schema Registry failed to start: " + e.getCause(), e.getCause());
            if (failure == null) {
                failure = cause;
            } else {
                failure.addSuppressed(cause);
            }
        }
        if (failure != null) {
            registry.close();
            broker.close();
            if (config.deleteDataDirOnClose()) {
                DataDirs.deleteRecursively(dataDir);
            }
            throw failure;
        }
        LOG.info("local infra ready in {} ms: Kafka {}, Schema Registry {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), broker.bootstrapServers(),
                registry.confluentUrl());
        return new LocalInfra(config, dataDir, broker, registry);
    }

    /**
     * {@code 127.0.0.1:<port>}, the value for {@code bootstrap.servers}: the broker's client listener, secured when
     * {@link LocalInfraConfig#security()} says so.
     */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The Confluent-compatible API URL, the value for {@code schema.registry.url}. */
    public String schemaRegistryUrl() {
        return registry.confluentUrl();
    }

    public Path dataDir() {
        return dataDir;
    }

    public LocalInfraConfig config() {
        return config;
    }

    public LocalKafkaBroker broker() {
        return broker;
    }

    /**
     * At JVM shutdown, keeps the registry child up until {@code ownerHook} (the owner's shutdown hook, which closes
     * what uses the registry and then this) has finished; see {@link LocalSchemaRegistry#shutDownAfter}.
     */
    public LocalInfra shutDownAfter(Thread ownerHook) {
        registry.shutDownAfter(ownerHook);
        return this;
    }

    public LocalSchemaRegistry schemaRegistry() {
        return registry;
    }

    /**
     * {@code bootstrap.servers} and {@code schema.registry.url}: the two settings every Pulse client needs (plus,
     * with {@link LocalInfraConfig#security()}, the caller's own TLS and credential settings).
     */
    public Map<String, Object> clientProperties() {
        return Map.of("bootstrap.servers", bootstrapServers(), "schema.registry.url", schemaRegistryUrl());
    }

    /**
     * A new admin client for the broker (through its PLAINTEXT internal listener when the client listener is
     * secured); the caller closes it.
     */
    public Admin createAdmin() {
        return broker.createAdmin();
    }

    /** Creates topics (replication factor 1) with the given partition counts; existing topics are left alone. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        broker.createTopics(partitionsByTopic);
    }

    /** Stops the registry and the broker; calling it again does nothing. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            registry.close();
        } finally {
            broker.close();
            if (config.deleteDataDirOnClose()) {
                DataDirs.deleteRecursively(dataDir);
            }
        }
    }

    @Override
    public String toString() {
        return "LocalInfra[kafka=" + broker + ", registry=" + registry + "]";
    }
}

package io.pulse.infra;

import io.pulse.infra.internal.ApicurioDistribution;
import io.pulse.infra.internal.ConfluentPathFront;
import io.pulse.infra.internal.DataDirs;
import io.pulse.infra.internal.FreePorts;
import io.pulse.infra.internal.ParentWatchdog;
import io.pulse.infra.internal.ServerTls;
import io.pulse.infra.internal.StartOnce;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Confluent-compatible Schema Registry: Apicurio Registry's ready-to-run build, started as a child process
 * listening on 127.0.0.1 only, storing schemas in an H2 database file in the data directory (so ids stay valid across
 * restarts, like the records in Kafka that carry them), with BACKWARD compatibility.
 *
 * <p>Apicurio serves the Confluent API below {@code /apis/ccompat/v7} on a private port; a small front on the public
 * {@link #port()} serves the same API at the root, so Confluent clients in any language are given the plain
 * {@link #confluentUrl()} ({@code http://127.0.0.1:8081} by default) as {@code schema.registry.url}, as with a
 * Confluent Schema Registry. The child is stopped by
 * {@link #close()}, by a JVM shutdown hook if the caller never closes it, and by a watchdog inside the child if this
 * JVM dies without running its hooks ({@code kill -9}, a crashed test fork): no orphan keeps the port.
 *
 * <p>Its output goes to {@code registry.log} in the data directory; start-up failures quote its last lines.
 *
 * <h2>TLS and basic authentication (opt-in)</h2>
 * {@link Builder#tls(KeyStoreFile)} makes the public port HTTPS ({@link #confluentUrl()} then starts with
 * {@code https://}), and {@link Builder#basicAuthUser(String, String)} requires HTTP basic credentials on it
 * ({@code 401} with {@code WWW-Authenticate: Basic} otherwise), as a reverse proxy protects a registry in production.
 * Confluent-compatible clients then set {@code basic.auth.credentials.source=USER_INFO},
 * {@code basic.auth.user.info=user:password} and {@code schema.registry.ssl.truststore.*}. Apicurio's private port
 * ({@link #apicurioConfluentUrl()}) stays plain HTTP without authentication on 127.0.0.1: the protection is the
 * front's, so it keeps out nothing that can reach that port on this machine.
 */
public final class LocalSchemaRegistry implements AutoCloseable {

    /** The port Confluent clients and tools expect by default. */
    public static final int DEFAULT_PORT = 8081;
    /** Path of the Confluent-compatible API below the base URL. */
    public static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";
    /** The content type of the Confluent REST API. */
    public static final String CONFLUENT_CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(LocalSchemaRegistry.class);
    private static final int MAX_START_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 40;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(15);
    /** How long the safety hook waits for the owner's orderly shutdown ({@link #shutDownAfter}). */
    private static final Duration ORDERLY_SHUTDOWN_WAIT = Duration.ofSeconds(60);
    /** util-linux's {@code setsid}, where there is one: the child gets a session of its own. */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final int requestedPort;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final Path apicurioHome;
    private final Path javaExecutable;
    private final String maxHeap;
    private final Duration startupTimeout;
    private final String compatibility;
    private final Map<String, String> systemProperties;
    /** The public port's TLS identity, or null for plain HTTP. */
    private final KeyStoreFile tls;
    /** Basic-auth users of the public port (name to password); empty means none required. */
    private final Map<String, String> basicAuthUsers;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final StartOnce lifecycle = new StartOnce("LocalSchemaRegistry", "the registry");
    private Process process;
    private Thread shutdownHook;
    /** The owner's own shutdown hook, which closes this registry in order; the safety hook waits for it. */
    private volatile Thread orderlyShutdown;
    private int port;
    private int apicurioPort;
    private ConfluentPathFront front;

    private LocalSchemaRegistry(Builder builder) {
        this.requestedPort = builder.port;
        this.deleteDataDirOnClose = builder.dataDir == null;
        this.dataDir = builder.dataDir != null ? builder.dataDir.toAbsolutePath().normalize()
                : DataDirs.createTemp("pulse-schema-registry-");
        this.apicurioHome = builder.apicurioHome;
        this.javaExecutable = builder.javaExecutable;
        this.maxHeap = builder.maxHeap;
        this.startupTimeout = builder.startupTimeout;
        this.compatibility = builder.compatibility;
        this.systemProperties = Map.copyOf(builder.systemProperties);
        this.tls = builder.tls;
        this.basicAuthUsers = Map.copyOf(builder.basicAuthUsers);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the registry process, waits until its Confluent API answers and sets the global compatibility level.
     *
     * @return this registry, started
     * @throws InfraException if the distribution is missing, the process dies, or it is not ready in time (the message
     *     quotes the end of its log)
     * @throws IllegalStateException if it was started or closed before
     */
    public LocalSchemaRegistry start() {
        lifecycle.start(() -> {
            long startNanos = System.nanoTime();
            try {
                ApicurioDistribution distribution = apicurioHome != null
                        ? ApicurioDistribution.at(apicurioHome)
                        : ApicurioDistribution.locate();
                DataDirs.ensure(dataDir);
                // a key store that cannot be opened fails here, before a minute is spent starting Apicurio
                SSLContext frontTls = tls != null ? ServerTls.context(tls) : null;
                port = FreePorts.resolve(requestedPort);
                FreePorts.requireFree(port, "Schema Registry", requestedPort != 0);
                startWithRetries(distribution);
                setGlobalCompatibility();
                front = ConfluentPathFront.start(port, URI.create(apicurioBaseUrl()),
                        new ConfluentPathFront.Security(frontTls, basicAuthUsers));
                port = front.port();
            } catch (IOException e) {
                stopProcess();
                throw new InfraException("the Schema Registry's front could not bind 127.0.0.1:" + port + ": " + e, e);
            } catch (RuntimeException e) {
                stopProcess();
                if (deleteDataDirOnClose) {
                    DataDirs.deleteRecursively(dataDir);
                }
                throw e instanceof InfraException ie ? ie
                        : new InfraException("the local Schema Registry failed to start: " + e, e);
            }
            LOG.info("Schema Registry ready at {} in {} ms (pid {}, log {})", front.url(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), process.pid(), logFile());
        });
        return this;
    }

    private void startWithRetries(ApicurioDistribution distribution) {
        for (int attempt = 1; ; attempt++) {
            apicurioPort = FreePorts.resolve(0);
            launch(distribution);
            try {
                awaitReady();
                return;
            } catch (InfraException e) {
                stopProcess();
                if (attempt < MAX_START_ATTEMPTS && logShowsBindFailure()) {
                    LOG.warn("Schema Registry could not bind 127.0.0.1:{} (taken meanwhile), retrying on another port",
                            apicurioPort);
                    continue;
                }
                throw e;
            }
        }
    }

    private void launch(ApicurioDistribution distribution) {
        List<String> command = command(distribution, installWatchdog());
        if (Files.isExecutable(SETSID)) {
            // its own session: Ctrl-C in a terminal signals the whole foreground process group, and the registry must
            // outlive this JVM's orderly shutdown (its watchdog still ends it when this JVM is gone)
            command = new ArrayList<>(command);
            command.add(0, SETSID.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile().toFile()));
        LOG.debug("starting Schema Registry: {}", command);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new InfraException("could not start " + javaExecutable + " for the Schema Registry: " + e, e);
        }
        Process started = process;
        shutdownHook = new Thread(() -> {
            awaitOrderlyShutdown();
            destroy(started);
        }, "pulse-schema-registry-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The child's command line. Package-private for tests. */
    List<String> command(ApicurioDistribution distribution, Path watchdogClasspath) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        command.add("-Xmx" + maxHeap);
        // one small collector and the client compiler: a developer's registry sees little load, and on a 2-core CI
        // machine start-up time and footprint matter more than peak throughput
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.io.tmpdir=" + DataDirs.ensure(dataDir.resolve("tmp")));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.host", FreePorts.LOOPBACK);
        props.put("quarkus.http.port", Integer.toString(apicurioPort));
        // the management interface (health, metrics) would open a second port: keep it off, and on loopback if
        // someone turns it on
        props.put("quarkus.management.enabled", "false");
        props.put("quarkus.management.host", FreePorts.LOOPBACK);
        props.put("quarkus.console.color", "false");
        // Apicurio's working files go below the data dir instead of /tmp
        props.put("apicurio.import.work-dir", dataDir.resolve("tmp").toString());
        props.put("apicurio.storage.snapshot.location", dataDir.resolve("tmp").toString());
        // schemas in a database file next to the broker's data: a restarted registry still knows the ids that
        // records already on the topics carry
        props.put("apicurio.datasource.url", "jdbc:h2:file:" + dataDir.resolve("registry-db").resolve("registry")
                + ";DB_CLOSE_ON_EXIT=FALSE");
        props.putAll(systemProperties);
        props.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(distribution.runnerJar() + File.pathSeparator + watchdogClasspath);
        command.add(ParentWatchdog.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(distribution.mainClass());
        return command;
    }

    /**
     * Copies {@link ParentWatchdog} alone into the data dir, so the child's class path holds the registry and that one
     * class, whatever jar (maybe a fat jar full of other libraries) Pulse itself was loaded from.
     */
    private Path installWatchdog() {
        String resource = ParentWatchdog.class.getName().replace('.', '/') + ".class";
        Path root = dataDir.resolve("watchdog-classes");
        Path target = root.resolve(resource);
        try (InputStream in = ParentWatchdog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new InfraException("class file " + resource + " not found on the class path");
            }
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy " + resource + " to " + target, e);
        }
        return root;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(apicurioConfluentApi() + "/subjects"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        int lastStatus = -1;
        while (true) {
            if (!process.isAlive()) {
                throw new InfraException("the Schema Registry process exited with code " + process.exitValue()
                        + " before it was ready. Last lines of " + logFile() + ":" + System.lineSeparator()
                        + DataDirs.tail(logFile(), LOG_TAIL_LINES));
            }
            try {
                HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
                lastStatus = response.statusCode();
                if (lastStatus == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                LOG.debug("Schema Registry not ready yet: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfraException("interrupted while waiting for the Schema Registry to start", e);
            }
            if (System.nanoTime() > deadline) {
                throw new InfraException("the Schema Registry at " + apicurioConfluentApi() + " was not ready within "
                        + startupTimeout + " (last HTTP status " + lastStatus + "). Last lines of " + logFile() + ":"
                        + System.lineSeparator() + DataDirs.tail(logFile(), LOG_TAIL_LINES));
            }
            awaitExitOrPollInterval();
        }
    }

    /** Waits one poll interval, returning early if the process dies meanwhile. */
    private void awaitExitOrPollInterval() {
        try {
            process.onExit().get(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // still running: poll again
        } catch (ExecutionException e) {
            throw new InfraException("could not watch the Schema Registry process", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while waiting for the Schema Registry to start", e);
        }
    }

    /** Apicurio's default is NONE; Pulse's contracts evolve under {@link Builder#compatibility(String)}. */
    private void setGlobalCompatibility() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apicurioConfluentApi() + "/config"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", CONFLUENT_CONTENT_TYPE)
                .header("Accept", CONFLUENT_CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + compatibility + "\"}"))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new InfraException("setting the Schema Registry's compatibility to " + compatibility
                        + " failed: HTTP " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new InfraException("setting the Schema Registry's compatibility to " + compatibility + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while configuring the Schema Registry", e);
        }
    }

    private boolean logShowsBindFailure() {
        String tail = DataDirs.tail(logFile(), 200);
        return tail.contains("Port already bound") || tail.contains("Address already in use")
                || tail.contains("BindException");
    }

    /**
     * {@code http://127.0.0.1:<port>} ({@code https} with {@link Builder#tls}), the public root; Apicurio's own REST
     * API is reachable below {@code /apis} through the front as well.
     */
    public String baseUrl() {
        lifecycle.requireStarted();
        return (tls != null ? "https" : "http") + "://" + FreePorts.LOOPBACK + ":" + port;
    }

    /** Whether the public port serves HTTPS. */
    public boolean isTls() {
        return tls != null;
    }

    /** Whether the public port requires basic-auth credentials. */
    public boolean requiresBasicAuth() {
        return !basicAuthUsers.isEmpty();
    }

    /**
     * The Confluent-compatible API at the root of the public port, the value for {@code schema.registry.url}
     * (e.g. {@code http://127.0.0.1:8081}).
     */
    public String confluentUrl() {
        lifecycle.requireStarted();
        return baseUrl();
    }

    /** Apicurio's own Confluent-compatible API on its private port, bypassing the front. */
    public String apicurioConfluentUrl() {
        lifecycle.requireStarted();
        return apicurioConfluentApi();
    }

    private String apicurioBaseUrl() {
        return "http://" + FreePorts.LOOPBACK + ":" + apicurioPort;
    }

    private String apicurioConfluentApi() {
        return apicurioBaseUrl() + CONFLUENT_API_PATH;
    }

    /** The public port (the front serving the Confluent API at the root). */
    public int port() {
        lifecycle.requireStarted();
        return port;
    }

    /** The private port Apicurio itself listens on. */
    public int apicurioPort() {
        lifecycle.requireStarted();
        return apicurioPort;
    }

    /** The child process id, while it runs. */
    public OptionalLong pid() {
        synchronized (lifecycle.lock()) {
            return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
        }
    }

    /** The child process, while it runs (to inspect it, not to stop it: use {@link #close()}). */
    public Optional<ProcessHandle> processHandle() {
        synchronized (lifecycle.lock()) {
            return process != null && process.isAlive() ? Optional.of(process.toHandle())
                    : Optional.empty();
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The registry's combined stdout and stderr. */
    public Path logFile() {
        return dataDir.resolve("registry.log");
    }

    public boolean isRunning() {
        synchronized (lifecycle.lock()) {
            return lifecycle.isRunning() && process != null && process.isAlive();
        }
    }

    /** Stops the registry process (gracefully, forcibly after 15 s); calling it again does nothing. */
    @Override
    public void close() {
        lifecycle.close(() -> {
            long startNanos = System.nanoTime();
            if (front != null) {
                front.close();
            }
            stopProcess();
            LOG.info("Schema Registry at 127.0.0.1:{} stopped in {} ms", port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            if (deleteDataDirOnClose) {
                DataDirs.deleteRecursively(dataDir);
            }
        });
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        destroy(process);
        process = null;
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down and the hook is running or has run
            }
            shutdownHook = null;
        }
    }

    /**
     * Lets {@code ownerHook}, a JVM shutdown hook of the owner that closes this registry after what uses it (a
     * pipeline that is still committing, say), run first: at JVM shutdown the registry's own safety hook waits for it
     * (up to {@link #ORDERLY_SHUTDOWN_WAIT}) before it stops the child. Without this, the two hooks race and the
     * registry can go while a pipeline still needs it.
     */
    public void shutDownAfter(Thread ownerHook) {
        this.orderlyShutdown = ownerHook;
    }

    private void awaitOrderlyShutdown() {
        Thread owner = orderlyShutdown;
        if (owner != null && owner != Thread.currentThread()) {
            awaitTermination(owner, ORDERLY_SHUTDOWN_WAIT);
        }
    }

    /**
     * Waits up to {@code max} for {@code owner} to have run to its end. The JVM starts its shutdown hooks one by one,
     * so the owner's may not have started yet, and joining a thread that has not started returns at once.
     */
    static void awaitTermination(Thread owner, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        try {
            while (owner.getState() != Thread.State.TERMINATED && System.nanoTime() < deadline) {
                owner.join(50);
                if (owner.getState() == Thread.State.NEW) {
                    Thread.sleep(10); // not started yet
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void destroy(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Schema Registry (pid {}) did not stop within {}; killing it", child.pid(), GRACEFUL_STOP);
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LocalSchemaRegistry[127.0.0.1:" + port + " -> 127.0.0.1:" + apicurioPort + ", dataDir=" + dataDir + "]";
    }


    /** Settings for a {@link LocalSchemaRegistry}; every one has a default that suits a test. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private Path apicurioHome;
        private Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
        private String maxHeap = "384m";
        private Duration startupTimeout = Duration.ofSeconds(120);
        private String compatibility = "BACKWARD";
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private KeyStoreFile tls;
        private final Map<String, String> basicAuthUsers = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Serves the public port over HTTPS with this key store (its certificate must name 127.0.0.1: clients verify
         * the host).
         */
        public Builder tls(KeyStoreFile keyStore) {
            this.tls = Objects.requireNonNull(keyStore, "keyStore");
            return this;
        }

        /** {@link #tls(KeyStoreFile)} with a PKCS12 key store whose key has the store's password. */
        public Builder tls(Path keyStore, String password) {
            return tls(KeyStoreFile.pkcs12(keyStore, password));
        }

        /**
         * Requires HTTP basic authentication on the public port and accepts this user (repeatable). Over plain HTTP
         * the password crosses the loopback interface in clear: combine with {@link #tls} where that matters.
         */
        public Builder basicAuthUser(String user, String password) {
            if (user == null || user.isEmpty() || user.contains(":")) {
                throw new IllegalArgumentException("a basic-auth user name must be non-empty and without ':', got "
                        + user);
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("basic-auth user " + user + " needs a non-empty password");
            }
            basicAuthUsers.put(user, password);
            return this;
        }

        /** HTTP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be within 0..65535 (0 = any free port), got " + port);
            }
            this.port = port;
            return this;
        }

        /** Working directory (log file, temp files); by default a temporary directory deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** The unpacked Apicurio distribution; by default found as {@link ApicurioDistribution#locate()} says. */
        public Builder apicurioHome(Path apicurioHome) {
            this.apicurioHome = Objects.requireNonNull(apicurioHome, "apicurioHome");
            return this;
        }

        /** The {@code java} that runs the registry (Java 17+); by default the one running this JVM. */
        public Builder javaExecutable(Path javaExecutable) {
            this.javaExecutable = Objects.requireNonNull(javaExecutable, "javaExecutable");
            return this;
        }

        /** The child's {@code -Xmx} value, e.g. {@code "384m"} (the default). */
        public Builder maxHeap(String maxHeap) {
            if (!maxHeap.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("maxHeap must look like 384m or 1g, got " + maxHeap);
            }
            this.maxHeap = maxHeap;
            return this;
        }

        /** How long {@link #start()} waits for the API to answer (default 120 s: a loaded machine is slow). */
        public Builder startupTimeout(Duration startupTimeout) {
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, got " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** The global compatibility level set after start (default BACKWARD, Pulse's rule). */
        public Builder compatibility(String compatibility) {
            this.compatibility = Objects.requireNonNull(compatibility, "compatibility");
            return this;
        }

        /** A Quarkus or Apicurio setting passed as {@code -Dkey=value}; wins over Pulse's defaults. */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public LocalSchemaRegistry build() {
            return new LocalSchemaRegistry(this);
        }
    }
}

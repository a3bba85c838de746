package io.pulse.infra;

import io.pulse.infra.internal.FreePorts;
import io.pulse.infra.internal.KraftStorage;
import io.pulse.infra.internal.StartOnce;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
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
 * <h2>Secured client listener (opt-in)</h2>
 * {@link Builder#tls(KeyStoreFile)} turns the client listener into TLS ({@code SSL}); adding
 * {@link Builder#scramUser(String, String)} makes it {@code SASL_SSL} with SCRAM-SHA-512, the usual production
 * combination. Clients then need nothing but Kafka's standard properties:
 *
 * <pre>{@code
 * security.protocol=SASL_SSL
 * sasl.mechanism=SCRAM-SHA-512
 * sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="pulse" password="...";
 * ssl.truststore.location=/path/to/truststore.p12
 * ssl.truststore.password=...
 * ssl.truststore.type=PKCS12
 * }</pre>
 *
 * <p>Only the client listener ({@link #bootstrapServers()}) is secured. The KRaft controller listener and an
 * {@code INTERNAL} listener ({@link #internalBootstrapServers()}, used between the broker and itself, by
 * {@link #createAdmin()} and for start-up checks) stay PLAINTEXT, on 127.0.0.1 like everything else here: anyone
 * who can open a loopback connection on this machine can use them. That is the point of a test broker (tests can
 * still create topics without credentials); a production cluster secures every listener.
 *
 * <p>SCRAM credentials live in the KRaft metadata log. They are written through the internal listener with
 * {@code Admin#alterUserScramCredentials} on every start, and {@link #start()} returns only once the broker
 * reports them: so they also apply to a data directory formatted by an earlier run, and a changed password takes
 * effect at the next start. (The other KRaft way, {@code kafka-storage format --add-scram}, writes them only when
 * the storage is first formatted.)
 *
 * <p>Not for production: one node, no replication, plaintext controller and internal listeners.
 */
public final class LocalKafkaBroker extends LocalKafka {

    /** The port Kafka clients expect by default. */
    public static final int DEFAULT_PORT = 9092;

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final int NODE_ID = 1;
    /** The SASL mechanism of the secured client listener. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    /** Name of the PLAINTEXT listener kept for the broker itself and admin work when the client listener is secured. */
    static final String INTERNAL_LISTENER = "INTERNAL";
    /** SCRAM iterations stored per credential; Kafka's minimum for SHA-512 is 4096. */
    private static final int SCRAM_ITERATIONS = 8192;
    /** How many times a start on ports chosen here is retried when another process took a port first. */
    private static final int MAX_START_ATTEMPTS = 3;

    private final int requestedPort;
    private final int requestedControllerPort;
    /** The client listener's TLS identity, or null for PLAINTEXT. */
    private final KeyStoreFile tls;
    /** SCRAM-SHA-512 users (name to password); non-empty means SASL_SSL. */
    private final Map<String, String> scramUsers;

    private KafkaRaftServer server;
    private int port;
    private int controllerPort;
    /** The INTERNAL listener's port when the client listener is secured, else 0. */
    private int internalPort;

    private LocalKafkaBroker(Builder builder) {
        super(builder, "pulse-kafka-", new StartOnce("LocalKafkaBroker", "the broker"), "Kafka broker");
        this.requestedPort = builder.port;
        this.requestedControllerPort = builder.controllerPort;
        this.tls = builder.tls;
        this.scramUsers = Map.copyOf(builder.scramUsers);
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
        startLifecycle();
        return this;
    }

    @Override
    void startNodes() {
        startWithRetries();
        awaitReady();
        upsertScramUsers();
    }

    @Override
    boolean stopNodes() {
        KafkaRaftServer running = server;
        server = null;
        shutDownQuietly(running, "Kafka broker");
        return running != null;
    }

    @Override
    String startFailure() {
        return "the local Kafka broker failed to start on " + bootstrapAddress();
    }

    @Override
    void logReady(long millis) {
        LOG.info("Kafka broker ready at {} in {} ms (data dir {})", bootstrapAddress(), millis, dataDir);
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
            internalPort = isSecured() ? FreePorts.findFreePort() : 0;
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
        if (isSecured()) {
            FreePorts.requireFree(internalPort, "Kafka internal listener", false);
        }
        Properties props = brokerProperties(port, controllerPort, internalPort);
        formatStorage(props);
        server = startServer(props, "Kafka broker");
    }

    /**
     * The broker configuration: what a one-node developer broker needs, then the builder's overrides.
     * Package-private so unit tests can check it without starting anything.
     */
    Properties brokerProperties(int clientPort, int ctrlPort) {
        return brokerProperties(clientPort, ctrlPort, 0);
    }

    /** As {@link #brokerProperties(int, int)}, with the INTERNAL listener's port for a secured broker. */
    Properties brokerProperties(int clientPort, int ctrlPort, int intPort) {
        // one node: every internal topic has one replica and needs one in-sync replica
        Properties p = commonProperties(NODE_ID, 1, 1);
        String host = FreePorts.LOOPBACK;
        // a static one-voter quorum: nothing to bootstrap, and restarts on other ports keep working
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + host + ":" + ctrlPort);
        if (isSecured()) {
            securedListeners(p, host, clientPort, ctrlPort, intPort);
        } else {
            p.setProperty("listeners",
                    "PLAINTEXT://" + host + ":" + clientPort + ",CONTROLLER://" + host + ":" + ctrlPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + clientPort);
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        }
        p.setProperty("log.dirs", logDir().toString());
        // one node alone uses the machine: more I/O threads than each node of a cluster gets
        p.setProperty("num.io.threads", "4");

        overrides.forEach(p::setProperty);
        return p;
    }

    /**
     * The client listener is named after its protocol ({@code SSL} or {@code SASL_SSL}) and secured with the
     * listener-prefixed settings Kafka documents ({@code listener.name.<listener>.ssl.keystore.location}, ...), so
     * nothing leaks into the INTERNAL and CONTROLLER listeners, which stay PLAINTEXT.
     */
    private void securedListeners(Properties p, String host, int clientPort, int ctrlPort, int intPort) {
        String client = securityProtocol();
        p.setProperty("listeners", client + "://" + host + ":" + clientPort + "," + INTERNAL_LISTENER + "://" + host
                + ":" + intPort + ",CONTROLLER://" + host + ":" + ctrlPort);
        p.setProperty("advertised.listeners",
                client + "://" + host + ":" + clientPort + "," + INTERNAL_LISTENER + "://" + host + ":" + intPort);
        p.setProperty("listener.security.protocol.map",
                client + ":" + client + "," + INTERNAL_LISTENER + ":PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", INTERNAL_LISTENER);
        String prefix = "listener.name." + client.toLowerCase(Locale.ROOT) + ".";
        p.setProperty(prefix + "ssl.keystore.location", tls.location().toString());
        p.setProperty(prefix + "ssl.keystore.password", tls.password());
        p.setProperty(prefix + "ssl.key.password", tls.keyPassword());
        p.setProperty(prefix + "ssl.keystore.type", tls.type());
        // clients authenticate with SCRAM (or not at all with SSL alone), not with certificates
        p.setProperty(prefix + "ssl.client.auth", "none");
        if (!scramUsers.isEmpty()) {
            p.setProperty(prefix + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
            // the server side of SCRAM needs a login module but no credentials of its own: users are looked up in
            // the metadata log
            p.setProperty(prefix + SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
    }

    private void formatStorage(Properties props) {
        String clusterId = KraftStorage.clusterIdIn(logDir()).orElseGet(() -> Uuid.randomUuid().toString());
        LOG.debug("kafka storage format: {}", KraftStorage.format(dataDir, props, clusterId, "LocalKafkaBroker",
                "the broker in " + logDir()));
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        try (Admin admin = readinessAdmin(adminAddress(), "pulse-infra-readiness")) {
            int timeoutMs = (int) remainingMs(deadline);
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

    /**
     * Writes the builder's SCRAM users into the metadata log and waits until the broker knows every one of them, so
     * a client that authenticates right after {@link #start()} returns is not refused.
     */
    private void upsertScramUsers() {
        if (scramUsers.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        scramUsers.forEach((user, password) -> upserts.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password)));
        try (Admin admin = readinessAdmin(adminAddress(), "pulse-infra-scram")) {
            admin.alterUserScramCredentials(upserts).all().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            List<String> users = List.copyOf(scramUsers.keySet());
            while (!knowsScramUsers(admin, users, deadline)) {
                if (System.nanoTime() > deadline) {
                    throw new InfraException("the local Kafka broker did not report SCRAM credentials for " + users
                            + " within " + startupTimeout);
                }
                Thread.sleep(50); // the metadata log reaches the broker's credential cache within milliseconds
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new InfraException("could not create SCRAM users " + scramUsers.keySet() + " on the local Kafka"
                    + " broker: " + (e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while creating SCRAM users", e);
        }
        LOG.debug("SCRAM users {} ready", scramUsers.keySet());
    }

    private static boolean knowsScramUsers(Admin admin, List<String> users, long deadline)
            throws InterruptedException, TimeoutException {
        try {
            var described = admin.describeUserScramCredentials(users).all()
                    .get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            return users.stream().allMatch(user -> described.containsKey(user)
                    && described.get(user).credentialInfos().stream()
                            .anyMatch(info -> info.mechanism() == ScramMechanism.SCRAM_SHA_512));
        } catch (ExecutionException e) {
            // ResourceNotFoundException until the credentials have reached the broker
            return false;
        }
    }

    /**
     * {@code host:port} of the client listener, the value for {@code bootstrap.servers}; secured (TLS, maybe SASL)
     * when the builder asked for it, see {@link #securityProtocol()}.
     */
    public String bootstrapServers() {
        lifecycle.requireStarted();
        return bootstrapAddress();
    }

    private String bootstrapAddress() {
        return FreePorts.LOOPBACK + ":" + port;
    }

    @Override
    String bootstrapAddresses() {
        return bootstrapAddress();
    }

    /**
     * {@code host:port} of a PLAINTEXT listener for administration: the client listener itself when it is
     * PLAINTEXT, else the INTERNAL listener (see the class comment).
     */
    public String internalBootstrapServers() {
        lifecycle.requireStarted();
        return adminAddress();
    }

    @Override
    String adminBootstrapServers() {
        return internalBootstrapServers();
    }

    private String adminAddress() {
        return FreePorts.LOOPBACK + ":" + (isSecured() ? internalPort : port);
    }

    /** The client listener port. */
    public int port() {
        lifecycle.requireStarted();
        return port;
    }

    /** The port of {@link #internalBootstrapServers()}: the INTERNAL listener's, or {@link #port()} when unsecured. */
    public int internalPort() {
        lifecycle.requireStarted();
        return isSecured() ? internalPort : port;
    }

    /**
     * The client listener's {@code security.protocol}: {@code PLAINTEXT} (the default), {@code SSL} (with
     * {@link Builder#tls(KeyStoreFile)}) or {@code SASL_SSL} (TLS and {@link Builder#scramUser(String, String)}).
     */
    public String securityProtocol() {
        if (tls == null) {
            return "PLAINTEXT";
        }
        return scramUsers.isEmpty() ? "SSL" : "SASL_SSL";
    }

    /** Whether the client listener is secured (TLS, maybe SASL), so a PLAINTEXT INTERNAL listener exists too. */
    public boolean isSecured() {
        return tls != null;
    }

    /** The port of the KRaft controller listener (clients never need it). */
    public int controllerPort() {
        lifecycle.requireStarted();
        return controllerPort;
    }

    private Path logDir() {
        return dataDir.resolve(LOG_DIR);
    }

    /** One broker: topics created here have one replica. */
    @Override
    int replicationFactor() {
        return 1;
    }

    @Override
    public String toString() {
        return "LocalKafkaBroker[" + securityProtocol() + "://" + bootstrapAddress() + ", dataDir=" + dataDir + "]";
    }

    /** Settings for a {@link LocalKafkaBroker}; every one has a default that suits a test. */
    public static final class Builder extends KafkaBuilder<Builder> {
        private int port;
        private int controllerPort;
        private KeyStoreFile tls;
        private final Map<String, String> scramUsers = new LinkedHashMap<>();

        private Builder() {
            super(Duration.ofSeconds(60));
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Serves clients over TLS with this key store (its certificate must name 127.0.0.1, as clients verify the
         * host by default). Alone this makes the client listener {@code SSL}; with {@link #scramUser} it is
         * {@code SASL_SSL}.
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
         * A SCRAM-SHA-512 user clients may authenticate as (repeatable; the last password given for a name wins).
         * Needs {@link #tls}: SCRAM is offered over TLS only ({@code SASL_SSL}).
         */
        public Builder scramUser(String name, String password) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a SCRAM user name must not be blank");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("SCRAM user " + name + " needs a non-empty password");
            }
            scramUsers.put(name, password);
            return this;
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

        public LocalKafkaBroker build() {
            if (!scramUsers.isEmpty() && tls == null) {
                throw new IllegalStateException("scramUser(...) needs tls(...): the local broker offers SASL/SCRAM"
                        + " over TLS only (SASL_SSL), never in clear text");
            }
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

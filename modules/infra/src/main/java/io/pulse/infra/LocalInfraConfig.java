package io.pulse.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What {@link LocalInfra} starts and where.
 *
 * <p>{@link #defaults()} is what a person runs ({@code ./pulse infra}): Kafka on 127.0.0.1:9092, the registry on
 * 127.0.0.1:8081, data kept in {@code ./.pulse/infra} across restarts. {@link #forTests()} is what a test run needs:
 * free ports, a fresh temporary directory removed on close.
 *
 * @param kafkaPort the Kafka client port on 127.0.0.1, 0 for any free port
 * @param registryPort the Schema Registry HTTP port on 127.0.0.1, 0 for any free port
 * @param dataDir the directory holding {@code kafka/} (logs, metadata) and {@code schema-registry/} (its log)
 * @param clean whether to delete {@code dataDir} before starting
 * @param deleteDataDirOnClose whether {@link LocalInfra#close()} deletes {@code dataDir}
 * @param numPartitions the broker's default partition count for topics created without one
 * @param startupTimeout how long each server may take to become ready
 * @param brokerProperties broker settings applied over Pulse's defaults
 * @param security TLS and authentication of the client-facing ports ({@link Security#NONE} by default)
 */
public record LocalInfraConfig(
        int kafkaPort,
        int registryPort,
        Path dataDir,
        boolean clean,
        boolean deleteDataDirOnClose,
        int numPartitions,
        Duration startupTimeout,
        Map<String, String> brokerProperties,
        Security security) {

    /**
     * TLS and authentication of the client-facing ports, all off by default. Each part is independent; see
     * {@link LocalKafkaBroker} and {@link LocalSchemaRegistry} for what they switch on and what stays plaintext.
     *
     * @param kafkaTls the broker client listener's key store (SSL, or SASL_SSL with SCRAM users), or null
     * @param kafkaScramUsers SCRAM-SHA-512 users of the broker (name to password); need {@code kafkaTls}
     * @param registryTls the registry's public port key store (HTTPS), or null
     * @param registryUsers basic-auth users of the registry's public port (name to password)
     */
    public record Security(KeyStoreFile kafkaTls, Map<String, String> kafkaScramUsers, KeyStoreFile registryTls,
            Map<String, String> registryUsers) {

        /** Plaintext and no authentication anywhere: what {@code ./pulse infra} runs. */
        public static final Security NONE = new Security(null, Map.of(), null, Map.of());

        public Security {
            kafkaScramUsers = Map.copyOf(kafkaScramUsers);
            registryUsers = Map.copyOf(registryUsers);
            if (!kafkaScramUsers.isEmpty() && kafkaTls == null) {
                throw new IllegalArgumentException("Kafka SCRAM users need kafkaTls: the local broker offers SASL/SCRAM"
                        + " over TLS only (SASL_SSL)");
            }
        }

        /** Names users, never passwords. */
        @Override
        public String toString() {
            return "Security[kafkaTls=" + kafkaTls + ", kafkaScramUsers=" + kafkaScramUsers.keySet()
                    + ", registryTls=" + registryTls + ", registryUsers=" + registryUsers.keySet() + "]";
        }
    }

    /** The data directory people get by default, relative to the working directory. */
    public static final Path DEFAULT_DATA_DIR = Path.of(".pulse", "infra");

    public LocalInfraConfig {
        checkPort(kafkaPort, "kafkaPort");
        checkPort(registryPort, "registryPort");
        if (kafkaPort != 0 && kafkaPort == registryPort) {
            throw new IllegalArgumentException("kafkaPort and registryPort must differ, both are " + kafkaPort);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        if (numPartitions < 1) {
            throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
        }
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive, got " + startupTimeout);
        }
        brokerProperties = Map.copyOf(brokerProperties);
        Objects.requireNonNull(security, "security (Security.NONE for none)");
    }

    /** Kafka on 9092, the registry on 8081, data in {@code ./.pulse/infra}, kept across restarts. */
    public static LocalInfraConfig defaults() {
        return builder().build();
    }

    /**
     * Free ports and a fresh data directory below {@code java.io.tmpdir} (created on start, deleted on close). The
     * directory name is random so concurrent test JVMs never share one.
     */
    public static LocalInfraConfig forTests() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "pulse-infra-" + UUID.randomUUID());
        return builder().kafkaPort(0).registryPort(0).dataDir(dir).clean(true).deleteDataDirOnClose(true).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder()
                .kafkaPort(kafkaPort)
                .registryPort(registryPort)
                .dataDir(dataDir)
                .clean(clean)
                .deleteDataDirOnClose(deleteDataDirOnClose)
                .numPartitions(numPartitions)
                .startupTimeout(startupTimeout)
                .kafkaTls(security.kafkaTls())
                .registryTls(security.registryTls());
        brokerProperties.forEach(b::brokerProperty);
        security.kafkaScramUsers().forEach(b::kafkaScramUser);
        security.registryUsers().forEach(b::registryBasicAuthUser);
        return b;
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be within 0..65535 (0 = any free port), got " + port);
        }
    }

    /** Builds a {@link LocalInfraConfig}; unset values are those of {@link #defaults()}. */
    public static final class Builder {
        private int kafkaPort = LocalKafkaBroker.DEFAULT_PORT;
        private int registryPort = LocalSchemaRegistry.DEFAULT_PORT;
        private Path dataDir = DEFAULT_DATA_DIR;
        private boolean clean;
        private boolean deleteDataDirOnClose;
        private int numPartitions = 3;
        private Duration startupTimeout = Duration.ofSeconds(120);
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private KeyStoreFile kafkaTls;
        private final Map<String, String> kafkaScramUsers = new LinkedHashMap<>();
        private KeyStoreFile registryTls;
        private final Map<String, String> registryUsers = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder kafkaPort(int kafkaPort) {
            this.kafkaPort = kafkaPort;
            return this;
        }

        public Builder registryPort(int registryPort) {
            this.registryPort = registryPort;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder clean(boolean clean) {
            this.clean = clean;
            return this;
        }

        public Builder deleteDataDirOnClose(boolean deleteDataDirOnClose) {
            this.deleteDataDirOnClose = deleteDataDirOnClose;
            return this;
        }

        public Builder numPartitions(int numPartitions) {
            this.numPartitions = numPartitions;
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** TLS on the broker's client listener (null: PLAINTEXT); see {@link LocalKafkaBroker.Builder#tls}. */
        public Builder kafkaTls(KeyStoreFile keyStore) {
            this.kafkaTls = keyStore;
            return this;
        }

        /** A SCRAM-SHA-512 user of the broker; with {@link #kafkaTls} the client listener is SASL_SSL. */
        public Builder kafkaScramUser(String name, String password) {
            kafkaScramUsers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(password, "password"));
            return this;
        }

        /** HTTPS on the registry's public port (null: plain HTTP); see {@link LocalSchemaRegistry.Builder#tls}. */
        public Builder registryTls(KeyStoreFile keyStore) {
            this.registryTls = keyStore;
            return this;
        }

        /** A basic-auth user of the registry's public port; any user given makes credentials required. */
        public Builder registryBasicAuthUser(String user, String password) {
            registryUsers.put(Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password"));
            return this;
        }

        public LocalInfraConfig build() {
            return new LocalInfraConfig(kafkaPort, registryPort, dataDir, clean, deleteDataDirOnClose, numPartitions,
                    startupTimeout, brokerProperties,
                    new Security(kafkaTls, kafkaScramUsers, registryTls, registryUsers));
        }
    }
}

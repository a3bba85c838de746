package io.pulse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.infra.KeyStoreFile;
import io.pulse.infra.LocalInfra;
import io.pulse.infra.LocalInfraConfig;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.registry.RestSchemaRegistryClient;
import io.pulse.registry.SchemaRegistryHttpException;
import io.pulse.registry.SchemaRegistryTlsException;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.registry.serde.AvroWireFormatException;
import io.pulse.simulator.EventSimulator;
import io.pulse.simulator.SimulationConfig;
import io.pulse.testsupport.ListeningSockets;
import io.pulse.testsupport.ListeningSockets.ListeningSocket;
import io.pulse.testsupport.TestCertificates;
import io.pulse.testsupport.TestTopics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a secured cluster of its own (not the shared test servers): a broker whose client listener is
 * SASL_SSL with SCRAM-SHA-512, and a Schema Registry behind HTTPS and basic auth, both with certificates made by the
 * test. Pipeline, producer and consumer are configured only from {@code deploy/examples/secure-client.properties}
 * (placeholders filled in), Kafka's and Confluent's standard keys, so the documented example is what is tested.
 */
@Tag("integration")
class SecuredClusterIntegrationTest {

    private static final String EXAMPLE = "deploy/examples/secure-client.properties";
    private static final Pattern PLACEHOLDER = Pattern.compile("<([a-z-]+)>");
    private static final String KAFKA_USER = "pulse-pipeline";
    private static final String KAFKA_PASSWORD = "kafka-scram-secret";
    private static final String REGISTRY_USER = "pulse";
    private static final String REGISTRY_PASSWORD = "registry-secret";
    private static final int EVENTS = 200;

    @TempDir
    static Path dir;

    private static TestCertificates certificates;
    private static LocalInfra cluster;

    @BeforeAll
    static void startSecuredCluster() {
        certificates = TestCertificates.create(dir.resolve("certs"));
        KeyStoreFile keyStore = KeyStoreFile.pkcs12(certificates.keyStore(), certificates.password());
        cluster = LocalInfra.start(LocalInfraConfig.forTests().toBuilder()
                .kafkaTls(keyStore)
                .kafkaScramUser(KAFKA_USER, KAFKA_PASSWORD)
                .registryTls(keyStore)
                .registryBasicAuthUser(REGISTRY_USER, REGISTRY_PASSWORD)
                .build());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldPredictExactlyOncePerEventOnASecuredClusterConfiguredFromTheExampleFile() throws Exception {
        assertThat(cluster.broker().securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(cluster.schemaRegistryUrl()).startsWith("https://127.0.0.1:");

        // Given the pipeline started from the example file, with topics and state of its own
        Path config = exampleFile(KAFKA_PASSWORD);
        String suffix = TestTopics.unique("sec");
        String events = PulseTopics.USER_EVENTS.name() + "-" + suffix;
        String predictions = "predictions-" + suffix;
        Map<String, String> overrides = new HashMap<>();
        overrides.put(PulseConfig.APPLICATION_ID, "pulse-secured-" + suffix);
        overrides.put(PulseConfig.STATE_DIR, dir.resolve("state-" + suffix).toString());
        overrides.put(PulseConfig.HTTP_PORT, "0");
        overrides.put(PulseConfig.TOPIC_USER_EVENTS, events);
        overrides.put(PulseConfig.TOPIC_DLQ, "dlq-" + suffix);
        overrides.put(PulseConfig.TOPIC_PREDICTIONS, predictions);
        overrides.put(PulseConfig.TOPIC_CHURN_ALERTS, "churn-" + suffix);
        overrides.put(PulseConfig.TOPIC_FRAUD_ALERTS, "fraud-" + suffix);
        overrides.put(PulseConfig.TOPIC_MODEL_WEIGHTS, "weights-" + suffix);
        overrides.put(PulseConfig.TOPIC_LABELS, "labels-" + suffix);
        overrides.put(PulseConfig.TOPIC_PARTITIONS, "2");
        // what ./pulse pipeline --config FILE does with the file
        try (PulsePipeline pipeline = new PulsePipeline(PulseConfig.load(config, Map.of(), overrides)).start()) {
            assertThat(pipeline.awaitRunning(Duration.ofSeconds(90))).as("pipeline running").isTrue();

            // When a producer configured from the same file sends simulated events over SASL_SSL, registering the
            // schema over HTTPS with basic auth
            Map<String, Object> client = load(config);
            List<UserEvent> sent = recentEvents(EVENTS);
            // (the producer closes its serializers)
            try (KafkaProducer<String, UserEvent> producer = new KafkaProducer<>(producerConfig(client),
                    new StringSerializer(), configured(new AvroSerializer<>(), client))) {
                for (UserEvent event : sent) {
                    producer.send(new ProducerRecord<>(events, event.getUserId(), event));
                }
                producer.flush();
            }

            // Then a consumer configured the same way reads back exactly one committed prediction per event
            await().alias("a committed prediction for every event, read over SASL_SSL")
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> readCommitted(client, predictions).size() >= EVENTS);
            List<ConsumerRecord<String, Prediction>> read = readCommitted(client, predictions);
            assertThat(read).hasSize(EVENTS);
            assertThat(read).extracting(r -> r.value().getEventId())
                    .containsExactlyInAnyOrderElementsOf(sent.stream().map(UserEvent::getEventId).toList());
            assertThat(pipeline.metrics().predictionCount()).isEqualTo(EVENTS);
        }
    }

    @Test
    void shouldRefuseAWrongScramPasswordAndPlaintextClients() throws Exception {
        String topic = TestTopics.unique("sec-refused");
        cluster.createTopics(Map.of(topic, 1));

        // a client with the example's settings but the wrong password fails to authenticate
        Map<String, Object> wrongPassword = load(exampleFile("not-the-password"));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(wrongPassword, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            assertThatThrownBy(() -> consumer.partitionsFor(topic, Duration.ofSeconds(30)))
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("SCRAM-SHA-512");
        }

        // a PLAINTEXT client on the secured port never gets an answer, let alone a record
        Map<String, Object> plaintext = Map.of("bootstrap.servers", cluster.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(plaintext, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            assertThatThrownBy(() -> consumer.partitionsFor(topic, Duration.ofSeconds(5)))
                    .isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void shouldBindEverySecuredListenerToLoopbackOnly() {
        assumeThat(ListeningSockets.isSupported()).as("Linux /proc").isTrue();
        List<ListeningSocket> sockets = new ArrayList<>(ListeningSockets.ofThisProcess());
        ProcessHandle registry = cluster.schemaRegistry().processHandle().orElseThrow();
        sockets.addAll(ListeningSockets.ofProcess(registry.pid()));

        int internalPort = cluster.broker().internalPort();
        assertThat(sockets).extracting(ListeningSocket::port).contains(cluster.broker().port(), internalPort,
                cluster.broker().controllerPort(), cluster.schemaRegistry().port(),
                cluster.schemaRegistry().apicurioPort());
        assertThat(sockets).allSatisfy(socket ->
                assertThat(socket.address().getHostAddress()).as(socket.toString()).isEqualTo("127.0.0.1"));
    }

    @Test
    void shouldServeTheRegistryClientOnlyWithCredentialsOverTrustedTls() throws Exception {
        Map<String, Object> client = load(exampleFile(KAFKA_PASSWORD));
        Schema schema = UserEvent.getClassSchema();
        String subject = TestTopics.unique("sec-subject") + "-value";

        // with the example's settings: registered and read back over HTTPS with basic auth
        int id = new RestSchemaRegistryClient(client).register(subject, schema);
        assertThat(new RestSchemaRegistryClient(client).getSchemaById(id)).isEqualTo(schema);

        // without credentials, or with a wrong password: the registry's 401, typed, with a hint
        Map<String, Object> anonymous = without(client, "basic.auth.user.info");
        Map<String, Object> wrongPassword = with(client, "basic.auth.user.info", REGISTRY_USER + ":wrong");
        for (Map<String, Object> config : List.of(anonymous, wrongPassword)) {
            assertThatThrownBy(() -> new RestSchemaRegistryClient(config).getSchemaById(id))
                    .isInstanceOfSatisfying(SchemaRegistryHttpException.class,
                            e -> assertThat(e.status()).isEqualTo(401))
                    .hasMessageContaining("basic.auth.user.info");
        }

        // trusting another CA, or only the JDK's default CAs: a TLS error, typed, naming the trust store settings
        TestCertificates stranger = TestCertificates.create(dir.resolve("stranger-certs"));
        Map<String, Object> untrusted = with(with(client, "schema.registry.ssl.truststore.location",
                stranger.trustStore().toString()), "schema.registry.ssl.truststore.password", stranger.password());
        Map<String, Object> defaultTrust = without(without(without(client, "schema.registry.ssl.truststore.location"),
                "schema.registry.ssl.truststore.password"), "schema.registry.ssl.truststore.type");
        for (Map<String, Object> config : List.of(untrusted, defaultTrust)) {
            // a retry would wait at least 10 s (half of retries.wait.ms): a certificate is not fixed by waiting
            Map<String, Object> slowRetries = with(with(config, "retries.wait.ms", "20000"),
                    "retries.max.wait.ms", "20000");
            long start = System.nanoTime();
            assertThatThrownBy(() -> new RestSchemaRegistryClient(slowRetries).getSchemaById(id))
                    .isInstanceOf(SchemaRegistryTlsException.class)
                    .hasMessageContaining("TLS handshake")
                    .hasMessageContaining("schema.registry.ssl.truststore.location");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not retried").isLessThan(Duration.ofSeconds(8));
        }

        // and a deserializer without credentials or trust calls it the registry's fault, not the record's: the
        // pipeline retries such records instead of dead-lettering them
        byte[] bytes;
        try (AvroSerializer<UserEvent> serializer = configured(new AvroSerializer<>(), client)) {
            bytes = serializer.serialize(subject.replace("-value", ""), recentEvents(1).get(0));
        }
        for (Map<String, Object> config : List.of(anonymous, untrusted)) {
            try (AvroDeserializer<UserEvent> deserializer = new AvroDeserializer<>(UserEvent.class)) {
                deserializer.configure(config, false);
                assertThatThrownBy(() -> deserializer.deserialize("any-topic", bytes))
                        .isInstanceOfSatisfying(AvroWireFormatException.class, e -> {
                            assertThat(e.reason()).isEqualTo(AvroWireFormatException.Reason.REGISTRY_UNAVAILABLE);
                            assertThat(e.isRecordAtFault()).isFalse();
                        });
            }
        }
    }

    /**
     * The example file with its placeholders filled in for this cluster, written next to the test's other files.
     * Fails if the example names a placeholder this test does not know, so the file cannot drift from the test.
     */
    private static Path exampleFile(String kafkaPassword) throws IOException {
        Map<String, String> values = Map.of(
                "bootstrap-servers", cluster.bootstrapServers(),
                "kafka-user", KAFKA_USER,
                "kafka-password", kafkaPassword,
                "truststore-path", certificates.trustStore().toString(),
                "truststore-password", certificates.password(),
                "registry-url", cluster.schemaRegistryUrl(),
                "registry-user", REGISTRY_USER,
                "registry-password", REGISTRY_PASSWORD);
        String template = Files.readString(repositoryRoot().resolve(EXAMPLE));
        Matcher placeholders = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder();
        Set<String> used = new HashSet<>();
        while (placeholders.find()) {
            String name = placeholders.group(1);
            assertThat(values).as("a value for <%s> in %s", name, EXAMPLE).containsKey(name);
            used.add(name);
            placeholders.appendReplacement(filled, Matcher.quoteReplacement(values.get(name)));
        }
        placeholders.appendTail(filled);
        assertThat(used).as("every placeholder this test fills appears in " + EXAMPLE)
                .containsExactlyInAnyOrderElementsOf(values.keySet());
        Path file = Files.createTempFile(dir, "secure-client-", ".properties");
        Files.writeString(file, filled);
        return file;
    }

    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(EXAMPLE))) {
                return d;
            }
        }
        throw new AssertionError(EXAMPLE + " not found above " + Path.of("").toAbsolutePath());
    }

    private static Map<String, Object> load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties.stringPropertyNames().stream()
                .collect(Collectors.toMap(k -> k, k -> (Object) properties.getProperty(k)));
    }

    private static Map<String, Object> with(Map<String, Object> config, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(config);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> config, String key) {
        Map<String, Object> copy = new HashMap<>(config);
        assertThat(copy.remove(key)).as(key + " in " + EXAMPLE).isNotNull();
        return copy;
    }

    private static <S extends AvroSerializer<UserEvent>> S configured(S serializer, Map<String, Object> client) {
        serializer.configure(client, false);
        return serializer;
    }

    private static Map<String, Object> producerConfig(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /** Every prediction committed so far, read with read_committed up to the end offsets, over SASL_SSL. */
    private static List<ConsumerRecord<String, Prediction>> readCommitted(Map<String, Object> client, String topic) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (AvroDeserializer<Prediction> values = new AvroDeserializer<>(Prediction.class)) {
            values.configure(client, false);
            try (KafkaConsumer<String, Prediction> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                    values)) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                List<ConsumerRecord<String, Prediction>> records = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("could not read " + topic + " up to its end offsets " + end);
                    }
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                }
                return records;
            }
        }
    }

    /** Simulated events of the last few days (the pipeline dead-letters events from the future). */
    private static List<UserEvent> recentEvents(int n) {
        EventSimulator simulator = new EventSimulator(SimulationConfig.defaults().withSeed(7).withUsers(20)
                .withStart(Instant.now().minus(Duration.ofDays(3))));
        List<UserEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(simulator.next());
        }
        assertThat(events.get(n - 1).getEventTime()).isBefore(Instant.now());
        return events;
    }
}

package io.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.pulse.infra.LocalKafkaBroker;
import io.pulse.testsupport.ListeningSockets.ListeningSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local broker's opt-in secured client listener, with certificates this test makes: SASL_SSL with SCRAM-SHA-512
 * for clients configured by Kafka's standard properties only; wrong passwords, untrusted certificates and plaintext
 * clients are refused; TLS alone (SSL) works too; every listener is on 127.0.0.1.
 */
@Tag("integration")
class SecuredKafkaBrokerIntegrationTest {

    private static final String USER = "pulse-app";
    private static final String PASSWORD = "scram-secret-1";

    @TempDir
    static Path dir;

    private static TestCertificates certificates;
    private static LocalKafkaBroker broker;

    @BeforeAll
    static void startSecuredBroker() {
        certificates = TestCertificates.create(dir.resolve("certs"));
        broker = LocalKafkaBroker.builder()
                .dataDir(dir.resolve("kafka"))
                .tls(certificates.keyStore(), certificates.password())
                .scramUser(USER, PASSWORD)
                .scramUser("other-user", "other-secret")
                .build()
                .start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldProduceAndConsumeOverSaslSslWithStandardClientProperties() throws Exception {
        // Given a topic (created through the PLAINTEXT internal listener, no credentials needed)
        String topic = TestTopics.unique("secured");
        broker.createTopics(Map.of(topic, 2));
        assertThat(broker.securityProtocol()).isEqualTo("SASL_SSL");

        // When a client configured with nothing but Kafka's standard security properties writes and reads
        Map<String, Object> client = saslSsl(USER, PASSWORD, certificates);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(client),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        List<ConsumerRecord<String, String>> read = readAll(client, topic, 10);

        // Then every record comes back over the secured listener
        assertThat(read).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    }

    @Test
    void shouldRefuseAWrongScramPassword() {
        Map<String, Object> client = saslSsl(USER, "not-the-password", certificates);

        try (Admin admin = Admin.create(withShortTimeouts(client))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("SCRAM-SHA-512");
        }
    }

    @Test
    void shouldRefuseAnUnknownScramUser() {
        Map<String, Object> client = saslSsl("nobody", PASSWORD, certificates);

        try (Admin admin = Admin.create(withShortTimeouts(client))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void shouldRefuseClientsThatDoNotTrustTheBrokerCertificate() {
        // a trust store holding another CA: the broker's certificate chain does not lead to it
        TestCertificates stranger = TestCertificates.create(dir.resolve("stranger-certs"));
        Map<String, Object> client = saslSsl(USER, PASSWORD, stranger);

        try (Admin admin = Admin.create(withShortTimeouts(client))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void shouldNotServePlaintextClientsOnTheSecuredPort() {
        String topic = TestTopics.unique("secured-plain");
        broker.createTopics(Map.of(topic, 1));
        Map<String, Object> plaintext = new HashMap<>();
        plaintext.put("bootstrap.servers", broker.bootstrapServers());
        plaintext.put(ConsumerConfig.GROUP_ID_CONFIG, TestTopics.uniqueGroupId("plain"));

        // a plaintext request is not a TLS handshake: the broker drops the connection and the client never gets an
        // answer, let alone a record
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(plaintext, new StringDeserializer(),
                new StringDeserializer())) {
            assertThatThrownBy(() -> consumer.partitionsFor(topic, Duration.ofSeconds(5)))
                    .isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void shouldBindEveryListenerOfTheSecuredBrokerToLoopbackOnly() {
        assumeThat(ListeningSockets.isSupported()).as("Linux /proc").isTrue();

        List<ListeningSocket> sockets = ListeningSockets.ofThisProcess();
        int internalPort = broker.internalPort();

        assertThat(sockets).extracting(ListeningSocket::port)
                .contains(broker.port(), internalPort, broker.controllerPort());
        assertThat(sockets).allSatisfy(socket ->
                assertThat(socket.address().getHostAddress()).as(socket.toString()).isEqualTo("127.0.0.1"));
    }

    @Test
    void shouldServeTlsOnlyClientsWhenNoScramUserIsGiven() throws Exception {
        try (LocalKafkaBroker tlsOnly = LocalKafkaBroker.builder()
                .dataDir(dir.resolve("kafka-tls-only"))
                .tls(certificates.keyStore(), certificates.password())
                .build()
                .start()) {
            String topic = TestTopics.unique("tls-only");
            tlsOnly.createTopics(Map.of(topic, 1));
            Map<String, Object> client = new HashMap<>(certificates.kafkaTrustProperties());
            client.put("bootstrap.servers", tlsOnly.bootstrapServers());
            client.put("security.protocol", "SSL");

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(client),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", "over-tls")).get(30, TimeUnit.SECONDS);
            }

            assertThat(tlsOnly.securityProtocol()).isEqualTo("SSL");
            assertThat(readAll(client, topic, 1)).extracting(ConsumerRecord::value).containsExactly("over-tls");
        }
    }

    /** What an application sets to talk to a SASL_SSL + SCRAM cluster: standard Kafka client properties only. */
    static Map<String, Object> saslSsl(String user, String password, TestCertificates trust) {
        Map<String, Object> client = new HashMap<>(trust.kafkaTrustProperties());
        client.put("bootstrap.servers", broker.bootstrapServers());
        client.put("security.protocol", "SASL_SSL");
        client.put("sasl.mechanism", "SCRAM-SHA-512");
        client.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return client;
    }

    private static Map<String, Object> withShortTimeouts(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put("default.api.timeout.ms", 20_000);
        config.put("request.timeout.ms", 10_000);
        return config;
    }

    private static Map<String, Object> producerConfig(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return config;
    }

    private static List<ConsumerRecord<String, String>> readAll(Map<String, Object> client, String topic, int count) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().alias(count + " records from " + topic)
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                        return records.size() >= count;
                    });
            return records;
        }
    }
}

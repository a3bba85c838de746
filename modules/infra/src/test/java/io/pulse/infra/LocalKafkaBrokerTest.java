package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldListenOnLoopbackOnly() {
        Properties props = LocalKafkaBroker.builder().dataDir(dataDir).build().brokerProperties(19092, 19093);

        assertThat(props.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
        assertThat(props.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092");
        assertThat(props.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(props.getProperty("process.roles")).isEqualTo("broker,controller");
    }

    @Test
    void shouldConfigureASingleNodeDevBroker() {
        Properties props = LocalKafkaBroker.builder().dataDir(dataDir).numPartitions(4).build()
                .brokerProperties(19092, 19093);

        assertThat(props)
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("log.cleaner.dedupe.buffer.size", "16777216")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("num.partitions", "4")
                .containsEntry("log.dirs", dataDir.resolve("kraft-combined-logs").toString());
    }

    @Test
    void shouldLetPropertiesOverrideTheDefaults() {
        Properties props = LocalKafkaBroker.builder().dataDir(dataDir)
                .property("auto.create.topics.enable", "true")
                .build().brokerProperties(19092, 19093);

        assertThat(props).containsEntry("auto.create.topics.enable", "true");
    }

    @Test
    void shouldSecureOnlyTheClientListenerWithSaslSslAndKeepEveryListenerOnLoopback() throws IOException {
        Path keyStore = Files.writeString(dataDir.resolve("server.p12"), "not read by brokerProperties");
        LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir)
                .tls(keyStore, "store-secret")
                .scramUser("alice", "alice-secret")
                .build();

        Properties props = broker.brokerProperties(19092, 19093, 19094);

        assertThat(broker.securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(props.getProperty("listeners"))
                .isEqualTo("SASL_SSL://127.0.0.1:19092,INTERNAL://127.0.0.1:19094,CONTROLLER://127.0.0.1:19093");
        assertThat(props.getProperty("advertised.listeners"))
                .isEqualTo("SASL_SSL://127.0.0.1:19092,INTERNAL://127.0.0.1:19094");
        assertThat(props)
                .containsEntry("listener.security.protocol.map",
                        "SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT")
                .containsEntry("inter.broker.listener.name", "INTERNAL")
                .containsEntry("listener.name.sasl_ssl.ssl.keystore.location", keyStore.toString())
                .containsEntry("listener.name.sasl_ssl.ssl.keystore.password", "store-secret")
                .containsEntry("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12")
                .containsEntry("listener.name.sasl_ssl.sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .containsEntry("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        // user passwords go to the metadata log through the admin API, never into the broker's config file
        assertThat(props.values()).noneMatch(value -> value.toString().contains("alice-secret"));
    }

    @Test
    void shouldOfferTlsAloneWithoutScramUsers() throws IOException {
        Path keyStore = Files.writeString(dataDir.resolve("server.p12"), "not read by brokerProperties");
        LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir).tls(keyStore, "s").build();

        Properties props = broker.brokerProperties(19092, 19093, 19094);

        assertThat(broker.securityProtocol()).isEqualTo("SSL");
        assertThat(props.getProperty("listeners")).startsWith("SSL://127.0.0.1:19092,INTERNAL://127.0.0.1:19094");
        assertThat(props).containsEntry("listener.name.ssl.ssl.keystore.location", keyStore.toString())
                .doesNotContainKey("listener.name.ssl.sasl.enabled.mechanisms");
    }

    @Test
    void shouldRefuseScramUsersWithoutTls() {
        assertThatThrownBy(() -> LocalKafkaBroker.builder().dataDir(dataDir).scramUser("alice", "secret").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs tls(...)");
        assertThatThrownBy(() -> LocalKafkaBroker.builder().scramUser("alice", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldStayPlaintextByDefault() {
        assertThat(LocalKafkaBroker.builder().dataDir(dataDir).build().securityProtocol()).isEqualTo("PLAINTEXT");
    }

    @Test
    void shouldRefuseAddressesBeforeStart() {
        LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir).build();

        assertThatThrownBy(broker::bootstrapServers).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start()");
    }

    @Test
    void shouldValidateBuilderArguments() {
        assertThatThrownBy(() -> LocalKafkaBroker.builder().port(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalKafkaBroker.builder().numPartitions(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}

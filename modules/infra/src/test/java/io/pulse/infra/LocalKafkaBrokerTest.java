package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

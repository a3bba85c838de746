package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaClusterTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldMakeEveryNodeABrokerAndAVoterOfOneQuorumOnLoopback() {
        LocalKafkaCluster cluster = LocalKafkaCluster.builder().dataDir(dataDir).build();

        Properties second = cluster.nodeProperties(2);

        assertThat(second)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "2")
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("log.dirs", dataDir.resolve("node-2").resolve("kraft-combined-logs").toString());
        assertThat(second.getProperty("controller.quorum.voters"))
                .matches("1@127\\.0\\.0\\.1:\\d+,2@127\\.0\\.0\\.1:\\d+,3@127\\.0\\.0\\.1:\\d+");
        assertThat(second.getProperty("listeners"))
                .matches("PLAINTEXT://127\\.0\\.0\\.1:\\d+,CONTROLLER://127\\.0\\.0\\.1:\\d+");
        assertThat(second.getProperty("advertised.listeners")).matches("PLAINTEXT://127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void shouldReplicateEverythingThreeTimesWithTwoInSyncReplicasRequired() {
        LocalKafkaCluster cluster = LocalKafkaCluster.builder().dataDir(dataDir).numPartitions(6).build();

        assertThat(cluster.size()).isEqualTo(3);
        assertThat(cluster.nodeIds()).containsExactly(1, 2, 3);
        assertThat(cluster.replicationFactor()).isEqualTo(3);
        assertThat(cluster.minInsyncReplicas()).isEqualTo(2);
        assertThat(cluster.nodeProperties(1))
                .containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("log.cleaner.dedupe.buffer.size", "16777216")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("num.partitions", "6");
    }

    @Test
    void shouldScaleReplicationDownToTheNodeCount() {
        LocalKafkaCluster single = LocalKafkaCluster.builder().dataDir(dataDir).nodes(1).build();
        LocalKafkaCluster five = LocalKafkaCluster.builder().dataDir(dataDir).nodes(5).build();

        assertThat(single.replicationFactor()).isEqualTo(1);
        assertThat(single.minInsyncReplicas()).isEqualTo(1);
        assertThat(single.nodeProperties(1)).containsEntry("transaction.state.log.min.isr", "1");
        assertThat(five.replicationFactor()).isEqualTo(3);
        assertThat(five.nodeProperties(5).getProperty("controller.quorum.voters").split(",")).hasSize(5);
    }

    @Test
    void shouldLetPropertiesOverrideTheDefaultsOnEveryNode() {
        LocalKafkaCluster cluster = LocalKafkaCluster.builder().dataDir(dataDir)
                .property("min.insync.replicas", "3")
                .build();

        assertThat(cluster.nodeProperties(1)).containsEntry("min.insync.replicas", "3");
        assertThat(cluster.nodeProperties(3)).containsEntry("min.insync.replicas", "3");
    }

    @Test
    void shouldRefuseUnknownNodesAndUseBeforeStart() {
        LocalKafkaCluster cluster = LocalKafkaCluster.builder().dataDir(dataDir).build();

        assertThatThrownBy(() -> cluster.nodeProperties(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node ids are 1..3");
        assertThatThrownBy(cluster::bootstrapServers).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start()");
        assertThatThrownBy(() -> LocalKafkaCluster.builder().nodes(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

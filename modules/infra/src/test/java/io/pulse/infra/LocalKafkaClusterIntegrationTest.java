package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three KRaft nodes in this JVM form one replicated cluster. One cluster serves every test here (starting one costs
 * seconds of a small machine's CPU); each test uses its own topics.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalKafkaClusterIntegrationTest {

    private LocalKafkaCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = LocalKafkaCluster.builder().build().start();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldListEveryNodeAsALiveBrokerOnLoopback() throws Exception {
        try (Admin admin = cluster.createAdmin()) {
            var description = admin.describeCluster();
            assertThat(description.nodes().get(30, TimeUnit.SECONDS)).extracting(Node::id)
                    .containsExactlyInAnyOrder(1, 2, 3);
            assertThat(description.nodes().get(30, TimeUnit.SECONDS)).extracting(Node::host)
                    .containsOnly("127.0.0.1");
            assertThat(description.clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(cluster.clusterId());
        }
        assertThat(cluster.bootstrapServers().split(",")).containsExactly(
                "127.0.0.1:" + cluster.port(1), "127.0.0.1:" + cluster.port(2), "127.0.0.1:" + cluster.port(3));
    }

    @Test
    void shouldCreateTopicsWithThreeInSyncReplicasSpreadOverTheNodes() {
        cluster.createTopics(Map.of("replicated", 6));

        await().alias("every partition of 'replicated' has 3 in-sync replicas")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    TopicDescription topic = describe("replicated");
                    assertThat(topic.partitions()).hasSize(6).allSatisfy(partition -> {
                        assertThat(partition.replicas()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
                        assertThat(partition.isr()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
                    });
                    // the leaders are spread over the nodes, not all on one
                    assertThat(topic.partitions().stream().map(p -> p.leader().id()).collect(Collectors.toSet()))
                            .hasSize(3);
                });
    }

    @Test
    void shouldCommitTransactionsThatReadCommittedConsumersSee() {
        cluster.createTopics(Map.of("transactional", 3));
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer("cluster-it-tx")) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 30; i++) {
                String value = "value-" + i;
                producer.send(new ProducerRecord<>("transactional", "key-" + i, value));
                sent.add(value);
            }
            producer.commitTransaction();
        }

        assertThat(readAll("transactional", sent.size())).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void shouldKeepServingWhileANodeIsStoppedAndTakeItBackAfterwards() throws Exception {
        // Given a replicated topic with data
        cluster.createTopics(Map.of("survivor", 3));
        try (KafkaProducer<String, String> producer = producer(null)) {
            producer.send(new ProducerRecord<>("survivor", "k", "before")).get(30, TimeUnit.SECONDS);
        }

        // When a node stops (the active controller's fate does not matter: two voters of three remain)
        cluster.stopNode(2);
        assertThat(cluster.isNodeRunning(2)).isFalse();
        try {
            // Then acks=all writes still succeed (2 of 3 in sync) and leadership has left node 2
            try (KafkaProducer<String, String> producer = producer(null)) {
                producer.send(new ProducerRecord<>("survivor", "k", "during")).get(30, TimeUnit.SECONDS);
            }
            assertThat(describe("survivor").partitions()).extracting(p -> p.leader().id())
                    .doesNotContain(2);
            assertThat(readAll("survivor", 2)).containsExactlyInAnyOrder("before", "during");
        } finally {
            // And when it comes back, it catches up and rejoins every ISR
            cluster.startNode(2);
        }
        assertThat(cluster.isNodeRunning(2)).isTrue();
        await().alias("node 2 back in the ISR of every 'survivor' partition")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(describe("survivor").partitions())
                        .allSatisfy(p -> assertThat(p.isr()).extracting(Node::id).contains(2)));
    }

    private TopicDescription describe(String topic) throws Exception {
        try (Admin admin = cluster.createAdmin()) {
            return admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        }
    }

    private KafkaProducer<String, String> producer(String transactionalId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private List<String> readAll(String topic, int expected) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().alias(expected + " committed records on " + topic)
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                            values.add(record.value());
                        }
                        return values.size() >= expected;
                    });
        }
        return values;
    }
}

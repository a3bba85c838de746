package io.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.infra.LocalInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Transactions must work on the one-node broker: Kafka Streams' exactly_once_v2 is built on them. */
@PulseIntegrationTest
class BrokerTransactionsIntegrationTest {

    @Test
    void shouldDeliverCommittedAndHideAbortedRecordsToReadCommittedConsumers(LocalInfra infra) {
        String topic = TestTopics.createUnique(infra, "tx-events", 3);

        // Given one committed transaction of 10 records, one aborted of 5, then one committed of 1
        try (KafkaProducer<String, String> producer = transactionalProducer(infra)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "user-" + i, "committed-" + i));
            }
            producer.commitTransaction();

            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "user-" + i, "aborted-" + i));
            }
            producer.flush(); // the aborted records really reach the log
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "user-0", "committed-last"));
            producer.commitTransaction();
        }

        // Then a read_committed consumer sees exactly the 11 committed records
        List<String> committed = consumeAll(infra, topic, "read_committed", 11);
        assertThat(committed).hasSize(11)
                .allSatisfy(v -> assertThat(v).startsWith("committed-"))
                .contains("committed-0", "committed-9", "committed-last");

        // and a read_uncommitted one also sees the aborted 5: the test above is not passing vacuously
        List<String> everything = consumeAll(infra, topic, "read_uncommitted", 16);
        assertThat(everything).hasSize(16).filteredOn(v -> v.startsWith("aborted-")).hasSize(5);
    }

    private static KafkaProducer<String, String> transactionalProducer(LocalInfra infra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestTopics.unique("tx-producer"));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static List<String> consumeAll(LocalInfra infra, String topic, String isolationLevel, int expected) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TestTopics.uniqueGroupId("tx-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().alias(isolationLevel + " consumer receives " + expected + " records")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> {
                        for (ConsumerRecord<String, String> rec : consumer.poll(Duration.ofMillis(200))) {
                            values.add(rec.value());
                        }
                        return values.size() >= expected;
                    });
            // one more poll: anything beyond the expected count would be a bug
            consumer.poll(Duration.ofMillis(500)).forEach(rec -> values.add(rec.value()));
        }
        return values;
    }
}

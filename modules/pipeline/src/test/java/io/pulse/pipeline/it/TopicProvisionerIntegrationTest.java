package io.pulse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.schema.PulseTopics;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.TopicProvisioner;
import io.pulse.testsupport.PulseIntegrationTest;
import io.pulse.testsupport.TestTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Topics Pulse creates are ready for the first producer when {@code ensureTopics} returns (CI once saw {@code pulse
 * simulate}'s first append answered NOT_LEADER_OR_FOLLOWER by a broker that had not taken the new partition over
 * yet, and its idempotent producer retry into OutOfOrderSequenceException until the delivery timeout).
 */
@PulseIntegrationTest
class TopicProvisionerIntegrationTest {

    private static final int PARTITIONS = 12;

    @Test
    void shouldReturnOnlyWhenEveryPartitionOfACreatedTopicTakesAppendsAtOnce(LocalInfra infra) throws Exception {
        // Given a topic of 12 partitions that does not exist yet
        String topic = TestTopics.unique(PulseTopics.USER_EVENTS.name());
        Map<String, Object> client = Map.of("bootstrap.servers", infra.bootstrapServers());

        // When Pulse creates it and an idempotent producer appends to every partition right away
        List<String> created = TopicProvisioner.ensureTopics(client,
                List.of(PulseTopics.USER_EVENTS.withName(topic).spec(PARTITIONS)));
        List<RecordMetadata> appended = new ArrayList<>();
        double retries;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                sends.add(producer.send(new ProducerRecord<>(topic, partition, "u" + partition, "e" + partition)));
            }
            for (Future<RecordMetadata> send : sends) {
                appended.add(send.get(60, TimeUnit.SECONDS));
            }
            retries = producer.metrics().entrySet().stream()
                    .filter(m -> m.getKey().name().equals("record-retry-total")
                            && m.getKey().group().equals("producer-metrics"))
                    .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue())
                    .sum();
        }

        // Then it reported the topic as created, and every partition took its first record at offset 0, first time
        assertThat(created).containsExactly(topic);
        assertThat(appended).extracting(RecordMetadata::partition)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, PARTITIONS).boxed().toList());
        assertThat(appended).extracting(RecordMetadata::offset).containsOnly(0L);
        assertThat(retries).as("records the producer had to send again").isZero();
    }
}

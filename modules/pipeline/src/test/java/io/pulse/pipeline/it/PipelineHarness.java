package io.pulse.pipeline.it;

import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.testsupport.CommittedRecords;
import io.pulse.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A pipeline on the real broker and registry with topics and an application id of its own, and the clients a test
 * needs around it: a raw producer (good and bad bytes alike) and read_committed readers of the outputs.
 */
final class PipelineHarness {

    final LocalInfra infra;
    final String suffix = TestTopics.unique("t");
    final String eventsTopic = PulseTopics.USER_EVENTS.name() + "-" + suffix;
    final String dlqTopic = "dlq-" + suffix;
    final String predictionsTopic = "predictions-" + suffix;
    final String interestsTopic = "interests-" + suffix;
    final String churnTopic = "churn-" + suffix;
    final String fraudTopic = "fraud-" + suffix;
    final String weightsTopic = "weights-" + suffix;
    final String labelsTopic = "labels-" + suffix;
    final String erasuresTopic = "erasures-" + suffix;
    final String auditTopic = "audit-" + suffix;
    final String applicationId = "pulse-it-" + suffix;

    PipelineHarness(LocalInfra infra) {
        this.infra = infra;
    }

    /** Pipeline settings for one instance of this harness. */
    Map<String, String> settings(Path stateDir, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put(PulseConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers());
        settings.put(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl());
        settings.put(PulseConfig.APPLICATION_ID, applicationId);
        settings.put(PulseConfig.STATE_DIR, stateDir.toString());
        settings.put(PulseConfig.HTTP_PORT, "0");
        settings.put(PulseConfig.TOPIC_USER_EVENTS, eventsTopic);
        settings.put(PulseConfig.TOPIC_DLQ, dlqTopic);
        settings.put(PulseConfig.TOPIC_PREDICTIONS, predictionsTopic);
        settings.put(PulseConfig.TOPIC_USER_INTERESTS, interestsTopic);
        settings.put(PulseConfig.TOPIC_CHURN_ALERTS, churnTopic);
        settings.put(PulseConfig.TOPIC_FRAUD_ALERTS, fraudTopic);
        settings.put(PulseConfig.TOPIC_MODEL_WEIGHTS, weightsTopic);
        settings.put(PulseConfig.TOPIC_LABELS, labelsTopic);
        settings.put(PulseConfig.TOPIC_ERASURES, erasuresTopic);
        settings.put(PulseConfig.TOPIC_AUDIT, auditTopic);
        settings.put(PulseConfig.TOPIC_PARTITIONS, "4");
        // a test instance: small caches, quick commits and rebalances
        settings.put("statestore.cache.max.bytes", "0");
        settings.put("consumer.session.timeout.ms", "10000");
        settings.putAll(extra);
        return settings;
    }

    PulsePipeline start(Path stateDir, Map<String, String> extra) {
        return new PulsePipeline(new PulseConfig(settings(stateDir, extra))).start();
    }

    KafkaProducer<byte[], byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    AvroSerializer<UserEvent> eventSerializer() {
        AvroSerializer<UserEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
        return serializer;
    }

    void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get();
            }
        }
    }

    /** {@code events} to the events topic, keyed by user, in order (each acknowledged before the next). */
    void produceEvents(List<UserEvent> events) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (AvroSerializer<UserEvent> serializer = eventSerializer()) {
            for (UserEvent event : events) {
                records.add(new ProducerRecord<>(eventsTopic, event.getUserId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(eventsTopic, event)));
            }
        }
        produce(records);
    }

    /** Every record now committed on {@code topic}, read with read_committed up to the end offsets. */
    <T> List<ConsumerRecord<String, T>> readAll(String topic, Class<? extends SpecificRecord> type) {
        try (AvroDeserializer<T> values = new AvroDeserializer<>(type)) {
            values.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
            return CommittedRecords.read(infra.bootstrapServers(), topic, new StringDeserializer(), values);
        }
    }

    List<ConsumerRecord<byte[], byte[]>> readAllRaw(String topic) {
        return CommittedRecords.read(infra.bootstrapServers(), topic, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}

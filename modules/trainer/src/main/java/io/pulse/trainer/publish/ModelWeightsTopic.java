package io.pulse.trainer.publish;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.contracts.schema.Topic.TopicSpec;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.registry.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compacted {@code model-weights} topic: key = model name (UTF-8), value = {@code ModelBundle} Avro in the
 * Confluent wire format. Reads the latest bundle of a model and publishes new ones.
 */
public final class ModelWeightsTopic {

    private static final Logger LOG = LoggerFactory.getLogger(ModelWeightsTopic.class);
    /** A bundle of hidden 64 is about 110 KB; leave room for larger models, as the topic's max.message.bytes does. */
    private static final int MAX_BUNDLE_BYTES = 16 * 1024 * 1024;

    private final Map<String, Object> clientConfig;
    private final String topic;
    private final Duration timeout;

    /**
     * @param clientConfig Kafka client and serde settings ({@code bootstrap.servers}, {@code schema.registry.url}, ...)
     * @param topic        the weights topic
     * @param timeout      how long to wait for the cluster in each operation
     */
    public ModelWeightsTopic(Map<String, Object> clientConfig, String topic, Duration timeout) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.topic = topic;
        this.timeout = timeout;
    }

    public String topic() {
        return topic;
    }

    /**
     * The newest bundle of {@code modelName}: the last record with that key up to the end offsets seen now (a
     * tombstone clears it); undecodable records are skipped with a warning. Empty if the topic does not exist.
     */
    public Optional<ModelBundle> latest(String modelName) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_BUNDLE_BYTES * 4);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_BUNDLE_BYTES);
        byte[] key = modelName.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             AvroDeserializer<ModelBundle> deserializer = new AvroDeserializer<>(ModelBundle.class)) {
            deserializer.configure(clientConfig, false);
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                return Optional.empty();
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(assigned, timeout));
            byte[] latest = null;
            boolean found = false;
            long deadline = System.nanoTime() + timeout.toNanos();
            end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            while (!end.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Long stop = end.get(new TopicPartition(record.topic(), record.partition()));
                    if (stop != null && record.offset() < stop && Arrays.equals(key, record.key())) {
                        latest = record.value();
                        found = true;
                    }
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                if (!end.isEmpty() && System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " took longer than " + timeout);
                }
            }
            if (!found || latest == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(deserializer.deserialize(topic, latest));
            } catch (RuntimeException e) {
                LOG.warn("the latest {} record on {} does not decode ({}); treating it as no current model", modelName,
                        topic, e.getMessage());
                return Optional.empty();
            }
        }
    }

    /**
     * Produces the bundle (key = its name), creating the topic (compacted, one partition) if it is missing, and waits
     * for the acknowledgement.
     *
     * @return where it was written
     */
    public RecordMetadata publish(ModelBundle bundle) {
        ensureTopic();
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_BUNDLE_BYTES);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        try (AvroSerializer<ModelBundle> serializer = new AvroSerializer<>();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                     new ByteArraySerializer())) {
            serializer.configure(clientConfig, false);
            byte[] value = serializer.serialize(topic, bundle);
            return producer.send(new ProducerRecord<>(topic, bundle.getName(), value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish bundle " + bundle.getVersion() + " to " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    private void ensureTopic() {
        Map<String, Object> adminConfig = new HashMap<>();
        clientConfig.forEach((k, v) -> {
            if (!k.startsWith("schema.registry") && !k.startsWith("basic.auth")) {
                adminConfig.put(k, v);
            }
        });
        try (Admin admin = Admin.create(adminConfig)) {
            if (admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                return;
            }
            TopicSpec spec = PulseTopics.MODEL_WEIGHTS.withName(topic).spec(1);
            admin.createTopics(List.of(new NewTopic(topic, spec.partitions(), (short) -1).configs(spec.configs())))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created topic {} (compacted, {} partition)", topic, spec.partitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout + " while checking " + topic, e);
        }
    }
}

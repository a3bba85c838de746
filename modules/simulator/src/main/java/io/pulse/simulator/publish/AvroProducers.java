package io.pulse.simulator.publish;

import io.pulse.registry.serde.AvroSerializer;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** The producer the simulator and the replayer write with: string keys, Avro values in the Confluent wire format. */
public final class AvroProducers {

    private AvroProducers() {
    }

    /**
     * A producer for any generated Avro record ({@code UserEvent}, {@code Label}, ...). Idempotent, {@code acks=all},
     * {@code linger.ms=5} unless {@code producerConfig} says otherwise.
     *
     * @param producerConfig Kafka producer and serde settings; {@code bootstrap.servers} and
     *                       {@code schema.registry.url} are required, serializers are set here
     * @param clientId       {@code client.id} unless {@code producerConfig} has one
     */
    public static Producer<String, SpecificRecord> create(Map<String, Object> producerConfig, String clientId) {
        Properties props = new Properties();
        props.putAll(producerConfig);
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        AvroSerializer<SpecificRecord> valueSerializer = new AvroSerializer<>();
        valueSerializer.configure(producerConfig, false);
        return new KafkaProducer<>(props, new StringSerializer(), valueSerializer);
    }
}

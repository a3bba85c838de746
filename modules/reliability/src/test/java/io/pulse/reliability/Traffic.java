package io.pulse.reliability;

import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.pipeline.PulseConfig;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.simulator.publish.Workload;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The input of a fault test: simulated events (seeded, serialized with the registry) with malformed records and
 * repeated deliveries mixed in at seeded positions, so that every run of a test sends the same bytes in the same order.
 */
public final class Traffic {

    private final List<ProducerRecord<byte[], byte[]>> records;
    private final Set<String> acceptedEventIds;

    private Traffic(List<ProducerRecord<byte[], byte[]>> records, Set<String> acceptedEventIds) {
        this.records = records;
        this.acceptedEventIds = acceptedEventIds;
    }

    /**
     * @param malformed  records whose value is not Avro at all (dead-lettered as UNKNOWN_MAGIC_BYTE or similar)
     * @param duplicates second deliveries of events already in the list (dropped by deduplication)
     */
    public static Traffic of(Workload workload, String registryUrl, int malformed, int duplicates, long seed) {
        Random random = new Random(seed);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (AvroDeserializer<UserEvent> events = new AvroDeserializer<>(UserEvent.class)) {
            events.configure(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
            for (int i = 0; i < workload.events(); i++) {
                ids.add(events.deserialize(PulseTopics.USER_EVENTS.name(), workload.value(i)).getEventId());
                records.add(new ProducerRecord<>("", workload.key(i), workload.value(i)));
            }
        }
        for (int i = 0; i < duplicates; i++) {
            int of = random.nextInt(records.size() / 2);
            ProducerRecord<byte[], byte[]> original = records.get(of);
            int at = of + 1 + random.nextInt(records.size() - of - 1);
            records.add(at, new ProducerRecord<>("", original.key(), original.value()));
        }
        for (int i = 0; i < malformed; i++) {
            byte[] garbage = new byte[8 + random.nextInt(40)];
            random.nextBytes(garbage);
            garbage[0] = (byte) (1 + random.nextInt(100)); // never the Confluent magic byte 0
            records.add(random.nextInt(records.size()), new ProducerRecord<>("", workload.key(0), garbage));
        }
        return new Traffic(records, ids);
    }

    /** The eventIds that must each get exactly one prediction. */
    public Set<String> acceptedEventIds() {
        return acceptedEventIds;
    }

    /** The {@code i}-th record (its topic is set when it is produced). */
    public ProducerRecord<byte[], byte[]> record(int i) {
        return records.get(i);
    }

    public int size() {
        return records.size();
    }

    /** Sends every record to the deployment's events topic, in order, and waits for the acknowledgements. */
    public void produceAll(Deployment deployment) throws Exception {
        produce(deployment, 0, records.size());
    }

    /** Sends records {@code [from, to)} in order and waits for the acknowledgements. */
    public void produce(Deployment deployment, int from, int to) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(deployment.bootstrapServers())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = from; i < to; i++) {
                ProducerRecord<byte[], byte[]> r = records.get(i);
                sent.add(producer.send(new ProducerRecord<>(deployment.eventsTopic(), r.key(), r.value())));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        }
    }

    /** An idempotent producer that waits as long as it takes (a broker restart included). */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}

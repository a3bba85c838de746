package io.pulse.deployment.container;

import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.pipeline.PulseConfig;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.simulator.publish.Workload;
import io.pulse.testsupport.CommittedRecords;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Seeded simulated user events (Avro, registered in the test's registry) produced to a topic from this JVM, and the
 * predictions a pipeline committed for them, counted per eventId as a read_committed consumer sees them.
 */
final class SimulatedEvents {

    private final Workload workload;
    private final Set<String> eventIds;

    private SimulatedEvents(Workload workload, Set<String> eventIds) {
        this.workload = workload;
        this.eventIds = eventIds;
    }

    static SimulatedEvents generate(int users, int events, long seed, String registryUrl) {
        Workload workload = Workload.generate(users, events, seed, Map.of(PulseConfig.SCHEMA_REGISTRY_URL, registryUrl));
        Set<String> ids = new LinkedHashSet<>();
        try (AvroDeserializer<UserEvent> values = new AvroDeserializer<>(UserEvent.class)) {
            values.configure(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
            for (int i = 0; i < workload.events(); i++) {
                ids.add(values.deserialize(PulseTopics.USER_EVENTS.name(), workload.value(i)).getEventId().toString());
            }
        }
        if (ids.size() != workload.events()) {
            throw new IllegalStateException("the simulator repeated an eventId: " + ids.size() + " ids for "
                    + workload.events() + " events");
        }
        return new SimulatedEvents(workload, ids);
    }

    /** Sends every event to {@code topic} (acks=all, idempotent) and waits for the acknowledgements. */
    void produce(String bootstrapServers, String topic) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < workload.events(); i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, workload.key(i), workload.value(i))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
    }

    Set<String> eventIds() {
        return eventIds;
    }

    /** How many committed predictions each eventId has on {@code topic} (sorted, for readable failures). */
    static Map<String, Integer> committedPredictionsPerEvent(String bootstrapServers, String registryUrl,
            String topic) {
        Map<String, Integer> counts = new TreeMap<>();
        try (AvroDeserializer<Prediction> values = new AvroDeserializer<>(Prediction.class)) {
            values.configure(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
            for (ConsumerRecord<String, Prediction> record : CommittedRecords.read(bootstrapServers, topic,
                    new StringDeserializer(), values::deserialize)) {
                counts.merge(record.value().getEventId().toString(), 1, Integer::sum);
            }
        }
        return counts;
    }
}

package io.pulse.evaluation;

import io.pulse.contracts.Label;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.infra.LocalInfra;
import io.pulse.infra.LocalInfraConfig;
import io.pulse.model.EntityWindowSpec;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.registry.serde.TopicSerdes;
import io.pulse.trainer.publish.ModelWeightsTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scores with the real thing: a local Kafka broker and Schema Registry ({@link LocalInfra}), {@link PulsePipeline}
 * (exactly-once) reading per-fold topics, the fold's bundle published to {@code model-weights} as the trainer
 * publishes it, the fold's events and delayed labels produced in event-time order, and predictions read back
 * (read_committed) from {@code user-predictions}.
 */
public final class BrokerScorer implements PipelineScorer {

    private static final Duration STALL_TIMEOUT = Duration.ofMinutes(3);
    private final Path workDir;
    private final LocalInfra infra;
    private final List<EntityWindowSpec> entities;

    public BrokerScorer(Path workDir, Consumer<String> progress) {
        this(workDir, List.of(), progress);
    }

    /** A scorer whose pipeline keeps {@code entities} (the ones the fold models are trained with). */
    public BrokerScorer(Path workDir, List<EntityWindowSpec> entities, Consumer<String> progress) {
        this.workDir = workDir;
        this.entities = List.copyOf(entities);
        progress.accept("starting a local Kafka broker and Schema Registry (127.0.0.1)...");
        this.infra = LocalInfra.start(LocalInfraConfig.forTests());
        progress.accept("  Kafka " + infra.bootstrapServers() + ", Schema Registry " + infra.schemaRegistryUrl());
    }

    @Override
    public Mode mode() {
        return Mode.BROKER;
    }

    @Override
    public String describe() {
        return "a real local Kafka broker (KRaft, in-process) and Schema Registry (Apicurio, child process) on "
                + "127.0.0.1; PulsePipeline (Kafka Streams, exactly_once_v2, 2 partitions, 1 stream thread) with the "
                + "fold's bundle published on model-weights; events and 7-day-delayed labels produced in event-time "
                + "order; fraud scores read back from user-predictions (read_committed)"
                + DriverScorer.entitiesNote(entities);
    }

    @Override
    public Map<String, Double> score(HandbookData data, HandbookFold fold, ModelBundle bundle, Set<String> wanted,
            Consumer<String> progress) throws Exception {
        Path stateDir = Files.createDirectories(workDir.resolve("broker-fold" + fold.index()));
        Map<String, Object> c = DriverScorer.baseConfig(fold, bundle.getName(), stateDir, entities);
        c.put(PulseConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers());
        c.put(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl());
        c.put(PulseConfig.TOPIC_PARTITIONS, 2);
        PulseConfig config = new PulseConfig(c);
        Map<String, Object> client = new HashMap<>(infra.clientProperties());
        Map<String, Double> scores = new HashMap<>(wanted.size() * 2);
        try (PulsePipeline pipeline = new PulsePipeline(config).start()) {
            if (!pipeline.awaitRunning(Duration.ofMinutes(3))) {
                throw new IllegalStateException("the pipeline did not reach RUNNING");
            }
            new ModelWeightsTopic(client, config.topic(PulseConfig.TOPIC_MODEL_WEIGHTS), Duration.ofSeconds(60))
                    .publish(bundle);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!pipeline.models().current().version().equals(bundle.getVersion())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the pipeline did not adopt " + bundle.getVersion());
                }
                Thread.sleep(100);
            }
            progress.accept("  pipeline running with model " + bundle.getVersion());
            long started = System.nanoTime();
            produce(data, fold, config, client, progress);
            collect(config, client, bundle, wanted, scores, started, progress);
        } finally {
            DriverScorer.deleteRecursively(stateDir);
        }
        return scores;
    }

    private void produce(HandbookData data, HandbookFold fold, PulseConfig config, Map<String, Object> client,
            Consumer<String> progress) {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        String eventsTopic = config.topic(PulseConfig.TOPIC_USER_EVENTS);
        String labelsTopic = config.topic(PulseConfig.TOPIC_LABELS);
        try (var eventSerde = TopicSerdes.valueSerde(PulseTopics.USER_EVENTS, config.serdeConfig());
             var labelSerde = TopicSerdes.valueSerde(PulseTopics.USER_LABELS, config.serdeConfig());
             KafkaProducer<String, UserEvent> events = new KafkaProducer<>(p, new StringSerializer(),
                     eventSerde.serializer());
             KafkaProducer<String, Label> labels = new KafkaProducer<>(p, new StringSerializer(),
                     labelSerde.serializer())) {
            int total = ScoringStream.size(data, fold);
            ScoringStream.feed(data, fold, new ScoringStream.Sink() {
                @Override
                public void event(UserEvent event) {
                    events.send(new ProducerRecord<>(eventsTopic, null, event.getEventTime().toEpochMilli(),
                            event.getUserId(), event));
                }

                @Override
                public void label(Label label) {
                    labels.send(new ProducerRecord<>(labelsTopic, null, label.getObservedAt().toEpochMilli(),
                            label.getUserId(), label));
                }
            }, sent -> {
                if (sent % 100_000 == 0 || sent == total) {
                    progress.accept(String.format(Locale.ROOT, "  produced %,d / %,d events", sent, total));
                }
            });
            events.flush();
            labels.flush();
        }
    }

    private static void collect(PulseConfig config, Map<String, Object> client, ModelBundle bundle,
            Set<String> wanted, Map<String, Double> scores, long started, Consumer<String> progress) {
        Map<String, Object> cc = new HashMap<>(client);
        cc.put(ConsumerConfig.GROUP_ID_CONFIG, "pulse-handbook-reader-" + config.getString(PulseConfig.APPLICATION_ID));
        cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        String topic = config.topic(PulseConfig.TOPIC_PREDICTIONS);
        try (var predictionSerde = TopicSerdes.valueSerde(PulseTopics.USER_PREDICTIONS, config.serdeConfig());
             KafkaConsumer<String, Prediction> consumer = new KafkaConsumer<>(cc, new StringDeserializer(),
                     predictionSerde.deserializer())) {
            consumer.subscribe(List.of(topic));
            long predictions = 0;
            long lastProgress = System.nanoTime();
            long lastReport = 0;
            while (scores.size() < wanted.size()) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, Prediction> r : records) {
                    predictions++;
                    Prediction pr = r.value();
                    if (wanted.contains(pr.getEventId())) {
                        if (!pr.getModelVersion().equals(bundle.getVersion())) {
                            throw new IllegalStateException("event " + pr.getEventId() + " scored by model "
                                    + pr.getModelVersion());
                        }
                        scores.put(pr.getEventId(), pr.getFraudScore());
                    }
                }
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
                    throw new IllegalStateException("no prediction for " + STALL_TIMEOUT + " with " + scores.size()
                            + " of " + wanted.size() + " test scores received");
                }
                if (predictions - lastReport >= 50_000) {
                    lastReport = predictions;
                    double s = (System.nanoTime() - started) / 1e9;
                    progress.accept(String.format(Locale.ROOT, "  %,d predictions read (%.0f events/s end to end),"
                            + " %,d / %,d test scores", predictions, predictions / s, scores.size(), wanted.size()));
                }
            }
        }
    }

    @Override
    public void close() {
        infra.close();
    }
}

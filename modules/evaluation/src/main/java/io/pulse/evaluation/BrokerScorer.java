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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.config.ServerLogConfigs;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Scores with the real thing: a local Kafka broker and Schema Registry ({@link LocalInfra}), {@link PulsePipeline}
 * (exactly-once) reading per-fold topics, the fold's bundle published to {@code model-weights} as the trainer
 * publishes it, the fold's events and delayed labels produced in event-time order, and predictions read back
 * (read_committed) from {@code user-predictions}.
 *
 * <p>The whole stream is on the broker before the pipeline starts, and is processed as one backlog: Kafka Streams
 * then merges events and labels by timestamp (it waits for a partition it knows has unread records). With one
 * partition the order every processor sees is the {@link DriverScorer}'s, and so are the scores (up to a label and an
 * event at the same millisecond). With more partitions the order is no longer time order (see
 * {@link #DEFAULT_PARTITIONS}); the run counts the events scored after a later event of their card.
 *
 * <p>No record is lost to retention (the data is from 2018, see {@link BrokerTopics}): every topic of the run keeps
 * its records ({@code retention.ms=-1}, repartition purge off); after each fold the scorer checks that every event has
 * a prediction and no topic's log start offset moved, and counts the records of every hop ({@link #lastRun()}).
 */
public final class BrokerScorer implements PipelineScorer {

    /**
     * The partitions of the evaluation's topics: one. The run compresses weeks into minutes and the pipeline reads it
     * as one backlog; with more partitions, entity tasks run ahead of one another by whole batches, so a card's events
     * at terminals of different partitions come back to scoring out of time order (measured on a small set with two:
     * scores up to 0.22 away from the driver's), which live traffic, with hours between a card's transactions and a
     * round trip of a commit interval, does not do. With one, every processor sees the stream in time order.
     */
    public static final int DEFAULT_PARTITIONS = 1;
    private static final Duration STALL_TIMEOUT = Duration.ofMinutes(3);
    private final Path workDir;
    private final LocalInfra infra;
    private final List<EntityWindowSpec> entities;
    private final int partitions;
    private volatile Run lastRun;

    /** What one fold's run put on and read from the broker. */
    record Run(long events, long labels, long predictions, long outOfOrder, Map<String, Long> records,
            Map<String, Long> logStarts, List<String> retentionSetLate) {
    }

    public BrokerScorer(Path workDir, Consumer<String> progress) {
        this(workDir, List.of(), progress);
    }

    /** A scorer whose pipeline keeps {@code entities} (the ones the fold models are trained with). */
    public BrokerScorer(Path workDir, List<EntityWindowSpec> entities, Consumer<String> progress) {
        this(workDir, entities, DEFAULT_PARTITIONS, infraConfig(), progress);
    }

    /**
     * A scorer on a local broker started with {@code infra} (its topics get {@code partitions} partitions); the
     * broker's own retention settings do not matter, the scorer sets the run's topics to keep everything.
     */
    BrokerScorer(Path workDir, List<EntityWindowSpec> entities, int partitions, LocalInfraConfig infra,
            Consumer<String> progress) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        this.workDir = workDir;
        this.entities = List.copyOf(entities);
        this.partitions = partitions;
        progress.accept("starting a local Kafka broker and Schema Registry (127.0.0.1)...");
        this.infra = LocalInfra.start(infra);
        progress.accept("  Kafka " + this.infra.bootstrapServers() + ", Schema Registry "
                + this.infra.schemaRegistryUrl());
    }

    /**
     * Free ports, a temporary directory; records of any age accepted and, by default, kept (the run's topics are set
     * to keep them anyway).
     */
    static LocalInfraConfig infraConfig() {
        return LocalInfraConfig.forTests().toBuilder()
                .brokerProperty(ServerLogConfigs.LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG,
                        String.valueOf(Long.MAX_VALUE))
                .brokerProperty(ServerLogConfigs.LOG_RETENTION_TIME_MILLIS_CONFIG, "-1")
                .build();
    }

    @Override
    public Mode mode() {
        return Mode.BROKER;
    }

    @Override
    public String describe() {
        return "a real local Kafka broker (KRaft, in-process) and Schema Registry (Apicurio, child process) on "
                + "127.0.0.1; PulsePipeline (Kafka Streams, exactly_once_v2, " + partitions + " partition"
                + (partitions == 1 ? "" : "s") + ", 1 stream thread) with the fold's bundle published on model-weights;"
                + " events and 7-day-delayed labels produced in event-time order before the pipeline starts, then"
                + " processed as a backlog; every topic of the run kept (retention.ms=-1) and checked to have lost no"
                + " record; fraud scores read back from user-predictions (read_committed)"
                + DriverScorer.entitiesNote(entities);
    }

    /** The counts of the last fold scored, or null before the first. */
    Run lastRun() {
        return lastRun;
    }

    @Override
    public Map<String, Double> score(HandbookData data, HandbookFold fold, ModelBundle bundle, Set<String> wanted,
            Consumer<String> progress) throws Exception {
        Path stateDir = Files.createDirectories(workDir.resolve("broker-fold" + fold.index()));
        Map<String, Object> c = DriverScorer.baseConfig(fold, bundle.getName(), stateDir, entities);
        c.put(PulseConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers());
        c.put(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl());
        c.put(PulseConfig.TOPIC_PARTITIONS, partitions);
        // keep what the pipeline consumed from its repartition topics, so the run can show nothing was lost there
        c.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, Long.MAX_VALUE);
        PulseConfig config = new PulseConfig(c);
        Map<String, Object> client = new HashMap<>(infra.clientProperties());
        Map<String, Double> scores = new HashMap<>(wanted.size() * 2);
        try (Admin admin = infra.createAdmin()) {
            // the whole stream goes on the broker before the pipeline starts: its consumers then know from their
            // first fetch how far each input partition goes, and merge events and labels strictly by timestamp
            // (produced while it runs, the pipeline may find a partition caught up and run ahead of it)
            List<String> created = BrokerTopics.create(client, config);
            progress.accept("  created " + created.size() + " topics keeping every record (retention.ms=-1)");
            new ModelWeightsTopic(client, config.topic(PulseConfig.TOPIC_MODEL_WEIGHTS), Duration.ofSeconds(60))
                    .publish(bundle);
            long started = System.nanoTime();
            long[] produced = produce(data, fold, config, client, progress);
            try (PulsePipeline pipeline = new PulsePipeline(config).start()) {
                if (!pipeline.awaitRunning(Duration.ofMinutes(3))) {
                    throw new IllegalStateException("the pipeline did not reach RUNNING");
                }
                // it loads the stored bundle before it scores anything (ModelWeightsProcessor.init)
                if (!pipeline.models().current().version().equals(bundle.getVersion())) {
                    throw new IllegalStateException("the pipeline did not adopt " + bundle.getVersion() + " (it runs "
                            + pipeline.models().current().version() + ")");
                }
                progress.accept("  pipeline running with model " + bundle.getVersion());
                Set<String> topics = BrokerTopics.of(admin, config);
                List<String> missing = BrokerTopics.expectedInternal(config, entities).stream()
                        .filter(t -> !topics.contains(t)).toList();
                if (!missing.isEmpty()) {
                    throw new IllegalStateException("the pipeline is running without its internal topics " + missing);
                }
                List<String> late = BrokerTopics.keepForever(admin, topics);
                if (!late.isEmpty()) {
                    progress.accept("  WARNING: " + late + " had a finite retention until now (the check after the"
                            + " run tells whether the broker deleted anything meanwhile)");
                }
                long[] predictions = collect(config, client, bundle, wanted, produced[0], scores, started, progress);
                lastRun = check(admin, config, client, topics, produced, predictions, late, progress);
            }
        } finally {
            DriverScorer.deleteRecursively(stateDir);
        }
        return scores;
    }

    /**
     * Fails if the broker deleted any record of the run; counts the records of each hop. Every event is on
     * {@code user-events}, comes back from the entities once and yields one prediction; each fraud label reaches
     * each entity type once.
     */
    private Run check(Admin admin, PulseConfig config, Map<String, Object> client, Set<String> topics,
            long[] produced, long[] predictions, List<String> late, Consumer<String> progress) {
        Map<String, Long> logStarts = BrokerTopics.logStartOffsets(admin, topics);
        List<String> trimmed = logStarts.entrySet().stream().filter(e -> e.getValue() != 0)
                .map(e -> e.getKey() + " (log start offset " + e.getValue() + ")").toList();
        if (!trimmed.isEmpty()) {
            throw new IllegalStateException("the broker deleted records of " + trimmed);
        }
        Map<String, Long> records = new LinkedHashMap<>();
        List<String> counted = new ArrayList<>(List.of(config.topic(PulseConfig.TOPIC_USER_EVENTS),
                config.topic(PulseConfig.TOPIC_LABELS)));
        counted.addAll(BrokerTopics.expectedInternal(config, entities));
        for (String topic : counted) {
            records.put(topic, BrokerTopics.count(client, topic));
        }
        progress.accept(String.format(Locale.ROOT, "  nothing deleted on %d topics; records: %s; %,d predictions for"
                + " %,d events and %,d labels produced; %,d events scored after a later event of their card",
                topics.size(), records, predictions[0], produced[0], produced[1], predictions[1]));
        if (records.get(config.topic(PulseConfig.TOPIC_USER_EVENTS)) != produced[0]
                || records.get(config.topic(PulseConfig.TOPIC_LABELS)) != produced[1]) {
            throw new IllegalStateException("the input topics hold " + records + ", " + produced[0] + " events and "
                    + produced[1] + " labels were produced");
        }
        return new Run(produced[0], produced[1], predictions[0], predictions[1], records, logStarts, late);
    }

    /** Produces the fold's stream; returns the numbers of events and labels sent. */
    private static long[] produce(HandbookData data, HandbookFold fold, PulseConfig config,
            Map<String, Object> client, Consumer<String> progress) {
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
            long[] labelCount = new long[1];
            long sentEvents = ScoringStream.feed(data, fold, new ScoringStream.Sink() {
                @Override
                public void event(UserEvent event) {
                    events.send(new ProducerRecord<>(eventsTopic, null, event.getEventTime().toEpochMilli(),
                            event.getUserId(), event));
                }

                @Override
                public void label(Label label) {
                    labelCount[0]++;
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
            return new long[] {sentEvents, labelCount[0]};
        }
    }

    /**
     * Reads predictions until every event produced has one and every wanted event is scored; returns the number read
     * and the number of events scored after a later event of the same card.
     */
    private static long[] collect(PulseConfig config, Map<String, Object> client, ModelBundle bundle,
            Set<String> wanted, long events, Map<String, Double> scores, long started, Consumer<String> progress) {
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
            long outOfOrder = 0;
            Map<String, Long> lastEventTime = new HashMap<>();
            long lastProgress = System.nanoTime();
            long lastReport = 0;
            while (scores.size() < wanted.size() || predictions < events) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, Prediction> r : records) {
                    predictions++;
                    Prediction pr = r.value();
                    long eventTime = pr.getEventTime().toEpochMilli();
                    long latest = lastEventTime.merge(pr.getUserId(), eventTime, Math::max);
                    if (latest != eventTime) {
                        outOfOrder++; // scored after a later event of the same card
                    }
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
                            + " of " + wanted.size() + " test scores and " + predictions + " predictions for " + events
                            + " events received");
                }
                if (predictions - lastReport >= 50_000) {
                    lastReport = predictions;
                    double s = (System.nanoTime() - started) / 1e9;
                    progress.accept(String.format(Locale.ROOT, "  %,d predictions read (%.0f events/s end to end),"
                            + " %,d / %,d test scores", predictions, predictions / s, scores.size(), wanted.size()));
                }
            }
            if (predictions != events) {
                throw new IllegalStateException(predictions + " predictions for " + events + " events");
            }
            return new long[] {predictions, outOfOrder};
        }
    }

    @Override
    public void close() {
        infra.close();
    }
}

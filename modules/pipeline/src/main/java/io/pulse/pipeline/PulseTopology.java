package io.pulse.pipeline;

import io.pulse.contracts.Alert;
import io.pulse.contracts.AlertKind;
import io.pulse.contracts.AuditRecord;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserInterests;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.contracts.schema.Topic;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.entities.BroadcastFeaturesProcessor;
import io.pulse.pipeline.entities.EntityMessage;
import io.pulse.pipeline.entities.EntityProcessor;
import io.pulse.pipeline.entities.EntityResponseProcessor;
import io.pulse.pipeline.entities.EntityRouteProcessor;
import io.pulse.pipeline.entities.EntitySnapshotProcessor;
import io.pulse.pipeline.erasure.ErasureProcessor;
import io.pulse.pipeline.processing.InputRecord;
import io.pulse.pipeline.processing.ModelHolder;
import io.pulse.pipeline.processing.ModelWeightsProcessor;
import io.pulse.pipeline.processing.ScoreProcessor;
import io.pulse.pipeline.processing.ScoringSettings;
import io.pulse.pipeline.processing.ValidateProcessor;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.Telemetry;
import io.pulse.pipeline.validate.EventValidator;
import io.pulse.registry.serde.TopicSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The Pulse topology, read top to bottom as the data flows:
 * <pre>
 *   user-events (bytes) ──▶ validate ──┬─ rejected ──▶ user-events-dlq (original bytes + reason headers)
 *                                      └─ accepted ──┐
 *   user-labels (bytes) ──▶ as-label ────────────────┴─▶ score ──┬─ Prediction ──▶ user-predictions
 *                                                                ├─ UserInterests ──▶ user-interests (compacted)
 *                                                                ├─ fraud Alert ──▶ fraud-alerts
 *                                                                ├─ interest Alert ──▶ interest-alerts
 *                                                                └─ churn Alert ──▶ churn-alerts
 *   user-erasures ──▶ erase (deletes the user from score's stores) ──┬─ AuditRecord ──▶ pulse-audit
 *                                                                    └─ tombstone ──▶ user-interests
 *   model-weights ──▶ global store model-weights ──▶ the model every score step uses
 * </pre>
 * Between the steps records travel as an {@code InputRecord} (an accepted event, a refused record or a label).
 * {@code score} owns the stores {@code user-state}, {@code inactivity-index} and {@code scored-events} (which serves
 * both deduplication and the label join; names and builders in {@code StateStores}); labels are merged into its input to be joined with the logged scores, so
 * {@code user-labels} must be co-partitioned with the events (same partition count, keyed by userId). {@code erase}
 * is connected to the same stores (so it runs in the same task, on the thread allowed to write them), which makes
 * {@code user-erasures} another co-partitioned input. Every
 * processor, store and internal topic is named; nothing is repartitioned (the inputs are keyed by user id).
 *
 * <p>With entity types configured ({@code entities.types}), accepted events and labels take a round trip between
 * validation and scoring instead:
 * <pre>
 *   accepted + labels ──▶ entity-route (dedup, routed marker in scored-events) ──┬─ labels ─────────────────┐
 *                                                                                 └─▶ [entity-T-requests] keyed by T id
 *       ──▶ entity-T-step (store entity-T) ──▶ … next type … ──▶ [entity-responses] keyed by user id ──┴─▶ score
 * </pre>
 * (see {@code viaEntities}); the outputs after {@code score} are the same.
 */
public final class PulseTopology {

    public static final String SOURCE = "user-events-source";
    public static final String VALIDATE = "validate";
    public static final String SCORE = "score";
    public static final String DLQ_SINK = "dlq-sink";
    public static final String PREDICTIONS_SINK = "predictions-sink";
    public static final String USER_INTERESTS_SINK = "user-interests-sink";
    public static final String ERASED_INTERESTS_SINK = "erased-interests-sink";
    public static final String CHURN_ALERTS_SINK = "churn-alerts-sink";
    public static final String FRAUD_ALERTS_SINK = "fraud-alerts-sink";
    public static final String INTEREST_ALERTS_SINK = "interest-alerts-sink";
    public static final String MODEL_WEIGHTS_SOURCE = "model-weights-source";
    public static final String MODEL_WEIGHTS_PROCESSOR = "model-weights-loader";

    public static final String LABELS_SOURCE = "user-labels-source";
    public static final String AS_LABEL = "as-label";
    public static final String NON_EMPTY_LABELS = "non-empty-labels";
    public static final String EVENTS_AND_LABELS = "events-and-labels";
    public static final String ERASURES_SOURCE = "user-erasures-source";
    public static final String ERASE = "erase";
    public static final String AUDIT_SINK = "audit-sink";
    /** With entity types configured: the routing step in the user's task, before the entity round trip. */
    public static final String ENTITY_ROUTE = "entity-route";
    /** The repartition step (and, suffixed by Kafka Streams, topic) of the way back from the entities to scoring. */
    public static final String ENTITY_RESPONSES = "entity-responses";
    public static final String ENRICHED_AND_LABELS = "enriched-and-labels";

    private PulseTopology() {
    }

    /** The model used until a bundle arrives on the model-weights topic: seeded random weights, marked as such. */
    public static ModelHolder fallbackModel(PulseConfig config) {
        return new ModelHolder(ModelBundles.toModel(ModelBundles.seededRandom(
                config.getString(PulseConfig.MODEL_NAME),
                config.getLong(PulseConfig.MODEL_FALLBACK_SEED),
                config.getInt(PulseConfig.MODEL_FALLBACK_HIDDEN_SIZE))));
    }

    /**
     * Builds the topology; tests call this same method with a {@code mock://} registry URL. The processors report
     * through {@code telemetry} (in production the instance's {@code PipelineMetrics}, which
     * the HTTP layer reads).
     */
    public static Topology build(PulseConfig config, ModelHolder models, Telemetry telemetry) {
        Map<String, Object> serdeConfig = config.serdeConfig();
        StreamsBuilder builder = new StreamsBuilder();

        addModelWeights(builder, config, models, serdeConfig, telemetry);

        EventValidator validator = new EventValidator(config.getLong(PulseConfig.VALIDATION_MAX_FUTURE_MS),
                config.getInt(PulseConfig.VALIDATION_MAX_STRING_LENGTH),
                config.getInt(PulseConfig.VALIDATION_MAX_ATTRIBUTES),
                config.getLong(PulseConfig.VALIDATION_MIN_EVENT_TIME_MS),
                config.getDouble(PulseConfig.VALIDATION_MAX_AMOUNT));
        KStream<String, InputRecord> checked = builder
                .stream(config.topic(PulseConfig.TOPIC_USER_EVENTS),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE))
                .process(() -> new ValidateProcessor(serdeConfig, validator, telemetry, config.entities()),
                        Named.as(VALIDATE));

        Map<String, KStream<String, InputRecord>> validation = checked.split(Named.as("validation-"))
                .branch((userId, record) -> record instanceof InputRecord.Accepted, Branched.as("accepted"))
                .defaultBranch(Branched.as("rejected"));

        validation.get("validation-rejected")
                .map((key, record) -> originalBytes(record), Named.as("original-bytes"))
                .to(config.topic(PulseConfig.TOPIC_DLQ),
                        produced(PulseTopics.USER_EVENTS_DLQ, serdeConfig).withName(DLQ_SINK));

        ScoringSettings scoring = ScoringSettings.from(config);
        StoreBuilder<WindowStore<String, byte[]>> scoredEvents = StateStores.scoredEvents(scoring.dedupRetention(),
                Duration.ofMillis(config.getLong(PulseConfig.QUALITY_PREDICTION_RETENTION_MS)));
        // labels join the scoring input, so that they read the scored events in the same task as the events
        KStream<String, InputRecord> labels = builder
                .stream(config.topic(PulseConfig.TOPIC_LABELS),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(LABELS_SOURCE))
                .filter((userId, bytes) -> bytes != null && bytes.length > 0, Named.as(NON_EMPTY_LABELS))
                .mapValues(InputRecord.Label::new, Named.as(AS_LABEL));
        KStream<String, SpecificRecord> scored;
        List<EntityWindowSpec> entities = config.entities();
        if (entities.isEmpty()) {
            scored = validation.get("validation-accepted")
                    .merge(labels, Named.as(EVENTS_AND_LABELS))
                    .process(scoreSupplier(scoring, models, telemetry, scoredEvents,
                            config.topic(PulseConfig.TOPIC_LABELS), serdeConfig), Named.as(SCORE));
        } else {
            scored = viaEntities(builder, config, models, telemetry, scoring, scoredEvents,
                    validation.get("validation-accepted").merge(labels, Named.as(EVENTS_AND_LABELS)));
        }

        Map<String, KStream<String, SpecificRecord>> outputs = scored.split(Named.as("output-"))
                .branch((userId, out) -> out instanceof Prediction, Branched.as("prediction"))
                .branch((userId, out) -> out instanceof UserInterests, Branched.as("interests"))
                .branch((userId, out) -> out instanceof Alert alert && alert.getKind() == AlertKind.FRAUD,
                        Branched.as("fraud"))
                .branch((userId, out) -> out instanceof Alert alert && alert.getKind() == AlertKind.INTEREST_SHIFT,
                        Branched.as("interest"))
                .defaultBranch(Branched.as("churn"));

        outputs.get("output-prediction")
                .mapValues(out -> (Prediction) out, Named.as("as-prediction"))
                .to(config.topic(PulseConfig.TOPIC_PREDICTIONS),
                        produced(PulseTopics.USER_PREDICTIONS, serdeConfig).withName(PREDICTIONS_SINK));
        outputs.get("output-interests")
                .mapValues(out -> (UserInterests) out, Named.as("as-user-interests"))
                .to(config.topic(PulseConfig.TOPIC_USER_INTERESTS),
                        produced(PulseTopics.USER_INTERESTS, serdeConfig).withName(USER_INTERESTS_SINK));
        outputs.get("output-fraud")
                .mapValues(out -> (Alert) out, Named.as("as-fraud-alert"))
                .to(config.topic(PulseConfig.TOPIC_FRAUD_ALERTS),
                        produced(PulseTopics.FRAUD_ALERTS, serdeConfig).withName(FRAUD_ALERTS_SINK));
        outputs.get("output-interest")
                .mapValues(out -> (Alert) out, Named.as("as-interest-alert"))
                .to(config.topic(PulseConfig.TOPIC_INTEREST_ALERTS),
                        produced(PulseTopics.INTEREST_ALERTS, serdeConfig).withName(INTEREST_ALERTS_SINK));
        outputs.get("output-churn")
                .mapValues(out -> (Alert) out, Named.as("as-churn-alert"))
                .to(config.topic(PulseConfig.TOPIC_CHURN_ALERTS),
                        produced(PulseTopics.CHURN_ALERTS, serdeConfig).withName(CHURN_ALERTS_SINK));

        addErasure(builder, config, telemetry, serdeConfig); // after score: it connects to the stores score adds
        return builder.build();
    }

    /**
     * The entity round trip (docs/design/entities.md, section c), between validation and scoring: events (deduplicated
     * first) and fraud labels go through one step per configured entity type, each behind a named repartition topic
     * keyed by that type's entity id; events come back with their entity features through a last named repartition
     * topic keyed by user id, into the scoring processor (which reads the same {@code scored-events} store as the
     * routing step, so both stay in the user's task). Both repartition topics get {@code topics.partitions}
     * partitions: the way back must be partitioned as {@code user-events} is. With broadcast delivery
     * ({@code entities.delivery=broadcast}) there is no way back: every instance keeps each entity's latest windows in
     * a global store read from the entity store's changelog, and events go from routing straight to scoring with
     * features read from there ({@link BroadcastFeaturesProcessor}); routing then also reads the users' states, for
     * scoring's deduplication rule (so it adds {@code user-state}, which scoring connects to by name).
     */
    private static KStream<String, SpecificRecord> viaEntities(StreamsBuilder builder, PulseConfig config,
            ModelHolder models, Telemetry telemetry, ScoringSettings scoring,
            StoreBuilder<WindowStore<String, byte[]>> scoredEvents, KStream<String, InputRecord> eventsAndLabels) {
        List<EntityWindowSpec> entities = config.entities();
        Map<String, Object> serdeConfig = config.serdeConfig();
        String labelsTopic = config.topic(PulseConfig.TOPIC_LABELS);
        String eventsTopic = config.topic(PulseConfig.TOPIC_USER_EVENTS);
        int partitions = config.getInt(PulseConfig.TOPIC_PARTITIONS);
        String types = String.join(",", entities.stream().map(EntityWindowSpec::type).toList());
        boolean broadcast = config.entitiesBroadcast();
        // broadcast: routing reads the user's state (scoring's deduplication rule), so the state store is added here
        StoreBuilder<?> userState = StateStores.userState();
        Set<StoreBuilder<?>> routingStores = broadcast ? Set.of(scoredEvents, userState) : Set.of(scoredEvents);
        Set<StoreBuilder<?>> scoringStores = broadcast ? Set.of(StateStores.inactivityIndex())
                : Set.of(userState, StateStores.inactivityIndex());
        String[] scoringConnects = broadcast ? new String[] {StateStores.SCORED_EVENTS, StateStores.USER_STATE}
                : new String[] {StateStores.SCORED_EVENTS};
        Map<String, KStream<String, Object>> routed = eventsAndLabels
                .process(new ProcessorSupplier<String, InputRecord, String, Object>() {
                    @Override
                    public EntityRouteProcessor get() {
                        return new EntityRouteProcessor(entities, broadcast, scoring.dedupRetention(), labelsTopic,
                                serdeConfig, telemetry);
                    }

                    @Override
                    public Set<StoreBuilder<?>> stores() {
                        return routingStores;
                    }
                }, Named.as(ENTITY_ROUTE))
                .split(Named.as("entity-routed-"))
                .branch((key, out) -> out instanceof EntityMessage, Branched.as("requests"))
                .defaultBranch(Branched.as("labels"));

        KStream<String, EntityMessage> requests = routed.get("entity-routed-requests")
                .mapValues(out -> (EntityMessage) out, Named.as("as-entity-message"));
        // broadcast: no event comes back, so the requests carry events in their counting form (no bytes, no block)
        Serde<EntityMessage> requestSerde = broadcast ? EntityMessage.countingSerde() : EntityMessage.serde();
        KStream<String, EntityMessage> stage = requests;
        int offset = 0;
        for (int k = 0; k < entities.size(); k++) {
            EntityWindowSpec type = entities.get(k);
            int index = k;
            int from = offset;
            boolean last = k == entities.size() - 1;
            stage = stage
                    .repartition(Repartitioned.with(Serdes.String(), requestSerde)
                            .withName(entityRequests(type.type())).withNumberOfPartitions(partitions))
                    .process(new ProcessorSupplier<String, EntityMessage, String, EntityMessage>() {
                        @Override
                        public EntityProcessor get() {
                            return new EntityProcessor(type, index, from, last, broadcast, telemetry);
                        }

                        @Override
                        public Set<StoreBuilder<?>> stores() {
                            return Set.of(StateStores.entityWindows(type.type()));
                        }
                    }, Named.as(entityStep(type.type())));
            offset += type.featureCount();
        }
        KStream<String, InputRecord> enriched;
        if (broadcast) {
            // no way back: scoring reads the snapshots every instance keeps, right after routing
            for (EntityWindowSpec type : entities) {
                addEntitySnapshots(builder, config, type.type(), telemetry);
            }
            enriched = requests
                    .filter((key, message) -> message.isEvent(), Named.as("entity-routed-events"))
                    .process(() -> new BroadcastFeaturesProcessor(entities), Named.as("with-broadcast-features"));
        } else {
            enriched = stage
                    .repartition(Repartitioned.with(Serdes.String(), EntityMessage.serde())
                            .withName(ENTITY_RESPONSES).withNumberOfPartitions(partitions))
                    .processValues(() -> new EntityResponseProcessor(types, telemetry),
                            Named.as("as-enriched-event"));
        }
        KStream<String, InputRecord> labels = routed.get("entity-routed-labels")
                .mapValues(out -> (InputRecord) out, Named.as("as-routed-label"));
        return enriched.merge(labels, Named.as(ENRICHED_AND_LABELS))
                .process(new ProcessorSupplier<String, InputRecord, String, SpecificRecord>() {
                    @Override
                    public ScoreProcessor get() {
                        return new ScoreProcessor(models, scoring, telemetry, labelsTopic, serdeConfig, entities,
                                eventsTopic);
                    }

                    @Override
                    public Set<StoreBuilder<?>> stores() {
                        return scoringStores;
                    }
                }, Named.as(SCORE), scoringConnects);
    }

    /**
     * The global store of entity type {@code type}'s broadcast snapshots, on every instance, read from the changelog
     * of the type's entity store: Kafka Streams flushes that store's cache on every commit, so the changelog has one
     * record per changed entity per commit, its latest windows — a snapshot, at no write of Pulse's own.
     */
    private static void addEntitySnapshots(StreamsBuilder builder, PulseConfig config, String type,
            Telemetry telemetry) {
        String store = StateStores.entitySnapshots(type);
        builder.addGlobalStore(StateStores.entitySnapshotsStore(type, config.entitySnapshotsInMemory()),
                config.entityChangelogTopic(type),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(store + "-source"),
                () -> new EntitySnapshotProcessor(type, telemetry));
    }

    /** The name of the repartition step (and, suffixed by Kafka Streams, topic) towards entity type {@code type}. */
    public static String entityRequests(String type) {
        return "entity-" + type + "-requests";
    }

    /** The name of entity type {@code type}'s processor. */
    public static String entityStep(String type) {
        return "entity-" + type + "-step";
    }

    /** A refused record as it arrived, for the dead-letter topic. */
    private static KeyValue<byte[], byte[]> originalBytes(InputRecord record) {
        InputRecord.Rejected rejected = (InputRecord.Rejected) record; // the branch of everything not accepted
        return KeyValue.pair(rejected.rawKey(), rejected.rawValue());
    }

    /**
     * Erasure requests, handled next to the stores they erase from; audit records out, and a tombstone that removes
     * the user from the compacted {@code user-interests} topic (in the same transaction).
     */
    private static void addErasure(StreamsBuilder builder, PulseConfig config, Telemetry telemetry,
            Map<String, Object> serdeConfig) {
        String instance = config.getString(PulseConfig.APPLICATION_ID) + "@" + config.advertisedHostPort();
        Map<String, KStream<String, SpecificRecord>> erased = builder
                .stream(config.topic(PulseConfig.TOPIC_ERASURES),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(ERASURES_SOURCE))
                .process(() -> new ErasureProcessor(telemetry, serdeConfig, instance), Named.as(ERASE),
                        StateStores.PER_USER.toArray(String[]::new))
                .split(Named.as("erased-"))
                .branch((userId, out) -> out instanceof AuditRecord, Branched.as("audit"))
                .defaultBranch(Branched.as("interests")); // the tombstone: a null value
        erased.get("erased-audit")
                .mapValues(out -> (AuditRecord) out, Named.as("as-audit-record"))
                .to(config.topic(PulseConfig.TOPIC_AUDIT),
                        produced(PulseTopics.PULSE_AUDIT, serdeConfig).withName(AUDIT_SINK));
        erased.get("erased-interests")
                .mapValues(out -> (UserInterests) out, Named.as("as-interests-tombstone"))
                .to(config.topic(PulseConfig.TOPIC_USER_INTERESTS),
                        produced(PulseTopics.USER_INTERESTS, serdeConfig).withName(ERASED_INTERESTS_SINK));
    }

    private static ProcessorSupplier<String, InputRecord, String, SpecificRecord> scoreSupplier(ScoringSettings scoring,
            ModelHolder models, Telemetry telemetry, StoreBuilder<WindowStore<String, byte[]>> scoredEvents,
            String labelsTopic, Map<String, Object> serdeConfig) {
        return new ProcessorSupplier<>() {
            @Override
            public ScoreProcessor get() {
                return new ScoreProcessor(models, scoring, telemetry, labelsTopic, serdeConfig);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.userState(), scoredEvents, StateStores.inactivityIndex());
            }
        };
    }

    private static void addModelWeights(StreamsBuilder builder, PulseConfig config, ModelHolder models,
            Map<String, Object> serdeConfig, Telemetry telemetry) {
        String modelName = config.getString(PulseConfig.MODEL_NAME);
        builder.addGlobalStore(StateStores.modelWeights(), config.topic(PulseConfig.TOPIC_MODEL_WEIGHTS),
                Consumed.with(Serdes.Bytes(), Serdes.ByteArray()).withName(MODEL_WEIGHTS_SOURCE),
                () -> new ModelWeightsProcessor(modelName, models, serdeConfig, telemetry, config.entities()));
    }

    /** Writes with the catalogued serdes of {@code topic} (the sink's topic name comes from the config). */
    private static <K, V> Produced<K, V> produced(Topic<K, V> topic, Map<String, Object> serdeConfig) {
        return Produced.with(TopicSerdes.keySerde(topic, serdeConfig), TopicSerdes.valueSerde(topic, serdeConfig));
    }
}

package io.pulse.pipeline;

import io.pulse.contracts.schema.PulseTopics;
import io.pulse.contracts.schema.Topic;
import io.pulse.model.EntityWindowSpec;
import io.pulse.pipeline.processing.Recommender;
import io.pulse.pipeline.state.SeenItems;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.LiveFeed;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The pipeline's typed configuration. Pulse's own keys are defined here with their documentation; every other key is
 * passed to Kafka Streams and its clients unchanged (so {@code security.protocol}, {@code sasl.jaas.config},
 * {@code producer.linger.ms}, {@code num.stream.threads} … work as in any Kafka Streams application).
 *
 * <p>Precedence, lowest first: built-in defaults &lt; properties file ({@code --config FILE}) &lt; environment
 * ({@code PULSE_CHURN_ALERT_THRESHOLD=0.9} sets {@code churn.alert.threshold}) &lt; command-line overrides.
 */
public final class PulseConfig extends AbstractConfig {

    public static final String APPLICATION_ID = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String BOOTSTRAP_SERVERS = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String STATE_DIR = StreamsConfig.STATE_DIR_CONFIG;
    public static final String PROCESSING_GUARANTEE = StreamsConfig.PROCESSING_GUARANTEE_CONFIG;
    public static final String STATIC_MEMBERSHIP = "static.membership";

    public static final String TOPIC_USER_EVENTS = "topic.user.events";
    public static final String TOPIC_DLQ = "topic.user.events.dlq";
    public static final String TOPIC_PREDICTIONS = "topic.user.predictions";
    public static final String TOPIC_USER_INTERESTS = "topic.user.interests";
    public static final String TOPIC_CHURN_ALERTS = "topic.churn.alerts";
    public static final String TOPIC_FRAUD_ALERTS = "topic.fraud.alerts";
    public static final String TOPIC_INTEREST_ALERTS = "topic.interest.alerts";
    public static final String TOPIC_MODEL_WEIGHTS = "topic.model.weights";
    public static final String TOPIC_LABELS = "topic.user.labels";
    public static final String TOPIC_ERASURES = "topic.user.erasures";
    public static final String TOPIC_AUDIT = "topic.audit";
    /** The catalogued topic each {@code topic.*} key renames, in the catalogue's order. */
    private static final Map<String, Topic<?, ?>> TOPICS = topicKeys();

    public static final String QUALITY_PREDICTION_RETENTION_MS = "quality.prediction.retention.ms";
    public static final String QUALITY_WINDOW = "quality.window";

    public static final String CREATE_TOPICS = "topics.create";
    public static final String TOPIC_PARTITIONS = "topics.partitions";

    public static final String MODEL_NAME = "model.name";
    public static final String MODEL_FALLBACK_SEED = "model.fallback.seed";
    public static final String MODEL_FALLBACK_HIDDEN_SIZE = "model.fallback.hidden.size";
    public static final String MODEL_WARMUP_STEPS = "model.warmup.steps";

    public static final String DEDUP_RETENTION_MS = "dedup.retention.ms";
    public static final String VALIDATION_MAX_FUTURE_MS = "validation.max.future.ms";
    public static final String VALIDATION_MAX_STRING_LENGTH = "validation.max.string.length";
    public static final String VALIDATION_MAX_ATTRIBUTES = "validation.max.attributes";
    public static final String VALIDATION_MIN_EVENT_TIME_MS = "validation.min.event.time.ms";
    public static final String VALIDATION_MAX_AMOUNT = "validation.max.amount";

    public static final String FRAUD_ALERT_THRESHOLD = "fraud.alert.threshold";
    public static final String FRAUD_ALERT_COOLDOWN_MS = "fraud.alert.cooldown.ms";
    public static final String CHURN_ALERT_THRESHOLD = "churn.alert.threshold";
    public static final String CHURN_ALERT_COOLDOWN_MS = "churn.alert.cooldown.ms";
    public static final String CHURN_HORIZON_MS = "churn.horizon.ms";
    public static final String ALERT_REASONS = "alert.reasons";
    public static final String INTEREST_ALERT_THRESHOLD = "interest.alert.threshold";
    public static final String INTEREST_ALERT_COOLDOWN_MS = "interest.alert.cooldown.ms";

    public static final String INACTIVITY_CHECK_INTERVAL_MS = "inactivity.check.interval.ms";
    public static final String INACTIVITY_MIN_SILENCE_MS = "inactivity.min.silence.ms";
    public static final String INACTIVITY_SILENCE_FACTOR = "inactivity.silence.factor";
    public static final String INACTIVITY_PATIENCE = "inactivity.patience";
    public static final String INACTIVITY_MAX_CHECKS = "inactivity.max.checks.per.punctuation";

    public static final String INTERESTS_CATEGORIES_K = "interests.categories.k";
    public static final String INTERESTS_RECOMMENDATIONS_K = "interests.recommendations.k";
    public static final String INTERESTS_SEEN_SIZE = "interests.seen.size";
    /** The largest {@link #INTERESTS_SEEN_SIZE}: what a user's state can hold. */
    public static final int INTERESTS_SEEN_SIZE_MAX = SeenItems.MAX_CAPACITY;
    public static final String INTERESTS_SEEN_FILTER = "interests.seen.filter";
    public static final String INTERESTS_PROFILE_DECAY = "interests.profile.decay";

    public static final String ENTITIES_TYPES = "entities.types";
    public static final String ENTITIES_HORIZONS = "entities.horizons";
    public static final String ENTITIES_LABEL_DELAY = "entities.label.delay";
    public static final String ENTITIES_BUCKET = "entities.bucket";
    public static final String ENTITIES_DELIVERY = "entities.delivery";
    /** {@link #ENTITIES_DELIVERY}: features come back to scoring through a repartition topic, exact. */
    public static final String DELIVERY_ROUND_TRIP = "round-trip";
    /** {@link #ENTITIES_DELIVERY}: scoring reads snapshots from a global store, no hop, up to a commit stale. */
    public static final String DELIVERY_BROADCAST = "broadcast";
    public static final String ENTITIES_SNAPSHOTS_STORE = "entities.snapshots.store";
    /** {@link #ENTITIES_SNAPSHOTS_STORE}: the broadcast snapshots on the heap, rebuilt from the changelog at start. */
    public static final String SNAPSHOTS_IN_MEMORY = "memory";
    /** {@link #ENTITIES_SNAPSHOTS_STORE}: the broadcast snapshots in RocksDB, kept on disk across restarts. */
    public static final String SNAPSHOTS_ROCKSDB = "rocksdb";

    public static final String DASHBOARD_TIMELINE_USERS = "dashboard.timeline.users";
    public static final String DASHBOARD_TIMELINE_POINTS = "dashboard.timeline.points";

    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_ADVERTISED_URL = "http.advertised.url";
    public static final String HTTP_ADMIN_TOKEN = "http.admin.token";
    /** Shortest accepted admin token: a guessable token is worse than none (which at least fails closed). */
    public static final int HTTP_ADMIN_TOKEN_MIN_LENGTH = 16;

    /**
     * Pulse's {@code commit.interval.ms} under exactly-once unless configured: predictions are visible to
     * {@code read_committed} consumers only at commits.
     */
    public static final long EXACTLY_ONCE_COMMIT_INTERVAL_MS = 50;
    /**
     * Pulse's producer {@code retry.backoff.ms} under exactly-once unless configured (for the producer or for every
     * client): a transactional request refused while the previous commit's markers are still being written
     * ({@code CONCURRENT_TRANSACTIONS}, frequent with commits tens of milliseconds apart) is retried after this long
     * instead of the client default 100 ms, which the stream thread waits out inside its commit.
     */
    public static final long EXACTLY_ONCE_PRODUCER_RETRY_BACKOFF_MS = 10;
    public static final String ROCKSDB_BLOCK_CACHE_BYTES = "rocksdb.block.cache.bytes";
    public static final String ROCKSDB_WRITE_BUFFER_BYTES = "rocksdb.write.buffer.bytes";

    /** Environment variables of the launcher itself, never configuration keys. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("PULSE_DEBUG", "PULSE_LOG_LEVEL", "PULSE_REBUILD",
            "PULSE_APICURIO_HOME", "PULSE_CONFIG", "PULSE_INFRA_DIR", "PULSE_KAFKA_PORT", "PULSE_REGISTRY_PORT");
    private static final String ENV_PREFIX = "PULSE_";

    /** 1990-01-01T00:00:00Z: older than any real event log Pulse replays, newer than epoch-seconds read as millis. */
    private static final long MIN_EVENT_TIME_DEFAULT = 631_152_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(APPLICATION_ID, Type.STRING, "pulse", Importance.HIGH,
                    "Kafka Streams application id: consumer group, internal topic prefix and state directory name.")
            .define(BOOTSTRAP_SERVERS, Type.LIST, "127.0.0.1:9092", Importance.HIGH, "Kafka bootstrap servers.")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, "http://127.0.0.1:8081", Importance.HIGH,
                    "Confluent-compatible Schema Registry URL(s); every schema.registry.* and basic.auth.* key is"
                            + " passed to the registry client.")
            .define(STATE_DIR, Type.STRING, ".pulse/state", Importance.MEDIUM,
                    "Directory of the RocksDB state stores (keep it on a persistent volume).")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2, Importance.MEDIUM,
                    "exactly_once_v2 (default: every event yields exactly one prediction, even across crashes) or"
                            + " at_least_once. With exactly_once_v2 the state stores are transactional"
                            + " (enable.transactional.statestores=true unless set): after a crash they keep what was"
                            + " committed instead of being wiped and restored from their changelogs.")
            .define(STATIC_MEMBERSHIP, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Join the consumer group as a static member: without group.instance.id, Pulse makes one and"
                            + " keeps it in the state directory, so an instance restarted within session.timeout.ms"
                            + " (after a crash too) gets its tasks back at once, without a rebalance. Set"
                            + " group.instance.id where the disk does not survive a restart (e.g. to the pod name).")
            .define(TOPIC_USER_EVENTS, Type.STRING, PulseTopics.USER_EVENTS.name(), Importance.MEDIUM, "Input topic.")
            .define(TOPIC_DLQ, Type.STRING, PulseTopics.USER_EVENTS_DLQ.name(), Importance.MEDIUM,
                    "Dead-letter topic.")
            .define(TOPIC_PREDICTIONS, Type.STRING, PulseTopics.USER_PREDICTIONS.name(), Importance.MEDIUM,
                    "Prediction topic.")
            .define(TOPIC_USER_INTERESTS, Type.STRING, PulseTopics.USER_INTERESTS.name(), Importance.MEDIUM,
                    "Compacted topic of each user's latest interests (UserInterests keyed by userId, written for every"
                            + " event scored by a model with interest heads; a tombstone when the user is erased).")
            .define(TOPIC_CHURN_ALERTS, Type.STRING, PulseTopics.CHURN_ALERTS.name(), Importance.MEDIUM,
                    "Churn alerts.")
            .define(TOPIC_FRAUD_ALERTS, Type.STRING, PulseTopics.FRAUD_ALERTS.name(), Importance.MEDIUM,
                    "Fraud alerts.")
            .define(TOPIC_INTEREST_ALERTS, Type.STRING, PulseTopics.INTEREST_ALERTS.name(), Importance.MEDIUM,
                    "Interest-shift alerts.")
            .define(TOPIC_MODEL_WEIGHTS, Type.STRING, PulseTopics.MODEL_WEIGHTS.name(), Importance.MEDIUM,
                    "Compacted topic of model bundles.")
            .define(TOPIC_LABELS, Type.STRING, PulseTopics.USER_LABELS.name(), Importance.MEDIUM,
                    "Delayed ground truth, joined with earlier predictions for live quality metrics; must have as many"
                            + " partitions as the events topic and be keyed by userId.")
            .define(TOPIC_ERASURES, Type.STRING, PulseTopics.USER_ERASURES.name(), Importance.MEDIUM,
                    "Erasure requests (ErasureRequest keyed by userId, written by `pulse erase` and DELETE"
                            + " /users/{id}); must have as many partitions as the events topic.")
            .define(TOPIC_AUDIT, Type.STRING, PulseTopics.PULSE_AUDIT.name(), Importance.MEDIUM,
                    "Audit records of administrative actions (an AuditRecord per erasure).")
            .define(QUALITY_PREDICTION_RETENTION_MS, Type.LONG, 14 * DAY, Range.atLeast(1), Importance.LOW,
                    "How long predictions are kept for joining with their labels (labels arriving later are"
                            + " counted as unmatched). Costs about 110-130 bytes per event on disk (UUID ids).")
            .define(QUALITY_WINDOW, Type.INT, 10_000, Range.atLeast(2), Importance.LOW,
                    "How many of the latest labelled predictions the rolling AUC and log-loss cover.")
            .define(CREATE_TOPICS, Type.BOOLEAN, true, Importance.LOW,
                    "Create missing input and output topics at start (turn off where the cluster's topics are"
                            + " managed elsewhere; then they must exist).")
            .define(TOPIC_PARTITIONS, Type.INT, 6, Range.atLeast(1), Importance.LOW,
                    "Partitions of topics Pulse creates (the upper bound of parallelism across instances).")
            .define(MODEL_NAME, Type.STRING, "pulse-lstm", Importance.MEDIUM,
                    "Which model (the key on the model-weights topic) this pipeline serves.")
            .define(MODEL_FALLBACK_SEED, Type.LONG, 1L, Importance.LOW,
                    "Seed of the untrained, seeded-random model used until a trained bundle arrives on the"
                            + " model-weights topic (its predictions are marked with a random-… model version).")
            .define(MODEL_FALLBACK_HIDDEN_SIZE, Type.INT, 64, Range.between(1, 255), Importance.LOW,
                    "Hidden size of the fallback model.")
            .define(MODEL_WARMUP_STEPS, Type.INT, 50_000, Range.atLeast(0), Importance.LOW,
                    "LSTM steps run on synthetic input at start-up, before any event, so that the JIT has compiled"
                            + " the kernel (uncompiled, the Vector API kernel is 25-500 times slower). About 2 s"
                            + " once per JVM; 0 turns it off.")
            .define(DEDUP_RETENTION_MS, Type.LONG, DAY, Range.atLeast(1), Importance.MEDIUM,
                    "A second delivery of the same event (same eventId and eventTime) arriving within this long of the"
                            + " first is dropped. Remembered as long as the longer of this and"
                            + " quality.prediction.retention.ms, in event time.")
            .define(VALIDATION_MAX_FUTURE_MS, Type.LONG, HOUR, Range.atLeast(0), Importance.MEDIUM,
                    "Events whose eventTime is further than this ahead of the pipeline's clock are dead-lettered.")
            .define(VALIDATION_MAX_STRING_LENGTH, Type.INT, 1024, Range.atLeast(16), Importance.LOW,
                    "Longest accepted itemId, category, sessionId, attribute key or value (characters).")
            .define(VALIDATION_MAX_ATTRIBUTES, Type.INT, 64, Range.atLeast(0), Importance.LOW,
                    "Most attribute entries accepted on one event.")
            .define(VALIDATION_MIN_EVENT_TIME_MS, Type.LONG, MIN_EVENT_TIME_DEFAULT, Range.atLeast(0),
                    Importance.LOW, "Events whose eventTime is before this (UTC epoch milliseconds; default"
                            + " 1990-01-01) are dead-lettered: usually seconds sent as milliseconds. Lower it to replay"
                            + " older history; 0 allows everything since 1970.")
            .define(VALIDATION_MAX_AMOUNT, Type.DOUBLE, 1e12, Range.atLeast(0), Importance.LOW,
                    "Largest accepted amount (major currency units): larger ones are dead-lettered, since sums of"
                            + " them would overflow the behaviour windows.")
            .define(FRAUD_ALERT_THRESHOLD, Type.DOUBLE, 0.8, Range.between(0.0, 1.0), Importance.HIGH,
                    "A fraud alert is raised when an event's fraud score reaches this; 1 switches fraud alerts off.")
            .define(FRAUD_ALERT_COOLDOWN_MS, Type.LONG, HOUR, Range.atLeast(0), Importance.MEDIUM,
                    "After a fraud alert, further fraud alerts for the user are suppressed this long (event time).")
            .define(CHURN_ALERT_THRESHOLD, Type.DOUBLE, 0.8, Range.between(0.0, 1.0), Importance.HIGH,
                    "A churn alert is raised when the churn probability crosses this upwards, or when an inactivity"
                            + " score reaches it; 1 switches churn alerts off.")
            .define(CHURN_ALERT_COOLDOWN_MS, Type.LONG, DAY, Range.atLeast(0), Importance.MEDIUM,
                    "After a churn alert, further churn alerts for the user are suppressed this long.")
            .define(CHURN_HORIZON_MS, Type.LONG, 7 * DAY, Range.atLeast(1), Importance.MEDIUM,
                    "The horizon the model's churn probability refers to (no activity within it).")
            .define(ALERT_REASONS, Type.INT, 3, Range.between(0, 16), Importance.LOW,
                    "How many contributing inputs an alert lists.")
            .define(INTEREST_ALERT_THRESHOLD, Type.DOUBLE, 1.0, Range.between(0.0, 1.0), Importance.MEDIUM,
                    "An interest-shift alert is raised when a prediction's interestShift (the Jensen-Shannon"
                            + " divergence, in bits, of the next-category distribution from the user's profile; only"
                            + " models with interest heads have one) reaches this; 1 (the default) switches"
                            + " interest-shift alerts off; the higher, the fewer and larger the shifts alerted on.")
            .define(INTEREST_ALERT_COOLDOWN_MS, Type.LONG, DAY, Range.atLeast(0), Importance.MEDIUM,
                    "After an interest-shift alert, further ones for the user are suppressed this long (event time).")
            .define(INACTIVITY_CHECK_INTERVAL_MS, Type.LONG, 1_000L, Range.atLeast(10), Importance.LOW,
                    "How often (wall-clock) the pipeline looks for users whose silence has become alarming.")
            .define(INACTIVITY_MIN_SILENCE_MS, Type.LONG, HOUR, Range.atLeast(0), Importance.MEDIUM,
                    "Never check a user for inactivity sooner than this after their last event.")
            .define(INACTIVITY_SILENCE_FACTOR, Type.DOUBLE, 3.0, Range.atLeast(1.0), Importance.MEDIUM,
                    "First inactivity check after this many of the user's usual longest gaps (exp(mean + 2 sd) of"
                            + " the log gaps between their events).")
            .define(INACTIVITY_PATIENCE, Type.DOUBLE, 3.0, Range.atLeast(0.1), Importance.LOW,
                    "How fast the inactivity score grows with silence beyond the user's usual longest gap (in such"
                            + " gaps).")
            .define(INACTIVITY_MAX_CHECKS, Type.INT, 10_000, Range.atLeast(1), Importance.LOW,
                    "Most due inactivity checks handled in one punctuation (the rest wait for the next).")
            .define(INTERESTS_CATEGORIES_K, Type.INT, 3, Range.between(0, 64), Importance.MEDIUM,
                    "How many next categories (with probabilities) a prediction of a model with interest heads"
                            + " carries.")
            .define(INTERESTS_RECOMMENDATIONS_K, Type.INT, 10, Range.between(0, 200), Importance.MEDIUM,
                    "How many recommended next items a prediction of a model with interest heads carries. 0 computes"
                            + " none per event (the top-K over the whole catalogue is the costly part of the interest"
                            + " heads): predictions and user-interests records still carry the next categories and the"
                            + " interest shift, and GET /users/{id}/recommendations computes recommendations on"
                            + " request, by default this many, or " + Recommender.DEFAULT_K + " when this is 0.")
            .define(INTERESTS_SEEN_SIZE, Type.INT, 50, Range.between(0, INTERESTS_SEEN_SIZE_MAX), Importance.MEDIUM,
                    "How many of a user's most recent items are remembered (in the user's state) to keep them out of"
                            + " the recommendations.")
            .define(INTERESTS_SEEN_FILTER, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Leave the user's recently seen items out of the recommendations; turn off for domains with"
                            + " repeat consumption.")
            .define(INTERESTS_PROFILE_DECAY, Type.DOUBLE, 0.9, Range.between(0.0, 1.0), Importance.LOW,
                    "Weight of the old profile in the user's exponentially averaged category profile per event"
                            + " (closer to 1: slower); the interest shift is the divergence from it.")
            .define(ENTITIES_TYPES, Type.LIST, "", PulseConfig::validateEntityTypes, Importance.MEDIUM,
                    "Entity types whose windows (counts, amounts and delayed fraud risk, docs/design/entities.md) the"
                            + " pipeline keeps, in order: each `type` (keyed by the event attribute of the same name)"
                            + " or `type=key` with key `item` (the event's item id) or `attr.<name>`, e.g."
                            + " `terminal=attr.terminal`. Fixed at start: each type adds a hop through a named"
                            + " repartition topic (`entity-<type>-requests`) to a store `entity-<type>`, and events"
                            + " come back to scoring through `entity-responses` (or, with `entities.delivery=broadcast`,"
                            + " are scored from snapshots at once); both get `topics.partitions`"
                            + " partitions, which must then equal the partitions of the events topic. A model bundle"
                            + " whose features need an"
                            + " entity type (with its key and shape) not configured here is refused. The entity"
                            + " tasks run on the stream threads next to the users' tasks: give an instance with"
                            + " entities two or more (`num.stream.threads`: at the same rate on two cores, the"
                            + " broadcast delivery's p99 was 1.8 to 4 times longer with one, benchmarks/README.md item"
                            + " 42). Empty (the default): no entity state, the topology is unchanged.")
            .define(ENTITIES_HORIZONS, Type.LIST, "P1D,P7D,P30D", Importance.LOW,
                    "Decay horizons (ISO-8601 durations, strictly increasing, whole seconds) of every configured"
                            + " entity type's windows; a model's entity features must use the same.")
            .define(ENTITIES_LABEL_DELAY, Type.STRING, "P7D", Importance.LOW,
                    "How long fraud labels take to arrive (ISO-8601): the entities' delayed risk counts only"
                            + " transactions older than this.")
            .define(ENTITIES_BUCKET, Type.STRING, "P1D", Importance.LOW,
                    "Granularity (ISO-8601) of the entities' delayed-risk cutoff.")
            .define(ENTITIES_DELIVERY, Type.STRING, DELIVERY_ROUND_TRIP,
                    ConfigDef.ValidString.in(DELIVERY_ROUND_TRIP, DELIVERY_BROADCAST), Importance.LOW,
                    "How entity features reach scoring. `round-trip`: each event goes to its entities' tasks and"
                            + " comes back with their features as of just before it through `entity-responses` (exact,"
                            + " as the trainer computes them; with exactly-once every hop waits for a commit, so about"
                            + " three commit intervals from event to prediction). `broadcast`: every instance keeps"
                            + " each entity's latest windows in a global store read from the entity store's changelog"
                            + " `<application.id>-entity-<type>-changelog` (written once per changed entity per"
                            + " commit), and the user's task scores the event at once with the snapshot it has (no"
                            + " hop, so no commit waits beyond those of a pipeline without entities, though the extra"
                            + " work per event still lengthens the tail: benchmarks/README.md item 38; the features"
                            + " miss the entity's events and labels of roughly the last commit interval, and a copy of"
                            + " every entity's windows is kept per instance). Events and labels still reach the entity"
                            + " tasks to be counted either way.")
            .define(ENTITIES_SNAPSHOTS_STORE, Type.STRING, SNAPSHOTS_IN_MEMORY,
                    ConfigDef.ValidString.in(SNAPSHOTS_IN_MEMORY, SNAPSHOTS_ROCKSDB), Importance.LOW,
                    "Where each instance keeps the broadcast snapshots (`entities.delivery=broadcast`). `memory`: on"
                            + " the heap, read back from the changelog whenever the instance starts; every entity"
                            + " of every configured type costs its windows (259 bytes with the default horizons)"
                            + " plus its id and the map's entry: 368 bytes with 8-character ids, measured"
                            + " (benchmarks/RESULTS-entity-snapshots-heap.md), so a million terminals take 368 MB"
                            + " of every instance's heap. `rocksdb`: on disk,"
                            + " kept across restarts, but RocksDB's flushes and compactions of every commit's"
                            + " snapshots cost scoring about a core's share of its time (benchmarks/README.md item"
                            + " 40); choose it when the entities do not fit the heap. Switching either way is safe:"
                            + " the store is rebuilt from the changelog.")
            .define(DASHBOARD_TIMELINE_USERS, Type.INT, LiveFeed.DEFAULT_TIMELINE_USERS, Range.atLeast(0), Importance.LOW,
                    "How many of the most recently active users the dashboard's user page has a timeline for (kept in"
                            + " this instance's memory; the recent-users list links to the latest 20, so keep at least"
                            + " that). Every event of such a user adds a point of about 0.5 KB, which lives until the"
                            + " user drops out of this many or the timeline is full: larger values show more users and"
                            + " keep more points alive long enough for the garbage collector to copy them, which"
                            + " lengthens its pauses (benchmarks/README.md, item 14). When more users than this are"
                            + " active within a minute, the instance follows a stable sample of them (1 in 2, 4, …, by"
                            + " a hash of the user id; the dashboard says which) so that each followed user keeps a"
                            + " full timeline, and the recent-users list shows followed users (item 21).")
            .define(DASHBOARD_TIMELINE_POINTS, Type.INT, LiveFeed.DEFAULT_TIMELINE_POINTS, Range.atLeast(1), Importance.LOW,
                    "Points per user timeline on the dashboard: the user's latest events with the predictions"
                            + " that followed them.")
            .define(HTTP_HOST, Type.STRING, "127.0.0.1", Importance.MEDIUM,
                    "Address of the HTTP server (queries, health, metrics).")
            .define(HTTP_PORT, Type.INT, 8080, Range.between(0, 65535), Importance.MEDIUM,
                    "Port of the HTTP server; 0 picks a free port.")
            .define(HTTP_ADVERTISED_URL, Type.STRING, "", Importance.LOW,
                    "host:port other instances use to reach this one's HTTP server (default: http.host:http.port).")
            .define(HTTP_ADMIN_TOKEN, Type.PASSWORD, null, PulseConfig::validateAdminToken, Importance.HIGH,
                    "Bearer token required by every HTTP request that changes state (anything but GET and HEAD,"
                            + " e.g. DELETE /users/{id}); at least " + HTTP_ADMIN_TOKEN_MIN_LENGTH + " characters."
                            + " Unset (the default), such requests are refused with 403. Best set through the"
                            + " environment: PULSE_HTTP_ADMIN_TOKEN.")
            .define(ROCKSDB_BLOCK_CACHE_BYTES, Type.LONG, 64L * 1024 * 1024, Range.atLeast(1024 * 1024),
                    Importance.LOW, "RocksDB block cache shared by every store of the instance.")
            .define(ROCKSDB_WRITE_BUFFER_BYTES, Type.LONG, 32L * 1024 * 1024, Range.atLeast(1024 * 1024),
                    Importance.LOW, "RocksDB memtable memory shared by every store of the instance.");

    private static void validateAdminToken(String name, Object value) {
        if (value == null) {
            return;
        }
        String token = ((Password) value).value();
        if (token.isEmpty()) {
            return; // an empty PULSE_HTTP_ADMIN_TOKEN= means unset
        }
        if (token.length() < HTTP_ADMIN_TOKEN_MIN_LENGTH || !token.equals(token.strip())) {
            // the message must not echo the value
            throw new ConfigException(name + " must be at least "
                    + HTTP_ADMIN_TOKEN_MIN_LENGTH + " characters without surrounding blanks (e.g. the output of"
                    + " `openssl rand -hex 32`)");
        }
    }

    /** The admin token, or empty if none is configured (then state-changing HTTP requests are refused). */
    public Optional<String> adminToken() {
        Password token = getPassword(HTTP_ADMIN_TOKEN);
        return token == null || token.value().isEmpty() ? Optional.empty()
                : Optional.of(token.value());
    }

    public PulseConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
        this.entities = parseEntities();
        validateRocksDbBudget();
    }

    /**
     * The memtables are charged against the block cache (one budget, {@link BoundedMemoryRocksDbConfig}): memtables
     * larger than the cache leave no room for the index, filter and data blocks every read needs, which ran at 0.610 of
     * the default's rate at a million users (benchmarks/RESULTS-scaling-write-buffer.md).
     */
    private void validateRocksDbBudget() {
        long cache = getLong(ROCKSDB_BLOCK_CACHE_BYTES);
        long memtables = getLong(ROCKSDB_WRITE_BUFFER_BYTES);
        if (memtables > cache) {
            throw new ConfigException(ROCKSDB_WRITE_BUFFER_BYTES, memtables, "the memtables are charged against the"
                    + " block cache, so they must not exceed " + ROCKSDB_BLOCK_CACHE_BYTES + " (" + cache + "): raise"
                    + " the cache with them, e.g. to twice the memtables");
        }
    }

    private final List<EntityWindowSpec> entities;

    /** An empty live feed of the configured size (dashboard.timeline.users and .points). */
    public LiveFeed liveFeed() {
        return new LiveFeed(getInt(DASHBOARD_TIMELINE_USERS), getInt(DASHBOARD_TIMELINE_POINTS));
    }

    /** Whether entity features reach scoring by broadcast snapshots ({@link #ENTITIES_DELIVERY}). */
    public boolean entitiesBroadcast() {
        return DELIVERY_BROADCAST.equals(getString(ENTITIES_DELIVERY));
    }

    /** Whether the broadcast snapshots are kept on the heap ({@link #ENTITIES_SNAPSHOTS_STORE}). */
    public boolean entitySnapshotsInMemory() {
        return SNAPSHOTS_IN_MEMORY.equals(getString(ENTITIES_SNAPSHOTS_STORE));
    }

    /**
     * The topic entity type {@code type}'s windows are broadcast on ({@link #DELIVERY_BROADCAST}): the changelog of
     * its entity store, under the name Kafka Streams gives a store's changelog ({@code <application.id>-<store>
     * -changelog}). Its cached store writes it once per changed entity per commit, so the global stores that read it
     * get every entity's latest windows at no extra write per event. The pipeline creates it before Kafka Streams
     * starts (a global store's source must exist by then), as Kafka Streams would: compacted, {@code topics
     * .partitions} partitions.
     */
    public String entityChangelogTopic(String type) {
        return getString(APPLICATION_ID) + "-" + StateStores.entity(type) + "-changelog";
    }

    /**
     * The configured entity types ({@link #ENTITIES_TYPES}) with the configured shape, in order; empty when none is
     * configured.
     */
    public List<EntityWindowSpec> entities() {
        return entities;
    }

    private List<EntityWindowSpec> parseEntities() {
        List<String> declared = getList(ENTITIES_TYPES);
        if (declared.isEmpty()) {
            return List.of();
        }
        List<Duration> horizons;
        Duration delay;
        Duration bucket;
        try {
            horizons = getList(ENTITIES_HORIZONS).stream().map(Duration::parse).toList();
            delay = Duration.parse(getString(ENTITIES_LABEL_DELAY));
            bucket = Duration.parse(getString(ENTITIES_BUCKET));
        } catch (DateTimeParseException e) {
            throw new ConfigException("entity windows need ISO-8601 durations (P1D, PT12H): " + e.getMessage());
        }
        List<EntityWindowSpec> specs = new ArrayList<>();
        Set<String> types = new HashSet<>();
        for (String item : declared) {
            int equals = item.indexOf('=');
            String type = equals < 0 ? item : item.substring(0, equals);
            try {
                EntityWindowSpec spec = new EntityWindowSpec(type, horizons, delay, bucket);
                specs.add(equals < 0 ? spec : spec.withKey(item.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ENTITIES_TYPES, item, e.getMessage());
            }
            if (!types.add(type)) {
                throw new ConfigException(ENTITIES_TYPES, declared, "entity type " + type + " is declared twice");
            }
        }
        return List.copyOf(specs);
    }

    private static void validateEntityTypes(String name, Object value) {
        for (Object item : (List<?>) value) {
            if (item.toString().isBlank()) {
                throw new ConfigException(name, value, "an entity type is empty");
            }
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /**
     * Resolves the configuration from its layers.
     *
     * @param file      a properties file, or null
     * @param env       the environment ({@code System.getenv()}; tests pass {@code Map.of(...)})
     * @param overrides command-line {@code key=value} settings
     */
    public static PulseConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, Object> merged = new HashMap<>();
        if (file != null) {
            merged.putAll(readProperties(file));
        }
        merged.putAll(fromEnvironment(env));
        merged.putAll(overrides);
        return new PulseConfig(merged);
    }

    /** {@code PULSE_FOO_BAR=x} becomes {@code foo.bar=x}; the launcher's own variables are skipped. */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> config = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !LAUNCHER_VARIABLES.contains(name)) {
                config.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return config;
    }

    private static Map<String, Object> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration file " + file, e);
        }
        Map<String, Object> map = new HashMap<>();
        properties.forEach((k, v) -> map.put(k.toString(), v));
        return map;
    }

    /** Kafka Streams' {@code num.stream.threads} as this configuration sets it (Kafka Streams' default if unset). */
    public int streamThreads() {
        Object set = originals().get(StreamsConfig.NUM_STREAM_THREADS_CONFIG);
        return (Integer) ConfigDef.parseType(StreamsConfig.NUM_STREAM_THREADS_CONFIG, set != null ? set
                : StreamsConfig.configDef().defaultValues().get(StreamsConfig.NUM_STREAM_THREADS_CONFIG), Type.INT);
    }

    /** Everything Kafka Streams needs: Pulse's decisions plus every key Pulse does not own, passed through. */
    public Properties streamsProperties() {
        Properties props = new Properties();
        originals().forEach((key, value) -> {
            if (!CONFIG.names().contains(key) || StreamsConfig.configDef().names().contains(key)) {
                props.put(key, value);
            }
        });
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", getList(BOOTSTRAP_SERVERS)));
        props.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, getString(PROCESSING_GUARANTEE));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHostPort());
        // every processor, store and internal topic has an explicit name; fail the build of the topology otherwise
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class);
        props.put(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, getLong(ROCKSDB_BLOCK_CACHE_BYTES));
        props.put(BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, getLong(ROCKSDB_WRITE_BUFFER_BYTES));
        if (StreamsConfig.EXACTLY_ONCE_V2.equals(getString(PROCESSING_GUARANTEE))) {
            // KIP-892: uncommitted writes stay out of RocksDB, so a crash under exactly-once no longer wipes the stores
            props.putIfAbsent(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
            // predictions become visible at commits: half of Kafka Streams' 100 ms for issue 15's latency goal. 20 ms
            // was measured better at half the maximum in the benchmark's JVM but fell seconds behind at the deployed
            // pipeline's rates (benchmarks/README.md, item 9); every full run has a {commit.interval.ms=20} row
            props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, EXACTLY_ONCE_COMMIT_INTERVAL_MS);
            // measured side by side in benchmarks/RESULTS-latency-retry-backoff.md: p99 at 50 % 134-138 ms against
            // 144-171 ms with 100 ms, the stream thread no longer sleeping through a retry in its commit
            if (!props.containsKey(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG)) {
                props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
                        EXACTLY_ONCE_PRODUCER_RETRY_BACKOFF_MS);
            }
        }
        // Kafka 5 turns this on by default; opting in now keeps behaviour stable and silences the start-up warning
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Kafka Streams 4.4 checks it again in the partition assignor, which sees only the consumer's settings
        props.putIfAbsent(StreamsConfig.CONSUMER_PREFIX + StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG,
                true);
        // No output compression by default: not every client in every language decodes every codec (kafkajs has no
        // lz4, for one). Set producer.compression.type where the consumers allow it.
        return props;
    }

    /** Settings for Pulse's serdes and registry client: the registry URL and every registry-related key. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> serde = new HashMap<>();
        originals().forEach((key, value) -> {
            if (key.startsWith("schema.registry.") || key.startsWith("basic.auth.") || key.startsWith("max.retries")
                    || key.startsWith("retries.") || key.equals("auto.register.schemas")
                    || key.equals("use.latest.version") || key.endsWith(".subject.name.strategy")) {
                serde.put(key, value);
            }
        });
        serde.put(SCHEMA_REGISTRY_URL, getString(SCHEMA_REGISTRY_URL));
        return serde;
    }

    /** The host:port advertised to other instances for query forwarding. */
    public String advertisedHostPort() {
        String advertised = getString(HTTP_ADVERTISED_URL);
        return advertised.isBlank() ? getString(HTTP_HOST) + ":" + getInt(HTTP_PORT) : advertised;
    }

    public String topic(String key) {
        return getString(key);
    }

    /** Every topic setting ({@code topic.*} key) with its catalogue entry (default name, creation settings). */
    public static Map<String, Topic<?, ?>> topicSettings() {
        return TOPICS;
    }

    /** Every topic of the catalogue under its configured name (types and creation settings as catalogued). */
    public List<Topic<?, ?>> topics() {
        return TOPICS.entrySet().stream().<Topic<?, ?>>map(e -> e.getValue().withName(topic(e.getKey()))).toList();
    }

    private static Map<String, Topic<?, ?>> topicKeys() {
        Map<String, Topic<?, ?>> topics = new LinkedHashMap<>();
        topics.put(TOPIC_USER_EVENTS, PulseTopics.USER_EVENTS);
        topics.put(TOPIC_DLQ, PulseTopics.USER_EVENTS_DLQ);
        topics.put(TOPIC_PREDICTIONS, PulseTopics.USER_PREDICTIONS);
        topics.put(TOPIC_USER_INTERESTS, PulseTopics.USER_INTERESTS);
        topics.put(TOPIC_CHURN_ALERTS, PulseTopics.CHURN_ALERTS);
        topics.put(TOPIC_FRAUD_ALERTS, PulseTopics.FRAUD_ALERTS);
        topics.put(TOPIC_INTEREST_ALERTS, PulseTopics.INTEREST_ALERTS);
        topics.put(TOPIC_LABELS, PulseTopics.USER_LABELS);
        topics.put(TOPIC_ERASURES, PulseTopics.USER_ERASURES);
        topics.put(TOPIC_AUDIT, PulseTopics.PULSE_AUDIT);
        topics.put(TOPIC_MODEL_WEIGHTS, PulseTopics.MODEL_WEIGHTS);
        return Collections.unmodifiableMap(topics);
    }
}

package io.pulse.pipeline.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulse.contracts.Alert;
import io.pulse.contracts.AlertKind;
import io.pulse.contracts.AlertTrigger;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.validate.RejectReason;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Pulse's own metrics (Kafka Streams' metrics are bound next to them by the HTTP layer). Names follow Prometheus
 * conventions once exported: {@code pulse_events_received_total}, {@code pulse_dlq_records_total{reason=…}},
 * {@code pulse_duplicates_dropped_total}, {@code pulse_predictions_total}, {@code pulse_alerts_total{kind,trigger}},
 * {@code pulse_model_step_seconds} (histogram), {@code pulse_model_rejected_total}, {@code pulse_rewarms_total},
 * {@code pulse_erasures_total{outcome=erased|rejected}}, {@code pulse_labels_total{outcome}}, per entity type
 * {@code pulse_entity_records_total{type,outcome}}, {@code pulse_entity_store_keys{type}},
 * {@code pulse_entity_store_bytes{type}}, {@code pulse_entity_top_key_share{type}} (gauges read on scrape,
 * {@link EntityGauges}) and {@code pulse_entity_round_trip_seconds{types}} (histogram), plus the live-quality gauges
 * of {@link LiveQuality}. {@link RestoreLog} adds {@code pulse_state_restored_records_total{store}}; Kafka Streams'
 * store metrics carry the store's name as {@code store} ({@link StoreMetricTags}).
 *
 * <p>The processors see this object only as {@link Telemetry}; the HTTP layer reads the counts, the
 * {@link #feed() live feed} and {@link #liveQuality() live quality} from it.
 */
public final class PipelineMetrics implements Telemetry {

    private final MeterRegistry registry;
    private final Counter received;
    private final Counter duplicates;
    private final Counter predictions;
    private final Counter modelRejected;
    private final Counter rewarms;
    private final Counter itemsOutOfVocabulary;
    private final Counter categoriesUnknown;
    private final Counter inactivityChecks;
    private final Timer step;
    private final Map<RejectReason, Counter> deadLetters = new EnumMap<>(RejectReason.class);
    private final Map<String, Counter> alerts = new ConcurrentHashMap<>();
    /** Per entity type, the counters by {@link EntityOutcome#ordinal()} (no key built per record). */
    private final Map<String, Counter[]> entityRecords = new ConcurrentHashMap<>();
    private final Map<String, EntityGauges> entityGauges = new ConcurrentHashMap<>();
    private final Map<String, Timer> entityRoundTrips = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<LongSupplier>> entitySnapshots = new ConcurrentHashMap<>();
    private final Map<String, Timer> entitySnapshotLags = new ConcurrentHashMap<>();
    private final Counter labelsJoined;
    private final Counter labelsUnmatched;
    private final Counter labelsRejected;
    private final Counter erased;
    private final Counter erasuresRejected;
    private final LiveQuality liveQuality;
    private final LiveFeed feed;

    /** Metrics in {@code registry}, with a live feed of the default size. */
    public PipelineMetrics(MeterRegistry registry) {
        this(registry, new LiveFeed(LiveFeed.DEFAULT_TIMELINE_USERS, LiveFeed.DEFAULT_TIMELINE_POINTS));
    }

    /** Metrics in {@code registry}; {@code feed} is the dashboard's (sized by the pipeline's configuration). */
    public PipelineMetrics(MeterRegistry registry, LiveFeed feed) {
        this.registry = registry;
        this.feed = feed;
        this.received = Counter.builder("pulse.events.received").description("Input records read").register(registry);
        this.duplicates = Counter.builder("pulse.duplicates.dropped")
                .description("Events dropped as repeated deliveries of an eventId").register(registry);
        this.predictions = Counter.builder("pulse.predictions").description("Predictions written").register(registry);
        this.modelRejected = Counter.builder("pulse.model.rejected")
                .description("Model bundles that could not be used").register(registry);
        this.rewarms = Counter.builder("pulse.rewarms")
                .description("User states re-warmed after a model change").register(registry);
        this.itemsOutOfVocabulary = Counter.builder("pulse.interests.lookups").tag("outcome", "item-oov")
                .description("Item and category look-ups of models with interest heads that found no catalogue row"
                        + " (scored with the out-of-vocabulary row)")
                .register(registry);
        this.categoriesUnknown = Counter.builder("pulse.interests.lookups").tag("outcome", "category-unknown")
                .register(registry);
        this.inactivityChecks = Counter.builder("pulse.inactivity.checks")
                .description("Due inactivity checks performed").register(registry);
        this.step = Timer.builder("pulse.model.step")
                .description("Feature encoding + one LSTM step + heads, per event")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(500))
                .maximumExpectedValue(Duration.ofMillis(10))
                .register(registry);
        this.labelsJoined = Counter.builder("pulse.labels").tag("outcome", "joined")
                .description("Labels received, by what happened to them").register(registry);
        this.labelsUnmatched = Counter.builder("pulse.labels").tag("outcome", "unmatched").register(registry);
        this.labelsRejected = Counter.builder("pulse.labels").tag("outcome", "rejected").register(registry);
        this.erased = Counter.builder("pulse.erasures").tag("outcome", "erased")
                .description("Erasure requests, by outcome (rejected: unreadable, or key and userId differ)")
                .register(registry);
        this.erasuresRejected = Counter.builder("pulse.erasures").tag("outcome", "rejected").register(registry);
        this.liveQuality = new LiveQuality(registry, 10_000);
        for (RejectReason reason : RejectReason.values()) {
            deadLetters.put(reason, Counter.builder("pulse.dlq.records").tag("reason", reason.name())
                    .description("Input records sent to the dead-letter topic").register(registry));
        }
    }

    /** Metrics kept in memory only (tests, tools). */
    public static PipelineMetrics inMemory() {
        return new PipelineMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public LiveQuality liveQuality() {
        return liveQuality;
    }

    /** The dashboard's in-memory view of recent activity. */
    public LiveFeed feed() {
        return feed;
    }

    public double alertCount(AlertKind kind) {
        return alerts.entrySet().stream().filter(e -> e.getKey().startsWith(kind + "/"))
                .mapToDouble(e -> e.getValue().count()).sum();
    }

    public double receivedCount() {
        return received.count();
    }

    public double deadLetterTotal() {
        return deadLetters.values().stream().mapToDouble(Counter::count).sum();
    }

    @Override
    public void eventReceived() {
        received.increment();
    }

    @Override
    public void deadLettered(RejectReason reason) {
        deadLetters.get(reason).increment();
    }

    @Override
    public void duplicateDropped() {
        duplicates.increment();
    }

    @Override
    public void predictionWritten(UserEvent event, Prediction prediction, long ingestMillis, long nowMillis) {
        predictions.increment();
        feed.onPrediction(event, prediction, ingestMillis, nowMillis);
    }

    @Override
    public void alertRaised(Alert alert) {
        feed.onAlert(alert);
        alertRaised(alert.getKind(), alert.getTrigger());
    }

    /** Counts an alert (without showing it on the live feed). */
    public void alertRaised(AlertKind kind, AlertTrigger trigger) {
        alerts.computeIfAbsent(kind + "/" + trigger, k -> Counter.builder("pulse.alerts")
                .tag("kind", kind.name()).tag("trigger", trigger.name())
                .description("Alerts raised").register(registry)).increment();
    }

    @Override
    public void entityRecord(String type, EntityOutcome outcome) {
        Counter[] counters = entityRecords.get(type);
        if (counters == null) {
            counters = entityRecords.computeIfAbsent(type, t -> new Counter[EntityOutcome.values().length]);
        }
        Counter counter = counters[outcome.ordinal()];
        if (counter == null) {
            // registering twice from two threads yields the same meter: Micrometer returns the existing one
            counter = Counter.builder("pulse.entity.records")
                    .tag("type", type).tag("outcome", outcome.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .description("Records handled by the entity steps, per entity type and outcome (event, missing:"
                            + " the event had no such entity, label, label-unknown-entity)")
                    .register(registry);
            counters[outcome.ordinal()] = counter;
        }
        counter.increment();
    }

    /** Records the entity steps of {@code type} handled with {@code outcome} (0 before the first). */
    public double entityRecordCount(String type, EntityOutcome outcome) {
        Counter[] counters = entityRecords.get(type);
        Counter counter = counters == null ? null : counters[outcome.ordinal()];
        return counter == null ? 0.0 : counter.count();
    }

    @Override
    public void entityTaskOpened(String type, String taskId, Map<MetricName, ? extends Metric> streamsMetrics,
            EntityTaskView view) {
        entityGauges.computeIfAbsent(type, t -> new EntityGauges(t, view.storeName(), registry)).opened(taskId, streamsMetrics, view);
    }

    @Override
    public void entityTaskClosed(String type, String taskId) {
        EntityGauges gauges = entityGauges.get(type);
        if (gauges != null) {
            gauges.closed(taskId);
        }
    }

    @Override
    public void entitySnapshotsOpened(String type, LongSupplier entries) {
        entitySnapshots.computeIfAbsent(type, t -> {
            AtomicReference<LongSupplier> store = new AtomicReference<>();
            Gauge.builder("pulse.entity.snapshots.keys", store,
                    s -> s.get() == null ? Double.NaN : s.get().getAsLong())
                    .tag("type", t)
                    .description("Entities in this instance's broadcast snapshots of the type (entities.delivery="
                            + "broadcast), all of the type's entities, each 368 bytes of heap with 8-character ids"
                            + " when entities.snapshots.store=memory (counted: the store's keys when it opened, then"
                            + " each new entity as its snapshot arrives)")
                    .register(registry);
            return store;
        }).set(entries); // a restarted global thread opens a new store: the gauge reads that one
    }

    @Override
    public void entitySnapshotLag(String type, long millis) {
        Timer timer = entitySnapshotLags.get(type); // no lambda per snapshot once the timer exists
        if (timer == null) {
            timer = entitySnapshotLags.computeIfAbsent(type, t -> entityHopTimer("pulse.entity.snapshot.lag", "type", t,
                    "Broadcast delivery: wall-clock time from the record time of the last event or label a snapshot"
                            + " counts (its producer's clock, for live traffic) until the snapshot is in this"
                            + " instance's global store, so how far the entity features scoring reads trail the"
                            + " entity's events; only for records produced since the global store opened (not the"
                            + " read-back at start, nor a replay of old events)"));
        }
        timer.record(Math.max(0, millis), TimeUnit.MILLISECONDS); // another host's clock may be ahead
    }

    @Override
    public void entityRoundTrip(String types, long millis) {
        Timer timer = entityRoundTrips.get(types); // no lambda on the per-event path once the timer exists
        if (timer == null) {
            timer = entityRoundTrips.computeIfAbsent(types, t -> entityHopTimer("pulse.entity.round.trip", "types", t,
                    "Wall-clock time from an event's routing to the entity steps until it is back at the scoring"
                            + " task with its entity features (one round trip through every configured type, in"
                            + " order)"));
        }
        timer.record(millis, TimeUnit.MILLISECONDS);
    }

    /** A timer of how long entity features take to travel, with a histogram from 1 ms to 30 s. */
    private Timer entityHopTimer(String name, String tag, String value, String description) {
        return Timer.builder(name)
                .tag(tag, value)
                .description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    @Override
    public void stepTook(long nanos) {
        step.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void modelRejected() {
        modelRejected.increment();
    }

    @Override
    public void rewarmed() {
        rewarms.increment();
    }

    @Override
    public void itemOutOfVocabulary() {
        itemsOutOfVocabulary.increment();
    }

    @Override
    public void categoryUnknown() {
        categoriesUnknown.increment();
    }

    /** Events whose item had no catalogue row. */
    public long itemsOutOfVocabulary() {
        return (long) itemsOutOfVocabulary.count();
    }

    /** Events whose category was missing or had no catalogue row. */
    public long categoriesUnknown() {
        return (long) categoriesUnknown.count();
    }

    @Override
    public void inactivityChecked() {
        inactivityChecks.increment();
    }

    @Override
    public void userErased() {
        erased.increment();
    }

    @Override
    public void erasureRejected() {
        erasuresRejected.increment();
    }

    @Override
    public void labelJoined(String modelVersion, LiveQuality.Head head, double score, boolean positive) {
        liveQuality.record(modelVersion, head, score, positive);
        labelsJoined.increment();
    }

    @Override
    public void labelUnmatched() {
        labelsUnmatched.increment();
    }

    @Override
    public void labelRejected() {
        labelsRejected.increment();
    }

    @Override
    public long forgetUser(String userId) {
        return feed.forget(userId);
    }

    public double erasedCount() {
        return erased.count();
    }

    public double erasureRejectedCount() {
        return erasuresRejected.count();
    }

    public double deadLetterCount(RejectReason reason) {
        return deadLetters.get(reason).count();
    }

    public double inactivityCheckCount() {
        return inactivityChecks.count();
    }

    public double duplicateCount() {
        return duplicates.count();
    }

    public double predictionCount() {
        return predictions.count();
    }
}

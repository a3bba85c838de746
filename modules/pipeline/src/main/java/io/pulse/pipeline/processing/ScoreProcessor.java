package io.pulse.pipeline.processing;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.Alert;
import io.pulse.contracts.AlertKind;
import io.pulse.contracts.AlertReason;
import io.pulse.contracts.AlertTrigger;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.model.FeatureEncoder;
import io.pulse.model.FeatureSpec;
import io.pulse.model.LstmModel;
import io.pulse.model.Scores;
import io.pulse.pipeline.alerts.AlertSettings;
import io.pulse.pipeline.alerts.Explainer;
import io.pulse.pipeline.state.InactivityIndex;
import io.pulse.pipeline.state.ScoredEvent;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.state.UserStateCodec;
import io.pulse.pipeline.telemetry.Telemetry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The heart of Pulse. For every accepted event: drop it if the same event (eventId at its eventTime) was scored
 * within the deduplication window;
 * otherwise load the user's state, re-warm it if it was produced by another model, encode the event against the
 * user's behaviour windows, advance the LSTM one step, compute the heads, emit a {@link Prediction}, raise fraud or
 * churn {@link Alert}s when thresholds are crossed (with a cooldown), schedule the user's next inactivity check and
 * save the state. A wall-clock punctuator raises churn alerts for users whose silence has become alarming, reading
 * only the due entries of a time-ordered index.
 *
 * <p>Input: accepted events keyed by user id. Output: {@code Prediction}s and {@code Alert}s keyed by user id (the
 * topology routes them to their topics). Stores: {@code user-state}, {@code scored-events} (deduplication and the
 * label join, see {@link ScoredEvent}), {@code inactivity-index}; {@code ErasureProcessor} deletes a user from the same
 * stores.
 *
 * <p>Out-of-order events are scored in arrival order (the LSTM sees the sequence as it arrives); the behaviour
 * windows add them with the weight their age deserves and do not move the user's last-seen time back.
 */
public final class ScoreProcessor implements Processor<String, Checked, String, SpecificRecord> {

    /** A reserved key in the user-state store holding the task's event clock; user ids cannot contain control chars. */
    static final String CLOCK_KEY = "\u0000pulse.event-clock";

    private final ModelHolder models;
    private final ScoringSettings settings;
    private final Telemetry telemetry;
    private final EventClock clock = new EventClock();
    private final String labelsTopic;
    private final Map<String, Object> serdeConfig;
    private LabelJoiner labels;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> users;
    private WindowStore<String, byte[]> scoredEvents;
    private KeyValueStore<Bytes, byte[]> inactivityIndex;
    private UserStateCodec codec;
    private FeatureEncoder encoder;
    private Explainer explainer;
    private float[] raw;
    private float[] input;
    private float[] previousHidden;
    private float[] previousCell;
    private Scores scores;
    private LstmModel scoresModel;
    private long savedClockMax = EventClock.UNKNOWN;

    public ScoreProcessor(ModelHolder models, ScoringSettings settings, Telemetry telemetry, String labelsTopic,
            Map<String, Object> serdeConfig) {
        this.labelsTopic = labelsTopic;
        this.serdeConfig = serdeConfig;
        this.models = models;
        this.settings = settings;
        this.telemetry = telemetry;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.users = context.getStateStore(StateStores.USER_STATE);
        this.scoredEvents = context.getStateStore(StateStores.SCORED_EVENTS);
        this.inactivityIndex = context.getStateStore(StateStores.INACTIVITY_INDEX);
        this.labels = new LabelJoiner(scoredEvents, labelsTopic, serdeConfig, telemetry);
        FeatureSpec spec = FeatureSpec.v1();
        this.codec = new UserStateCodec(spec);
        this.encoder = new FeatureEncoder(spec);
        this.explainer = new Explainer(spec.names());
        this.raw = new float[spec.inputSize()];
        this.input = new float[spec.inputSize()];
        restoreClock();
        // Wall-clock time: silence produces no records, so stream time would stand still exactly when it matters.
        context.schedule(settings.inactivityCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkInactivity);
    }

    @Override
    public void process(Record<String, Checked> record) {
        if (record.value().isLabel()) {
            labels.join(record.key(), record.value().labelBytes());
            return;
        }
        UserEvent event = record.value().event();
        String userId = record.key();
        long eventTime = event.getEventTime().toEpochMilli();
        clock.observe(eventTime, context.currentSystemTimeMs());
        String scoredKey = ScoredEvent.key(userId, event.getEventId());
        if (isDuplicate(scoredKey, eventTime, record.timestamp())) {
            telemetry.duplicateDropped();
            return;
        }

        LstmModel model = models.current();
        UserState state = loadState(userId, model);
        if (!state.isNew() && !state.producedBy(model.version())) {
            rewarm(state, model);
        }
        float churnBefore = state.lastChurn();
        long lastSeenBefore = state.windows().lastSeenMillis();
        boolean isNewUser = state.isNew();
        ensureScratch(model.hiddenSize());
        System.arraycopy(state.hidden(), 0, previousHidden, 0, previousHidden.length);
        System.arraycopy(state.cell(), 0, previousCell, 0, previousCell.length);

        long started = System.nanoTime();
        encoder.encode(event.getType(), eventTime, orNaN(event.getAmount()), orNaN(event.getRating()),
                state.windows(), raw);
        model.featureSpec().normalise(raw, input);
        model.step(input, state.hidden(), state.cell());
        Scores scores = scoresFor(model);
        model.heads(state.hidden(), scores);
        telemetry.stepTook(System.nanoTime() - started);

        state.recentInputs().add(raw);
        state.markProducedBy(model.version());
        state.rememberScores(scores.churn, scores.fraud, argMax(scores.nextAction));
        Prediction prediction = prediction(event, model, scores, state);
        context.forward(record.withValue(prediction));
        telemetry.predictionWritten(event, prediction, record.timestamp(), context.currentSystemTimeMs());
        // one write for deduplication and for live quality per model version (joined when the label arrives)
        scoredEvents.put(scoredKey,
                new ScoredEvent(record.timestamp(), model.version(), scores.fraud, scores.churn).encode(), eventTime);

        AlertSettings alerts = settings.alerts();
        if (alerts.fraudAlertsEnabled() && scores.fraud >= alerts.fraudThreshold()
                && AlertSettings.cooledDown(state.lastFraudAlertMillis(), alerts.fraudCooldownMillis(), eventTime)) {
            raiseFraudAlert(record, event, model, scores, state);
        }
        if (alerts.churnAlertsEnabled() && scores.churn >= alerts.churnThreshold()
                && churnBefore < alerts.churnThreshold()
                && AlertSettings.cooledDown(state.lastChurnAlertMillis(), alerts.churnCooldownMillis(), eventTime)) {
            raiseChurnAlert(record, event, model, scores, state);
        }
        if (isNewUser || eventTime > lastSeenBefore) {
            // a new silence starts only with a newer event; a late one does not end the current silence
            scheduleInactivityCheck(userId, state);
            state.setAlertedThisSilence(false);
        }
        users.put(userId, codec.encode(state));
    }

    /** A point lookup (one RocksDB get, usually answered by its bloom filter), not a range scan. */
    private boolean isDuplicate(String key, long eventTime, long arrivalTime) {
        byte[] seen = scoredEvents.fetch(key, eventTime);
        return seen != null
                && Math.abs(arrivalTime - ScoredEvent.arrivedAt(seen)) <= settings.dedupRetention().toMillis();
    }

    private UserState loadState(String userId, LstmModel model) {
        byte[] stored = users.get(userId);
        if (stored == null) {
            return UserState.newUser(model.hiddenSize(), model.featureSpec());
        }
        UserState state = codec.decode(stored);
        if (state.hidden().length != model.hiddenSize()) {
            // a model of another size: keep the windows and recent inputs, rebuild the recurrent state
            return state.withHiddenSize(model.hiddenSize(), model.featureSpec());
        }
        return state;
    }

    /** Replays the user's recent inputs through {@code model} from a zero state: the new model's view of the user. */
    private void rewarm(UserState state, LstmModel model) {
        state.resetRecurrentState();
        float[] replayed = new float[raw.length];
        float[] normalised = new float[raw.length];
        for (int age = 0; age < state.recentInputs().size(); age++) {
            state.recentInputs().get(age, replayed);
            model.featureSpec().normalise(replayed, normalised);
            model.step(normalised, state.hidden(), state.cell());
        }
        state.markProducedBy(model.version());
        telemetry.rewarmed();
    }

    private Prediction prediction(UserEvent event, LstmModel model, Scores scores, UserState state) {
        List<String> labels = model.nextActionLabels();
        List<ActionProbability> next = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            next.add(new ActionProbability(labels.get(i), (double) scores.nextAction[i]));
        }
        next.sort(Comparator.comparingDouble(ActionProbability::getProbability).reversed());
        return Prediction.newBuilder()
                .setEventId(event.getEventId())
                .setUserId(event.getUserId())
                .setEventTime(event.getEventTime())
                .setPredictedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setModelName(model.name())
                .setModelVersion(model.version())
                .setNextAction(next)
                .setChurnProbability(scores.churn)
                .setChurnHorizonMillis(settings.alerts().churnHorizonMillis())
                .setFraudScore(scores.fraud)
                .setEventsSeen(state.windows().eventsSeen())
                .build();
    }

    private void raiseFraudAlert(Record<String, Checked> record, UserEvent event, LstmModel model, Scores scores,
            UserState state) {
        AlertSettings alerts = settings.alerts();
        List<AlertReason> reasons = explainer.explain(model, raw, previousHidden, previousCell, s -> s.fraud,
                scores.fraud, alerts.reasons());
        String amount = event.getAmount() == null ? "" : String.format(Locale.ROOT, " of %.2f", event.getAmount());
        Alert alert = alert(event.getEventId() + ":fraud", event.getUserId(), AlertKind.FRAUD, AlertTrigger.EVENT,
                scores.fraud, alerts.fraudThreshold(), event.getEventTime().toEpochMilli(), event.getEventId(),
                state.windows().lastSeenMillis(), model.version(),
                String.format(Locale.ROOT, "fraud score %.2f >= %.2f on %s%s; strongest inputs: %s", scores.fraud,
                        alerts.fraudThreshold(), event.getType(), amount, featureList(reasons)),
                reasons);
        context.forward(record.withValue(alert));
        telemetry.alertRaised(alert);
        state.setLastFraudAlertMillis(event.getEventTime().toEpochMilli());
    }

    private void raiseChurnAlert(Record<String, Checked> record, UserEvent event, LstmModel model, Scores scores,
            UserState state) {
        AlertSettings alerts = settings.alerts();
        List<AlertReason> reasons = explainer.explain(model, raw, previousHidden, previousCell, s -> s.churn,
                scores.churn, alerts.reasons());
        Alert alert = alert(event.getEventId() + ":churn", event.getUserId(), AlertKind.CHURN, AlertTrigger.EVENT,
                scores.churn, alerts.churnThreshold(), event.getEventTime().toEpochMilli(), event.getEventId(),
                state.windows().lastSeenMillis(), model.version(),
                String.format(Locale.ROOT, "churn probability rose to %.2f (threshold %.2f) after a %s event;"
                        + " strongest inputs: %s", scores.churn, alerts.churnThreshold(), event.getType(),
                        featureList(reasons)),
                reasons);
        context.forward(record.withValue(alert));
        telemetry.alertRaised(alert);
        state.setLastChurnAlertMillis(event.getEventTime().toEpochMilli());
    }

    /**
     * Moves the user's next inactivity check to the end of the silence that starts now. The index entry is rewritten
     * only when the check moves earlier (or there is none): when it merely moves later, as it does on almost every
     * event, the existing entry fires first and the punctuator moves it on ({@link #checkSilence}).
     */
    private void scheduleInactivityCheck(String userId, UserState state) {
        if (!settings.alerts().churnAlertsEnabled()) {
            state.setInactivityDueAtMillis(0);
            return;
        }
        state.setInactivityDueAtMillis(settings.alerts().firstInactivityCheck(state.windows().lastSeenMillis(),
                settings.alerts().rhythmMillis(state.windows())));
        long indexedAt = state.inactivityIndexedAtMillis();
        if (indexedAt > 0 && indexedAt <= state.inactivityDueAtMillis()) {
            return;
        }
        if (indexedAt > 0) {
            inactivityIndex.delete(InactivityIndex.key(indexedAt, userId));
        }
        index(userId, state, state.inactivityDueAtMillis());
    }

    private void index(String userId, UserState state, long at) {
        inactivityIndex.put(InactivityIndex.key(at, userId), new byte[0]);
        state.setInactivityIndexedAtMillis(at);
    }

    /** The punctuation: handles due inactivity checks, oldest first, at most a configured number per call. */
    private void checkInactivity(long wallMillis) {
        if (!clock.isKnown()) {
            return; // no event yet on this task since the beginning of time: nothing can be silent
        }
        long now = clock.now(wallMillis);
        saveClock();
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> iterator =
                     inactivityIndex.range(InactivityIndex.from(), InactivityIndex.upTo(now))) {
            while (iterator.hasNext() && due.size() < settings.maxChecksPerPunctuation()) {
                due.add(iterator.next());
            }
        }
        for (KeyValue<Bytes, byte[]> entry : due) {
            inactivityIndex.delete(entry.key);
            checkSilence(InactivityIndex.userId(entry.key), InactivityIndex.dueAt(entry.key), now);
        }
    }

    private void checkSilence(String userId, long dueAt, long now) {
        byte[] stored = users.get(userId);
        if (stored == null) {
            return;
        }
        UserState state = codec.decode(stored);
        if (state.inactivityIndexedAtMillis() != dueAt) {
            return; // not this user's current entry (defensive: entries are deleted when they move)
        }
        state.setInactivityIndexedAtMillis(0); // the caller deleted the entry
        if (state.inactivityDueAtMillis() == 0 || state.inactivityDueAtMillis() > now) {
            // nothing to check any more, or the user was active since the entry was written: move it on
            if (state.inactivityDueAtMillis() > 0) {
                index(userId, state, state.inactivityDueAtMillis());
            }
            users.put(userId, codec.encode(state));
            return;
        }
        telemetry.inactivityChecked();
        AlertSettings alerts = settings.alerts();
        long lastSeen = state.windows().lastSeenMillis();
        long silence = now - lastSeen;
        double rhythm = settings.alerts().rhythmMillis(state.windows());
        double score = alerts.inactivityScore(state.lastChurn(), silence, rhythm);
        if (alerts.churnAlertsEnabled() && score >= alerts.churnThreshold() && !state.alertedThisSilence()
                && AlertSettings.cooledDown(state.lastChurnAlertMillis(), alerts.churnCooldownMillis(), now)) {
            raiseInactivityAlert(userId, state, score, silence, rhythm, now);
            state.setInactivityDueAtMillis(0);
        } else if (!state.alertedThisSilence() && silence < alerts.giveUpAfterMillis(rhythm)) {
            long next = now + Math.max(alerts.minSilenceMillis(), (long) rhythm);
            state.setInactivityDueAtMillis(next);
            index(userId, state, state.inactivityDueAtMillis());
        } else {
            state.setInactivityDueAtMillis(0); // gone for good, or already alerted for this silence
        }
        users.put(userId, codec.encode(state));
    }

    private void raiseInactivityAlert(String userId, UserState state, double score, long silence, double rhythm,
            long now) {
        AlertSettings alerts = settings.alerts();
        double gaps = silence / Math.max(1.0, rhythm);
        List<AlertReason> reasons = List.of(
                reason("silence_in_usual_gaps", gaps, score - state.lastChurn()),
                reason("churn_probability_at_last_event", state.lastChurn(), state.lastChurn()),
                reason("events_30d", state.windows().countAll(io.pulse.model.Horizon.MONTH, state.windows()
                        .lastSeenMillis()), 0.0));
        Alert alert = alert(userId + ":inactivity:" + state.windows().lastSeenMillis(), userId, AlertKind.CHURN,
                AlertTrigger.INACTIVITY, score, alerts.churnThreshold(), now, null, state.windows().lastSeenMillis(),
                models.current().version(),
                String.format(Locale.ROOT, "silent for %s, %.1f times the user's usual longest gap of %s; churn score"
                        + " %.2f (threshold %.2f)", duration(silence), gaps, duration((long) rhythm), score,
                        alerts.churnThreshold()),
                reasons.subList(0, Math.min(alerts.reasons(), reasons.size())));
        context.forward(new Record<>(userId, alert, now));
        telemetry.alertRaised(alert);
        state.setAlertedThisSilence(true);
        state.setLastChurnAlertMillis(now);
    }

    private static Alert alert(String id, String userId, AlertKind kind, AlertTrigger trigger, double score,
            double threshold, long raisedAt, String eventId, long lastSeen, String modelVersion, String summary,
            List<AlertReason> reasons) {
        return Alert.newBuilder()
                .setAlertId(id)
                .setUserId(userId)
                .setKind(kind)
                .setTrigger(trigger)
                .setScore(score)
                .setThreshold(threshold)
                .setRaisedAt(Instant.ofEpochMilli(raisedAt))
                .setEventId(eventId)
                .setLastSeen(lastSeen == Long.MIN_VALUE ? null : Instant.ofEpochMilli(lastSeen))
                .setModelVersion(modelVersion)
                .setSummary(summary)
                .setReasons(reasons)
                .build();
    }

    private static AlertReason reason(String feature, double value, double contribution) {
        return AlertReason.newBuilder().setFeature(feature).setValue(value).setContribution(contribution).build();
    }

    private static String featureList(List<AlertReason> reasons) {
        return reasons.isEmpty() ? "-" : String.join(", ", reasons.stream().map(AlertReason::getFeature).toList());
    }

    private static String duration(long millis) {
        double hours = millis / 3_600_000.0;
        return hours >= 48 ? String.format(Locale.ROOT, "%.1f days", hours / 24)
                : hours >= 1 ? String.format(Locale.ROOT, "%.1f h", hours)
                : String.format(Locale.ROOT, "%d min", millis / 60_000);
    }

    private void restoreClock() {
        byte[] saved = users.get(CLOCK_KEY);
        if (saved != null && saved.length == 2 * Long.BYTES) {
            ByteBuffer buffer = ByteBuffer.wrap(saved);
            long maxEventTime = buffer.getLong();
            // the wall clock does not advance the event clock across downtime: a backlog may still be unread
            clock.restore(maxEventTime, context.currentSystemTimeMs());
        }
    }

    private void saveClock() {
        if (clock.maxEventTime() == savedClockMax) {
            return; // unchanged since the last save: no changelog write
        }
        savedClockMax = clock.maxEventTime();
        users.put(CLOCK_KEY, ByteBuffer.allocate(2 * Long.BYTES)
                .putLong(clock.maxEventTime()).putLong(clock.wallAtMax()).array());
    }

    @Override
    public void close() {
        if (labels != null) {
            labels.close();
        }
    }

    private Scores scoresFor(LstmModel model) {
        if (scoresModel != model) {
            scores = Scores.forModel(model);
            scoresModel = model;
        }
        return scores;
    }

    private void ensureScratch(int hiddenSize) {
        if (previousHidden == null || previousHidden.length != hiddenSize) {
            previousHidden = new float[hiddenSize];
            previousCell = new float[hiddenSize];
        }
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static double orNaN(Float value) {
        return value == null ? Double.NaN : value;
    }

}

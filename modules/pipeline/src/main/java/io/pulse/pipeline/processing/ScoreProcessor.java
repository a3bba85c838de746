package io.pulse.pipeline.processing;

import io.pulse.contracts.Alert;
import io.pulse.contracts.AlertReason;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.UserInterests;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.FeatureSpec;
import io.pulse.model.LstmModel;
import io.pulse.model.Scores;
import io.pulse.pipeline.alerts.AlertFactory;
import io.pulse.pipeline.alerts.AlertSettings;
import io.pulse.pipeline.alerts.EntityReasons;
import io.pulse.pipeline.state.ScoredEvent;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.state.UserStateCodec;
import io.pulse.pipeline.telemetry.Telemetry;
import io.pulse.registry.serde.AvroDeserializer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The heart of Pulse, the per-event path. For every accepted event: drop it if the same event (eventId at its
 * eventTime) was scored within the deduplication window; otherwise load the user's state, re-warm it if it was
 * produced by another model, encode the event against the user's behaviour windows, advance the LSTM one step,
 * compute the heads, emit a {@link Prediction}, raise fraud, churn or interest-shift {@link Alert}s when thresholds
 * are crossed (with a cooldown; built by {@link AlertFactory}), tell the {@link InactivityWatch} that a new silence
 * starts, and save the state. For a model with interest heads, {@link Interests} maps the item and category to
 * catalogue rows for the step and adds next categories, recommendations and the interest shift to the prediction,
 * and the same fields are written as the user's latest {@link UserInterests}. The watch raises the churn alerts of
 * users who went silent; labels are handed to the {@link LabelJoiner}.
 *
 * <p>Input: accepted events and labels keyed by user id. Output: {@code Prediction}s and {@code Alert}s keyed by user
 * id, and for a model with interest heads a {@code UserInterests} per prediction (the topology routes them to their
 * topics). Stores: {@code user-state}, {@code scored-events} (deduplication and
 * the label join, see {@link ScoredEvent}), and, through the watch, {@code inactivity-index}; {@code ErasureProcessor}
 * deletes a user from the same stores.
 *
 * <p>Out-of-order events are scored in arrival order (the LSTM sees the sequence as it arrives); the behaviour
 * windows add them with the weight their age deserves and do not move the user's last-seen time back.
 */
public final class ScoreProcessor implements Processor<String, InputRecord, String, SpecificRecord> {

    private final ModelHolder models;
    private final ScoringSettings settings;
    private final Telemetry telemetry;
    private final InactivityWatch inactivity;
    private final AlertFactory alerts;
    private final Interests interests;
    private final String labelsTopic;
    private final Map<String, Object> serdeConfig;
    /** The entity types the topology computes, in the order of their blocks in an enriched event. */
    private final List<EntityWindowSpec> entities;
    private final String eventsTopic;
    /** Decodes the events back from the entity round trip (only with entity types configured). */
    private AvroDeserializer<UserEvent> events;
    private LabelJoiner labels;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> users;
    private WindowStore<String, byte[]> scoredEvents;
    private UserStateCodec codec;
    /** The current model's encoder, explainer and input arrays. */
    private ModelInputs inputs;
    private float[] previousHidden;
    private float[] previousCell;
    /** The user's category profile before the event, for an interest-shift alert (complete() moves it on). */
    private float[] profileBefore = new float[0];
    private Scores scores;
    private LstmModel scoresModel;

    public ScoreProcessor(ModelHolder models, ScoringSettings settings, Telemetry telemetry, String labelsTopic,
            Map<String, Object> serdeConfig) {
        this(models, settings, telemetry, labelsTopic, serdeConfig, List.of(), null);
    }

    /**
     * A scoring processor behind the entity round trip: its events arrive {@link InputRecord.Enriched} with the
     * features of {@code entities} (the configured types), already deduplicated by the routing step, as the bytes
     * they arrived with on {@code eventsTopic}.
     */
    public ScoreProcessor(ModelHolder models, ScoringSettings settings, Telemetry telemetry, String labelsTopic,
            Map<String, Object> serdeConfig, List<EntityWindowSpec> entities, String eventsTopic) {
        this.entities = List.copyOf(entities);
        this.eventsTopic = eventsTopic;
        this.labelsTopic = labelsTopic;
        this.serdeConfig = serdeConfig;
        this.models = models;
        this.settings = settings;
        this.telemetry = telemetry;
        this.inactivity = new InactivityWatch(settings, models, telemetry);
        this.alerts = new AlertFactory(settings.alerts());
        this.interests = new Interests(settings.interests(), telemetry);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.users = context.getStateStore(StateStores.USER_STATE);
        this.scoredEvents = context.getStateStore(StateStores.SCORED_EVENTS);
        this.labels = new LabelJoiner(scoredEvents, labelsTopic, serdeConfig, telemetry);
        if (!entities.isEmpty()) {
            this.events = new AvroDeserializer<>(UserEvent.class);
            this.events.configure(serdeConfig, false);
        }
        this.codec = new UserStateCodec(FeatureSpec.v1());
        this.inputs = new ModelInputs(entities);
        inactivity.init(context, users, codec);
    }

    @Override
    public void process(Record<String, InputRecord> record) {
        if (record.value() instanceof InputRecord.Label label) {
            labels.join(record.key(), label.avroBytes()); // here, to read the scored events of this same task
        } else if (record.value() instanceof InputRecord.Accepted accepted) {
            score(record, accepted.event(), null, null);
        } else if (record.value() instanceof InputRecord.Enriched enriched) {
            // validated with these very bytes before the round trip: only a registry outage can fail here, and that
            // is rethrown so the task is retried (as validation does), never a reason to drop the event
            score(record, events.deserialize(eventsTopic, enriched.eventBytes()), enriched.entityFeatures(),
                    enriched.entityIds());
        } else {
            throw new IllegalStateException("a rejected record reached scoring: the topology routes rejected records"
                    + " to the dead-letter topic before this processor");
        }
    }

    /**
     * The per-event path; {@code entityFeatures} is null for an event that did not take the entity round trip (no
     * entity types configured); {@code entityIds} is non-null with broadcast delivery, whose routing step wrote no
     * marker ({@link InputRecord.Enriched#entityIds()}).
     */
    private void score(Record<String, InputRecord> record, UserEvent event, float[] entityFeatures,
            List<String> entityIds) {
        String userId = record.key();
        long eventTime = event.getEventTime().toEpochMilli();
        inactivity.observe(eventTime);
        String scoredKey = ScoredEvent.key(userId, event.getEventId());
        LstmModel model = models.current();
        UserState state = loadState(userId, model);
        ScoredEvent routed = null;
        if (entityFeatures == null) {
            if (canBeDuplicate(state, eventTime) && isDuplicate(scoredKey, eventTime, record.timestamp())) {
                telemetry.duplicateDropped();
                return;
            }
        } else if (entityIds != null) {
            // broadcast: deduplicated by the routing step just now, in this same step; no marker to read
            routed = ScoredEvent.routed(record.timestamp(), entityIds);
        } else {
            // deduplicated before the round trip; the routed marker keeps the entity ids and the label flag
            byte[] seen = scoredEvents.fetch(scoredKey, eventTime);
            routed = seen == null ? null : ScoredEvent.decode(seen);
            if (routed != null && routed.scored()) {
                telemetry.duplicateDropped();
                return;
            }
        }

        if (!state.isNew() && !state.producedBy(model.version())) {
            rewarm(state, model);
            telemetry.rewarmed();
        }
        float churnBefore = state.lastChurn();
        long lastSeenBefore = state.windows().lastSeenMillis();
        boolean isNewUser = state.isNew();
        ensureScratch(model.hiddenSize());
        System.arraycopy(state.hidden(), 0, previousHidden, 0, previousHidden.length);
        System.arraycopy(state.cell(), 0, previousCell, 0, previousCell.length);

        long started = System.nanoTime();
        inputs.encode(model.featureSpec(), event, eventTime, state.windows(), entityFeatures);
        interests.step(model, event, inputs.raw(), inputs.input(), state);
        Scores scores = scoresFor(model);
        model.heads(inputs.input(), state.hidden(), scores);
        telemetry.stepTook(System.nanoTime() - started);

        state.markProducedBy(model.version());
        state.rememberScores(scores.churn, scores.fraud, argMax(scores.nextAction));
        Prediction prediction = Predictions.of(event, model, scores, state.windows().eventsSeen(),
                context.currentSystemTimeMs(), settings.alerts().churnHorizonMillis());
        boolean hadProfile = model.hasInterests() && rememberProfile(state);
        if (model.hasInterests()) {
            interests.complete(prediction, model, state, scores);
        }
        context.forward(record.withValue(prediction));
        if (model.hasInterests()) {
            context.forward(record.withValue(Predictions.interestsOf(prediction)));
        }
        telemetry.predictionWritten(event, prediction, record.timestamp(), context.currentSystemTimeMs());
        // one write for deduplication and for live quality per model version (joined when the label arrives)
        ScoredEvent logged = routed == null
                ? new ScoredEvent(record.timestamp(), model.version(), scores.fraud, scores.churn)
                : routed.withScores(record.timestamp(), model.version(), scores.fraud, scores.churn);
        scoredEvents.put(scoredKey, logged.encode(), eventTime);

        AlertSettings rules = settings.alerts();
        if (rules.fraudAlertsEnabled() && scores.fraud >= rules.fraudThreshold()
                && AlertSettings.cooledDown(state.lastFraudAlertMillis(), rules.fraudCooldownMillis(), eventTime)) {
            raise(record, event, model, state, s -> s.fraud, scores.fraud, alerts::fraud);
            state.setLastFraudAlertMillis(eventTime);
        }
        if (rules.churnAlertsEnabled() && scores.churn >= rules.churnThreshold() && churnBefore < rules.churnThreshold()
                && AlertSettings.cooledDown(state.lastChurnAlertMillis(), rules.churnCooldownMillis(), eventTime)) {
            raise(record, event, model, state, s -> s.churn, scores.churn, alerts::churn);
            state.setLastChurnAlertMillis(eventTime);
        }
        if (hadProfile && prediction.getInterestShift() >= rules.interestThreshold()
                && AlertSettings.cooledDown(state.lastInterestAlertMillis(), rules.interestCooldownMillis(),
                        eventTime)) {
            raiseInterestShift(record, event, model, state, scores, prediction.getInterestShift());
            state.setLastInterestAlertMillis(eventTime);
        }
        if (isNewUser || eventTime > lastSeenBefore) {
            // a new silence starts only with a newer event; a late one does not end the current silence
            inactivity.silenceStarts(userId, state);
        }
        users.put(userId, codec.encode(state));
    }

    /**
     * Whether an event of {@code state}'s user at {@code eventTimeMillis} can repeat one already scored; when it cannot,
     * the deduplication lookup is skipped (one store read less for every event newer than all the user sent before,
     * the usual case). A repeat has the same event time as the event it repeats, and that event was scored into this
     * state (the scored events and the state are written in the same step, erased together and restored together), so
     * its time is at most the state's last-seen time, which never moves back. So only an event at or before the
     * last-seen time can be a repeat. By the same invariant a user without state has no scored event either (only
     * erasure removes a state, and it removes the user's scored events with it), so a new user's event is never a
     * repeat: no lookup (at a million users, half of the benchmark's events; benchmarks/README item 15).
     */
    static boolean canBeDuplicate(UserState state, long eventTimeMillis) {
        return !state.isNew() && eventTimeMillis <= state.windows().lastSeenMillis();
    }

    /**
     * {@link #canBeDuplicate(UserState, long)} on the user's state as stored ({@code null}: none), without decoding it:
     * for a step before scoring, in the same task, that must drop a repeat before it goes any further — the entity
     * routing with broadcast delivery, where this processor writes the scored event and the state in the same step
     * as the routing, so the invariant above holds there too. (Not on the round trip: there an event is routed a
     * commit or more before it is scored, and a repeat can arrive in between, while the state does not show it yet.)
     */
    public static boolean canBeDuplicate(byte[] storedState, long eventTimeMillis) {
        // a state that has seen no event has no last-seen time (Long.MIN_VALUE), which no event time is at or before
        return storedState != null && eventTimeMillis <= UserStateCodec.lastSeenMillis(storedState);
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

    /**
     * Replays the user's recent inputs through {@code model} from a zero state: the new model's view of the user.
     * Also used by {@link Recommender} to bring a stored state up to date on request (on a copy, never saved there).
     */
    static void rewarm(UserState state, LstmModel model) {
        state.resetRecurrentState();
        Interests.adoptCatalogue(model, state);
        int inputSize = model.featureSpec().inputSize();
        float[] replayed = new float[inputSize];
        float[] normalised = new float[inputSize];
        ModelInputs.missingEntities(model.featureSpec(), replayed);
        for (int age = 0; age < state.recentInputs().size(); age++) {
            state.recentInputs().get(age, replayed);
            model.featureSpec().normalise(replayed, normalised);
            Interests.replay(model, normalised, state, age);
        }
        state.markProducedBy(model.version());
    }

    /** Explains {@code score} of the {@code head}, and writes the alert that {@code build} makes of it. */
    private void raise(Record<String, InputRecord> record, UserEvent event, LstmModel model, UserState state,
            ToDoubleFunction<Scores> head, double score, Function<AlertFactory.EventScore, Alert> build) {
        List<AlertReason> reasons = EntityReasons.name(inputs.explainer().explain(model, inputs.raw(), previousHidden,
                previousCell, head, score, settings.alerts().reasons()), model.featureSpec().entities(), event);
        Alert alert = build.apply(new AlertFactory.EventScore(event, score, state.windows().lastSeenMillis(),
                model.version(), reasons));
        context.forward(record.withValue(alert));
        telemetry.alertRaised(alert);
    }

    /**
     * Copies the user's category profile before {@link Interests#complete} moves it on, when interest-shift alerts
     * are on and the user has one (into a scratch array: no allocation per event). False when there is none to
     * compare with, so no alert.
     */
    private boolean rememberProfile(UserState state) {
        float[] profile = state.categoryProfile();
        if (!settings.alerts().interestAlertsEnabled() || profile == null) {
            return false;
        }
        if (profileBefore.length != profile.length) {
            profileBefore = new float[profile.length];
        }
        System.arraycopy(profile, 0, profileBefore, 0, profile.length);
        return true;
    }

    private void raiseInterestShift(Record<String, InputRecord> record, UserEvent event, LstmModel model,
            UserState state, Scores scores, double shift) {
        if (profileBefore.length != scores.nextCategory.length) {
            return; // the profile was another catalogue's category list: complete() restarted it, no shift was measured
        }
        Alert alert = alerts.interestShift(new AlertFactory.InterestShift(new AlertFactory.EventScore(event, shift,
                state.windows().lastSeenMillis(), model.version(), List.of()), model.catalogue().categoryIds(),
                scores.nextCategory, profileBefore));
        context.forward(record.withValue(alert));
        telemetry.alertRaised(alert);
    }

    @Override
    public void close() {
        if (labels != null) {
            labels.close();
        }
        if (events != null) {
            events.close();
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
}

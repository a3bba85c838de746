package io.pulse.trainer.data;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.model.BehaviourWindows;
import io.pulse.model.FeatureEncoder;
import io.pulse.model.FeatureSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link History} turned into what the trainer, the baselines and the evaluation read: per user, the events in
 * event-time order (repeated event ids dropped, as the pipeline drops them), each encoded by the shared
 * {@link FeatureEncoder} over a fresh {@link BehaviourWindows} per user, exactly what the pipeline computes at run
 * time, with three labels per step.
 *
 * <p>With a feature spec that declares entities ({@link FeatureSpec#hasEntities()}), each step's input also carries
 * the entity window features the pipeline's entity tasks compute: one {@link EntityReplay} over all users' kept events
 * and the history's labels (each applied at its arrival time), whose block per event the encoder appends. Without
 * entities nothing changes.
 *
 * <h2>Labels</h2>
 * A step at event time {@code t} belongs to the period {@code t} falls in ({@link TimeSplit#periodOf}); that period's
 * end {@code E} is what is known when its loss is computed. With {@code t'} the time of the user's next event and
 * {@code H} the churn horizon:
 * <ul>
 *   <li><b>next action</b> = the type of the next event, if there is one and {@code t' < E}; else masked (the last
 *   event of a user, or a next event only the future knows).</li>
 *   <li><b>churn</b> = 1 if no event follows within H ({@code t' - t > H} or no next event), 0 otherwise; known only if
 *   {@code t + H <= E}, masked otherwise. This masks the negatives of the last H before E too, although their next
 *   event may already be seen: keeping them while the positives of the same steps are still unknown would bias churn
 *   downwards (at H = 7 days, a third of a 21-day training period).</li>
 *   <li><b>fraud</b> = 1 if a positive FRAUD label for the event was observed before E, else 0 (unlabelled events
 *   count as genuine); masked everywhere when the history has no fraud labels. A chargeback that arrives after E is
 *   unknown in that period, as it was in production at E. A model trained at a given time after its data ends
 *   ({@link #build(History, TimeSplit, Duration, FeatureSpec, Instant)}) knows the labels observed before the later
 *   of E and that time.</li>
 * </ul>
 * So the training loss never reads an outcome from after the training cut-off; validation and test steps are scored
 * after warming the state up through everything before them. Steps before {@link TimeSplit#from()} are context: every
 * label is masked there (their events still advance the windows, entity state and LSTM state), so a history can start
 * well before the first step worth learning from — e.g. while windows that reach 30 days back are still cold.
 *
 * <p>Normalisation ({@link #normalisedSpec()}) uses the training period's steps only.
 */
public final class TrainingData {

    private static final float MIN_STD = 1e-6f;

    private final History history;
    private final TimeSplit split;
    private final Duration churnHorizon;
    private final FeatureSpec spec;
    private final List<UserSequence> sequences;
    private final long duplicatesDropped;

    private TrainingData(History history, TimeSplit split, Duration churnHorizon, FeatureSpec spec,
            List<UserSequence> sequences, long duplicatesDropped) {
        this.history = history;
        this.spec = spec;
        this.split = split;
        this.churnHorizon = churnHorizon;
        this.sequences = List.copyOf(sequences);
        this.duplicatesDropped = duplicatesDropped;
    }

    /**
     * Splits the history's time range {@code [first event, end)} by the fractions and builds the sequences.
     *
     * @throws IllegalArgumentException if the history has no events
     */
    public static TrainingData build(History history, Duration churnHorizon, double trainFraction,
            double validationFraction) {
        return build(history, churnHorizon, trainFraction, validationFraction, FeatureSpec.v1());
    }

    /**
     * As {@link #build(History, Duration, double, double)}, encoding the features of {@code spec} (its entity
     * features too, if it declares entities; its normalisation is not used).
     *
     * @throws IllegalArgumentException if the history has no events
     */
    public static TrainingData build(History history, Duration churnHorizon, double trainFraction,
            double validationFraction, FeatureSpec spec) {
        if (history.events().isEmpty()) {
            throw new IllegalArgumentException("the history (" + history.source() + ") has no events to train on");
        }
        long first = history.events().stream().mapToLong(e -> e.getEventTime().toEpochMilli()).min().orElseThrow();
        TimeSplit split = TimeSplit.of(Instant.ofEpochMilli(first), history.end(), trainFraction,
                validationFraction);
        return build(history, split, churnHorizon, spec);
    }

    /** Builds the sequences of the version-1 features for a given split. */
    public static TrainingData build(History history, TimeSplit split, Duration churnHorizon) {
        return build(history, split, churnHorizon, FeatureSpec.v1());
    }

    /**
     * Builds the sequences of {@code spec}'s features for a given split: with entities, their features come from one
     * {@link EntityReplay} of every kept event and the history's labels.
     */
    public static TrainingData build(History history, TimeSplit split, Duration churnHorizon, FeatureSpec spec) {
        return build(history, split, churnHorizon, spec, Long.MIN_VALUE);
    }

    /**
     * As {@link #build(History, TimeSplit, Duration, FeatureSpec)} for a model trained at {@code trainedAt}, after
     * its data ends: a fraud target counts a label observed before the later of its period's end and
     * {@code trainedAt} (the labels that arrived between the data's end and the training are known then), while the
     * entity replay still applies every label at its own arrival ({@code observedAt}). A protocol that trains after
     * a label delay (the fraud handbook: trained a week after its data ends) keeps every label at its real arrival
     * time this way, and the entity features see each label only from then.
     *
     * @throws IllegalArgumentException if {@code trainedAt} is before the split's end
     */
    public static TrainingData build(History history, TimeSplit split, Duration churnHorizon, FeatureSpec spec,
            Instant trainedAt) {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(trainedAt, "trainedAt");
        if (trainedAt.isBefore(split.to())) {
            throw new IllegalArgumentException("the model must be trained after its data ends (" + split.to()
                    + "), got " + trainedAt);
        }
        return build(history, split, churnHorizon, spec, trainedAt.toEpochMilli());
    }

    private static TrainingData build(History history, TimeSplit split, Duration churnHorizon, FeatureSpec spec,
            long trainedAtMillis) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(spec, "spec");
        if (churnHorizon.isNegative() || churnHorizon.isZero()) {
            throw new IllegalArgumentException("the churn horizon must be positive, got " + churnHorizon);
        }
        Map<String, List<Label>> fraudLabels = new HashMap<>();
        for (Label label : history.labels()) {
            if (label.getKind() == LabelKind.FRAUD && label.getEventId() != null) {
                fraudLabels.computeIfAbsent(label.getEventId(), id -> new ArrayList<>(1)).add(label);
            }
        }
        // the first delivery of every event id, in arrival order
        List<UserEvent> kept = new ArrayList<>(history.events().size());
        Set<String> seenIds = new HashSet<>(history.events().size() * 2);
        long duplicates = 0;
        for (UserEvent event : history.events()) {
            if (!seenIds.add(event.getEventId())) {
                duplicates++;
                continue;
            }
            kept.add(event);
        }
        // entity state spans users: one replay of everything kept, before the per-user encoding reads its blocks
        EntityReplay entities = spec.hasEntities() ? EntityReplay.replay(spec.entities(), kept, history.labels())
                : null;
        // users in id order, events in arrival order within a user, then a stable sort by event time
        Map<String, List<Integer>> byUser = new TreeMap<>();
        for (int i = 0; i < kept.size(); i++) {
            byUser.computeIfAbsent(kept.get(i).getUserId(), u -> new ArrayList<>()).add(i);
        }
        FeatureEncoder encoder = new FeatureEncoder(spec);
        List<UserSequence> sequences = new ArrayList<>(byUser.size());
        for (Map.Entry<String, List<Integer>> user : byUser.entrySet()) {
            List<Integer> indices = user.getValue();
            indices.sort(Comparator.comparingLong(i -> kept.get(i).getEventTime().toEpochMilli()));
            sequences.add(sequence(user.getKey(), kept, indices, entities, encoder, split, churnHorizon.toMillis(),
                    history.fraudLabelled(), fraudLabels, trainedAtMillis));
        }
        return new TrainingData(history, split, churnHorizon, spec, sequences, duplicates);
    }

    private static UserSequence sequence(String userId, List<UserEvent> kept, List<Integer> indices,
            EntityReplay entities, FeatureEncoder encoder, TimeSplit split, long horizon, boolean fraudLabelled,
            Map<String, List<Label>> fraudLabels, long trainedAtMillis) {
        int n = indices.size();
        String[] ids = new String[n];
        long[] times = new long[n];
        byte[] types = new byte[n];
        float[][] raw = new float[n][encoder.spec().inputSize()];
        byte[] periods = new byte[n];
        byte[] next = new byte[n];
        byte[] churn = new byte[n];
        byte[] fraud = new byte[n];
        String[] items = new String[n];
        String[] categories = new String[n];
        BehaviourWindows windows = BehaviourWindows.empty();
        for (int i = 0; i < n; i++) {
            UserEvent event = kept.get(indices.get(i));
            ids[i] = event.getEventId();
            times[i] = event.getEventTime().toEpochMilli();
            types[i] = (byte) event.getType().ordinal();
            items[i] = event.getItemId();
            categories[i] = event.getCategory();
            // the pipeline's call, argument for argument (ScoreProcessor): absent amount or rating is NaN
            if (entities == null) {
                encoder.encode(event.getType(), times[i], orNaN(event.getAmount()), orNaN(event.getRating()), windows,
                        raw[i]);
            } else {
                encoder.encode(event.getType(), times[i], orNaN(event.getAmount()), orNaN(event.getRating()), windows,
                        entities.blocks(), entities.offset(indices.get(i)), raw[i]);
            }
            periods[i] = (byte) split.periodOf(times[i]).ordinal();
        }
        long labelsFrom = split.from().toEpochMilli();
        for (int i = 0; i < n; i++) {
            if (times[i] < labelsFrom) {
                // context before the split: it warms the windows and the state, nothing is learned from it
                next[i] = UserSequence.MASKED;
                churn[i] = UserSequence.MASKED;
                fraud[i] = UserSequence.MASKED;
                continue;
            }
            long known = split.endMillis(Period.values()[periods[i]]);
            boolean hasNext = i + 1 < n;
            next[i] = hasNext && times[i + 1] < known ? types[i + 1] : UserSequence.MASKED;
            if (times[i] + horizon <= known) {
                boolean returned = hasNext && times[i + 1] - times[i] <= horizon;
                churn[i] = (byte) (returned ? 0 : 1);
            } else {
                churn[i] = UserSequence.MASKED;
            }
            // a model trained after its data ends knows the labels that arrived until then
            long fraudKnown = Math.max(known, trainedAtMillis);
            fraud[i] = fraudLabelled ? (byte) (isKnownFraud(fraudLabels.get(ids[i]), fraudKnown) ? 1 : 0)
                    : UserSequence.MASKED;
        }
        return new UserSequence(userId, ids, times, types, raw, periods, next, churn, fraud, items, categories);
    }

    private static boolean isKnownFraud(List<Label> labels, long knownBefore) {
        if (labels == null) {
            return false;
        }
        for (Label label : labels) {
            if (label.getPositive() && label.getObservedAt().toEpochMilli() < knownBefore) {
                return true;
            }
        }
        return false;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static double orNaN(Float value) {
        return value == null ? Double.NaN : value;
    }

    /**
     * The feature spec the steps were encoded with (v1 unless given) normalised with the per-feature mean and standard
     * deviation of the training period's steps (a feature constant there gets std 1).
     *
     * @throws IllegalStateException if the training period has no steps
     */
    public FeatureSpec normalisedSpec() {
        int size = spec.inputSize();
        double[] sum = new double[size];
        double[] sumSquares = new double[size];
        long count = 0;
        for (UserSequence sequence : sequences) {
            for (int i = 0; i < sequence.length() && sequence.period(i) == Period.TRAIN; i++) {
                float[] x = sequence.raw(i);
                for (int f = 0; f < size; f++) {
                    sum[f] += x[f];
                    sumSquares[f] += (double) x[f] * x[f];
                }
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalStateException("the training period (before " + split.trainEnd() + ") has no events");
        }
        float[] mean = new float[size];
        float[] std = new float[size];
        for (int f = 0; f < size; f++) {
            double m = sum[f] / count;
            double variance = Math.max(0.0, sumSquares[f] / count - m * m);
            float s = (float) Math.sqrt(variance);
            mean[f] = (float) m;
            std[f] = s > MIN_STD && Float.isFinite(s) ? s : 1f;
        }
        return spec.withNormalisation(mean, std);
    }

    /** Counts of steps and labels in one period. */
    public PeriodSummary summary(Period period) {
        long steps = 0;
        long nextActions = 0;
        long churnLabels = 0;
        long churnPositives = 0;
        long fraudLabels = 0;
        long fraudPositives = 0;
        Set<String> users = new HashSet<>();
        for (UserSequence sequence : sequences) {
            for (int i = 0; i < sequence.length(); i++) {
                if (sequence.period(i) != period) {
                    continue;
                }
                steps++;
                users.add(sequence.userId());
                nextActions += sequence.nextAction(i) >= 0 ? 1 : 0;
                if (sequence.churn(i) >= 0) {
                    churnLabels++;
                    churnPositives += sequence.churn(i);
                }
                if (sequence.fraud(i) >= 0) {
                    fraudLabels++;
                    fraudPositives += sequence.fraud(i);
                }
            }
        }
        return new PeriodSummary(period, users.size(), steps, nextActions, churnLabels, churnPositives, fraudLabels,
                fraudPositives);
    }

    /**
     * Steps and labels of one period.
     *
     * @param users users with at least one event in the period
     */
    public record PeriodSummary(Period period, int users, long steps, long nextActionLabels, long churnLabels,
            long churnPositives, long fraudLabels, long fraudPositives) {
    }

    public History history() {
        return history;
    }

    public TimeSplit split() {
        return split;
    }

    public Duration churnHorizon() {
        return churnHorizon;
    }

    /** The feature spec the steps were encoded with (its normalisation unused; see {@link #normalisedSpec()}). */
    public FeatureSpec spec() {
        return spec;
    }

    /** One sequence per user, users in id order. */
    public List<UserSequence> sequences() {
        return sequences;
    }

    /** Whether the fraud head has labels. */
    public boolean fraudLabelled() {
        return history.fraudLabelled();
    }

    /** Events dropped because their event id had been seen before. */
    public long duplicatesDropped() {
        return duplicatesDropped;
    }

    /** Total number of steps (events kept). */
    public long steps() {
        long steps = 0;
        for (UserSequence sequence : sequences) {
            steps += sequence.length();
        }
        return steps;
    }

    /** The event type names, in ordinal order: the next-action classes. */
    public static List<String> nextActionClasses() {
        List<String> names = new ArrayList<>();
        for (EventType type : EventType.values()) {
            names.add(type.name());
        }
        return names;
    }
}

package io.pulse.trainer.data;

import io.pulse.contracts.EventType;
import io.pulse.model.BehaviourWindows;
import io.pulse.model.FeatureEncoder;
import io.pulse.model.FeatureSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link History} turned into what the trainer, the baselines and the evaluation read: per user, the events in
 * event-time order (a user's repeated event ids dropped, as the pipeline drops them), each encoded by the shared
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
 *   <li><b>fraud</b> = 1 if a positive FRAUD label for the event (its id, from its user) was observed before E,
 *   else 0 (unlabelled events count as genuine); masked everywhere when the history has no fraud labels. A
 *   chargeback that arrives after E is unknown in that period, as it was in production at E. A model trained at a
 *   given time after its data ends
 *   ({@link #build(History, TimeSplit, Duration, FeatureSpec, Instant)}) knows the labels observed before the later
 *   of E and that time.</li>
 * </ul>
 * So the training loss never reads an outcome from after the training cut-off; validation and test steps are scored
 * after warming the state up through everything before them. Steps before {@link TimeSplit#from()} are context: every
 * label is masked there (their events still advance the windows, entity state and LSTM state), so a history can start
 * well before the first step worth learning from — e.g. while windows that reach 30 days back are still cold.
 *
 * <p>Normalisation ({@link #normalisedSpec()}) uses the training period's steps only.
 *
 * <h2>Memory</h2>
 * The sequences live in a file, not the heap ({@link SequenceBuilder}: an external group-by of the event log by user,
 * in buckets of a bounded number of events; {@link SequenceStore}: one file and an index entry per user), and
 * {@link #sequences()} decodes a user's sequence when it is read. So what a round holds does not grow with the history
 * beyond one entry per user; a consumer that walks the list must not keep the sequences it has read. {@link #close()}
 * deletes the file (and at the latest the JVM's exit does).
 */
public final class TrainingData implements AutoCloseable {

    private static final float MIN_STD = 1e-6f;

    private final History history;
    private final TimeSplit split;
    private final Duration churnHorizon;
    private final FeatureSpec spec;
    private final SequenceStore store;
    private final long duplicatesDropped;
    private final PeriodSummary[] summaries;
    private FeatureSpec normalised;

    private TrainingData(History history, TimeSplit split, Duration churnHorizon, FeatureSpec spec,
            SequenceBuilder.Built built) {
        this.history = history;
        this.spec = spec;
        this.split = split;
        this.churnHorizon = churnHorizon;
        this.store = built.store();
        this.duplicatesDropped = built.duplicatesDropped();
        this.summaries = built.summaries();
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
        if (history.events().size() == 0) {
            throw new IllegalArgumentException("the history (" + history.source() + ") has no events to train on");
        }
        long first = history.events().oldestMillis();
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
        return new TrainingData(history, split, churnHorizon, spec,
                new SequenceBuilder(history, split, churnHorizon.toMillis(), spec, trainedAtMillis).build());
    }

    /**
     * The feature spec the steps were encoded with (v1 unless given) normalised with the per-feature mean and standard
     * deviation of the training period's steps (a feature constant there gets std 1).
     *
     * @throws IllegalStateException if the training period has no steps
     */
    public synchronized FeatureSpec normalisedSpec() {
        if (normalised == null) {
            normalised = normalise();
        }
        return normalised;
    }

    private FeatureSpec normalise() {
        int size = spec.inputSize();
        double[] sum = new double[size];
        double[] sumSquares = new double[size];
        long count = 0;
        for (UserSequence sequence : sequences()) {
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

    /** Counts of steps and labels in one period (counted when the sequences were built). */
    public PeriodSummary summary(Period period) {
        return summaries[period.ordinal()];
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

    /**
     * One sequence per user, users in id order: a read-only view that decodes each sequence from disk when it is
     * read (a few recent ones cached), so walk it rather than keep what it returns.
     */
    public List<UserSequence> sequences() {
        return store.sequences();
    }

    /** Deletes the sequences' file; the data cannot be read afterwards. */
    @Override
    public void close() {
        store.close();
    }

    /** Whether the fraud head has labels. */
    public boolean fraudLabelled() {
        return history.fraudLabelled();
    }

    /** Events dropped because their user's event id had been seen before. */
    public long duplicatesDropped() {
        return duplicatesDropped;
    }

    /** Total number of steps (events kept). */
    public long steps() {
        return store.steps();
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

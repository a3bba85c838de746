package io.pulse.trainer.interest;

import java.util.List;
import java.util.Locale;

/**
 * Item co-occurrence rules over the user's last few items:
 * {@code score(j) = sum over l = 1..L of decay^(l-1) * (after_W(h[-l], j) + backward * before_W(h[-l], j))}, where
 * {@code h[-1]} is the most recent history item, {@code after_W(i, j)} counts the times j came 1 to W positions after
 * i in a training sequence and {@code before_W(i, j)} the times it came 1 to W positions before; back-filled (and
 * ties broken) by popularity. W = 1, L = 1, backward = 0 is the first-order {@link MarkovRanker}. The four
 * hyperparameters are meant to be chosen on validation targets ({@link BaselineReport} does).
 *
 * <p>{@link #weighted} is the family of the prior Pulse serves ({@link CooccurrencePriors}): {@code after_W(i, j)}
 * weighs each pair by 1/distance ({@link FollowerCounts#byDistance}) and {@code similarity} times the items' cosine
 * similarity ({@link FollowerCounts#together}) is added in place of the backward counts.
 */
public final class CooccurrenceRanker extends BackfilledRanker {

    private final int window;
    private final int lastItems;
    private final double decay;
    private final double backward;
    private final boolean servedFamily;
    private final double similarity;
    private FollowerCounts after;
    private FollowerCounts before;

    /**
     * @param window W, how many positions after an item still count as following it (>= 1)
     * @param lastItems L, how many of the user's most recent items vote (>= 1)
     * @param decay the weight of each older item relative to the next more recent one, in (0, 1]
     * @param backward the weight of "j came before i" relative to "j came after i", in [0, 1]
     */
    public CooccurrenceRanker(int window, int lastItems, double decay, double backward) {
        this(window, lastItems, decay, backward, false, 0);
    }

    /**
     * The follower weights by 1/distance plus {@code similarity} (>= 0) times the item-to-item similarity of items a
     * user had within {@link CooccurrencePriors#SIMILARITY_REACH} positions; no backward counts.
     */
    public static CooccurrenceRanker weighted(int window, int lastItems, double decay, double similarity) {
        if (!(similarity >= 0)) {
            throw new IllegalArgumentException("similarity must be >= 0: " + similarity);
        }
        return new CooccurrenceRanker(window, lastItems, decay, 0, true, similarity);
    }

    private CooccurrenceRanker(int window, int lastItems, double decay, double backward, boolean servedFamily,
            double similarity) {
        if (window < 1 || lastItems < 1) {
            throw new IllegalArgumentException("window and lastItems must be >= 1: " + window + ", " + lastItems);
        }
        if (!(decay > 0 && decay <= 1) || !(backward >= 0 && backward <= 1)) {
            throw new IllegalArgumentException("decay must be in (0, 1] and backward in [0, 1]: " + decay + ", "
                    + backward);
        }
        this.window = window;
        this.lastItems = lastItems;
        this.decay = decay;
        this.backward = backward;
        this.servedFamily = servedFamily;
        this.similarity = similarity;
    }

    @Override
    public String name() {
        if (servedFamily) {
            return String.format(Locale.ROOT, "co-occurrence by 1/distance W=%d L=%d decay=%s + similarity %s",
                    window, lastItems, format(decay), format(similarity));
        }
        return String.format(Locale.ROOT, "co-occurrence W=%d L=%d decay=%s backward=%s", window, lastItems,
                format(decay), format(backward));
    }

    @Override
    void fitHistoryModel(List<int[]> sequences, int vocabularySize) {
        if (servedFamily) {
            after = CooccurrencePriors.weights(sequences, vocabularySize, window, similarity);
            before = null;
            return;
        }
        after = FollowerCounts.count(sequences, vocabularySize, window, false);
        before = backward > 0 ? FollowerCounts.count(sequences, vocabularySize, window, true) : null;
    }

    @Override
    void addHistoryScores(int[] history, double[] scoresOut) {
        double weight = 1;
        for (int l = 1; l <= Math.min(lastItems, history.length); l++) {
            int item = history[history.length - l];
            after.addRow(item, weight, scoresOut);
            if (before != null) {
                before.addRow(item, weight * backward, scoresOut);
            }
            weight *= decay;
        }
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}

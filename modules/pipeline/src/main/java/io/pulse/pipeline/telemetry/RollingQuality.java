package io.pulse.pipeline.telemetry;

import java.util.Arrays;

/**
 * Rolling quality of one head of one model version over its last {@code capacity} labelled predictions: ROC AUC
 * (rank-based, ties counted half) and log-loss. Thread-safe; recording is O(1), reading sorts the window.
 */
public final class RollingQuality {

    private static final double EPSILON = 1e-7;

    private final double[] scores;
    private final boolean[] labels;
    private int next;
    private int size;
    private long total;

    public RollingQuality(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2, was " + capacity);
        }
        this.scores = new double[capacity];
        this.labels = new boolean[capacity];
    }

    public synchronized void record(double score, boolean positive) {
        scores[next] = score;
        labels[next] = positive;
        next = (next + 1) % scores.length;
        size = Math.min(size + 1, scores.length);
        total++;
    }

    /** Labels seen since start (not only in the window). */
    public synchronized long total() {
        return total;
    }

    /** Mean binary cross-entropy over the window; NaN when empty. */
    public synchronized double logLoss() {
        if (size == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double p = Math.min(1 - EPSILON, Math.max(EPSILON, scores[i]));
            sum -= labels[i] ? Math.log(p) : Math.log(1 - p);
        }
        return sum / size;
    }

    /** ROC AUC over the window (Mann–Whitney U); NaN until both classes are present. */
    public synchronized double auc() {
        int positives = 0;
        for (int i = 0; i < size; i++) {
            if (labels[i]) {
                positives++;
            }
        }
        int negatives = size - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPositives = 0;
        int i = 0;
        while (i < size) {
            int j = i;
            while (j + 1 < size && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1; // ranks are 1-based; ties share their mean rank
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    rankSumPositives += averageRank;
                }
            }
            i = j + 1;
        }
        double u = rankSumPositives - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }
}

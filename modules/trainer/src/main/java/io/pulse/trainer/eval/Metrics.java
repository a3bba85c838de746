package io.pulse.trainer.eval;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * Classification metrics, defined as scikit-learn defines them (natural logarithms, probabilities clipped to
 * [1e-15, 1 - 1e-15]): accuracy, macro-averaged F1 over the classes present in the labels or predictions, categorical
 * and binary log-loss, ROC AUC (ties count one half), average precision ({@code sum_n (R_n - R_{n-1}) P_n} over
 * distinct thresholds), and the ROC and precision-recall curves.
 */
public final class Metrics {

    public static final double EPSILON = 1e-15;

    private Metrics() {
    }

    /** Share of {@code predicted[i] == actual[i]}; NaN if empty. */
    public static double accuracy(int[] actual, int[] predicted) {
        requireSameLength(actual.length, predicted.length);
        if (actual.length == 0) {
            return Double.NaN;
        }
        long correct = 0;
        for (int i = 0; i < actual.length; i++) {
            correct += actual[i] == predicted[i] ? 1 : 0;
        }
        return (double) correct / actual.length;
    }

    /**
     * Unweighted mean of per-class F1 ({@code 2 tp / (2 tp + fp + fn)}) over every class that occurs in
     * {@code actual} or {@code predicted}; NaN if empty.
     */
    public static double macroF1(int[] actual, int[] predicted) {
        requireSameLength(actual.length, predicted.length);
        if (actual.length == 0) {
            return Double.NaN;
        }
        TreeSet<Integer> classes = new TreeSet<>();
        for (int i = 0; i < actual.length; i++) {
            classes.add(actual[i]);
            classes.add(predicted[i]);
        }
        double sum = 0;
        for (int c : classes) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (int i = 0; i < actual.length; i++) {
                boolean isActual = actual[i] == c;
                boolean isPredicted = predicted[i] == c;
                tp += isActual && isPredicted ? 1 : 0;
                fp += !isActual && isPredicted ? 1 : 0;
                fn += isActual && !isPredicted ? 1 : 0;
            }
            sum += 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return sum / classes.size();
    }

    /** Index of the largest probability of each row. */
    /** The index of the largest value (the first of equals). */
    public static int argMax(float[] row) {
        int b = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[b]) {
                b = c;
            }
        }
        return b;
    }

    /**
     * Categorical log-loss from the probability each step's distribution gave its actual class: the same figure as
     * {@link #logLoss(float[][], int[])} without holding the distributions.
     */
    public static double logLoss(float[] probabilityOfActual) {
        if (probabilityOfActual.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (float p : probabilityOfActual) {
            sum -= Math.log(clip(p));
        }
        return sum / probabilityOfActual.length;
    }

    public static int[] argMax(float[][] probabilities) {
        int[] best = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            best[i] = argMax(probabilities[i]);
        }
        return best;
    }

    /** Mean of {@code -ln p[i][actual[i]]}; NaN if empty. */
    public static double logLoss(float[][] probabilities, int[] actual) {
        requireSameLength(actual.length, probabilities.length);
        if (actual.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum -= Math.log(clip(probabilities[i][actual[i]]));
        }
        return sum / actual.length;
    }

    /** Mean binary log-loss of {@code p[i]} = P(actual[i] == 1); NaN if empty. */
    public static double logLoss(double[] probabilities, int[] actual) {
        requireSameLength(actual.length, probabilities.length);
        if (actual.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum -= Math.log(clip(actual[i] == 1 ? probabilities[i] : 1 - probabilities[i]));
        }
        return sum / actual.length;
    }

    /**
     * Area under the ROC curve: the probability that a random positive scores higher than a random negative, ties
     * counting one half (Mann-Whitney U with mid-ranks); NaN unless both classes occur.
     */
    public static double rocAuc(double[] scores, int[] actual) {
        requireSameLength(actual.length, scores.length);
        Integer[] order = ascending(scores);
        long positives = 0;
        double positiveRankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (actual[order[k]] == 1) {
                    positives++;
                    positiveRankSum += midRank;
                }
            }
            i = j + 1;
        }
        long negatives = actual.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Average precision: {@code sum_n (R_n - R_{n-1}) P_n} over distinct thresholds, descending; NaN without positives. */
    public static double averagePrecision(double[] scores, int[] actual) {
        Curve pr = precisionRecall(scores, actual);
        if (pr == null) {
            return Double.NaN;
        }
        double ap = 0;
        double previousRecall = 0;
        for (int i = 0; i < pr.x().length; i++) {
            ap += (pr.x()[i] - previousRecall) * pr.y()[i];
            previousRecall = pr.x()[i];
        }
        return ap;
    }

    /** ROC curve from (0, 0) to (1, 1), one point per distinct threshold; null unless both classes occur. */
    public static Curve roc(double[] scores, int[] actual) {
        requireSameLength(actual.length, scores.length);
        long positives = Arrays.stream(actual).filter(a -> a == 1).count();
        long negatives = actual.length - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        Integer[] order = descending(scores);
        double[] fpr = new double[order.length + 1];
        double[] tpr = new double[order.length + 1];
        int points = 1;
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < order.length; i++) {
            if (actual[order[i]] == 1) {
                tp++;
            } else {
                fp++;
            }
            if (i + 1 == order.length || scores[order[i + 1]] != scores[order[i]]) {
                fpr[points] = (double) fp / negatives;
                tpr[points] = (double) tp / positives;
                points++;
            }
        }
        return new Curve(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points));
    }

    /**
     * Precision-recall points (x = recall, y = precision), one per distinct threshold from the highest score down;
     * null without positives.
     */
    public static Curve precisionRecall(double[] scores, int[] actual) {
        requireSameLength(actual.length, scores.length);
        long positives = Arrays.stream(actual).filter(a -> a == 1).count();
        if (positives == 0) {
            return null;
        }
        Integer[] order = descending(scores);
        double[] recall = new double[order.length];
        double[] precision = new double[order.length];
        int points = 0;
        long tp = 0;
        for (int i = 0; i < order.length; i++) {
            tp += actual[order[i]] == 1 ? 1 : 0;
            if (i + 1 == order.length || scores[order[i + 1]] != scores[order[i]]) {
                recall[points] = (double) tp / positives;
                precision[points] = (double) tp / (i + 1);
                points++;
            }
        }
        return new Curve(Arrays.copyOf(recall, points), Arrays.copyOf(precision, points));
    }

    private static Integer[] ascending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        return order;
    }

    private static Integer[] descending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        return order;
    }

    /** {@code p} clipped to [EPSILON, 1 - EPSILON], as every log-loss here reads it. */
    static double clip(double p) {
        return Math.min(1 - EPSILON, Math.max(EPSILON, p));
    }

    private static void requireSameLength(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("labels and predictions must have the same length, were " + a + " and "
                    + b);
        }
    }
}

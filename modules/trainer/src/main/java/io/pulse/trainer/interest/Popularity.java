package io.pulse.trainer.interest;

import java.util.List;

/**
 * Occurrence counts and the popularity back-fill the rule-based rankers share. The back-fill adds
 * {@code BACKFILL_WEIGHT * count / (maxCount + 1)}, always below {@code 1e-6}: it orders the elements a rule leaves
 * at zero, and the rule's ties, by popularity, and never reorders elements whose rule scores differ (the rules' scores
 * are sums of counts times weights of at least {@code 1e-3}).
 */
final class Popularity {

    static final double BACKFILL_WEIGHT = 1e-6;

    private Popularity() {
    }

    /** How often each element occurs in {@code sequences}, checking every element is in the vocabulary. */
    static long[] counts(List<int[]> sequences, int vocabularySize) {
        long[] counts = new long[vocabularySize];
        for (int[] sequence : sequences) {
            for (int element : sequence) {
                check(element, vocabularySize);
                counts[element]++;
            }
        }
        return counts;
    }

    /** The back-fill vector for {@code counts}: each in {@code [0, BACKFILL_WEIGHT)}, in the order of the counts. */
    static double[] backfill(long[] counts) {
        long max = 0;
        for (long count : counts) {
            max = Math.max(max, count);
        }
        double[] backfill = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            backfill[i] = BACKFILL_WEIGHT * counts[i] / (max + 1.0);
        }
        return backfill;
    }

    static void check(int element, int vocabularySize) {
        if (element < 0 || element >= vocabularySize) {
            throw new IllegalArgumentException("element " + element + " outside the vocabulary 0.." + (vocabularySize - 1));
        }
    }

    static void requireFitted(Object fitted) {
        if (fitted == null) {
            throw new IllegalStateException("fit the ranker before scoring");
        }
    }
}

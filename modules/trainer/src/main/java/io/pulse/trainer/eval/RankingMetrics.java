package io.pulse.trainer.eval;

import java.util.Arrays;
import java.util.BitSet;
import java.util.function.IntToDoubleFunction;

/**
 * Ranking metrics for next-item evaluation with one relevant item per user (leave-one-out): the target's rank among
 * all items that are not excluded (the user's history), and from it HR@K (1 if rank <= K) and NDCG@K
 * ({@code 1 / log2(rank + 1)} if rank <= K, else 0; with one relevant item the ideal DCG is 1). Ranks start at 1 and
 * ties are broken deterministically: among equal scores the lower item index ranks first, as the pipeline's top-K
 * selection ({@code LstmModel.nextItems}) orders them. An instance averages the metrics over users at fixed cut-offs.
 *
 * <pre>{@code
 * RankingMetrics metrics = new RankingMetrics(10, 20);
 * metrics.add(RankingMetrics.rank(scores, target, history));
 * metrics.hitRate(10); metrics.ndcg(10);
 * }</pre>
 */
public final class RankingMetrics {

    private final int[] cutoffs;
    private final double[] hits;
    private final double[] gains;
    private long users;
    private long misses;

    /** An empty average at the given cut-offs (each >= 1). */
    public RankingMetrics(int... cutoffs) {
        if (cutoffs.length == 0) {
            throw new IllegalArgumentException("at least one cut-off");
        }
        for (int k : cutoffs) {
            if (k < 1) {
                throw new IllegalArgumentException("cut-offs must be >= 1: " + k);
            }
        }
        this.cutoffs = cutoffs.clone();
        this.hits = new double[cutoffs.length];
        this.gains = new double[cutoffs.length];
    }

    /**
     * The 1-based rank of {@code target} among the items not in {@code excluded}: 1 + the number of such items with a
     * higher score, or an equal score and a lower index.
     *
     * @throws IllegalArgumentException if the target is excluded (it could never be recommended, so a rank would be
     *     meaningless: the caller decides what such a user counts as) or its score is NaN
     */
    public static int rank(double[] scores, int target, BitSet excluded) {
        return rank(item -> scores[item], scores.length, target, excluded);
    }

    /**
     * {@link #rank(double[], int, BitSet)} for float scores (a model's output). Widening a float to a double is exact
     * and keeps every order and tie, so both count the same.
     */
    public static int rank(float[] scores, int target, BitSet excluded) {
        return rank(item -> scores[item], scores.length, target, excluded);
    }

    private static int rank(IntToDoubleFunction scores, int items, int target, BitSet excluded) {
        checkTarget(target, items, excluded);
        double score = scores.applyAsDouble(target);
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("NaN score for the target " + target);
        }
        int better = 0;
        for (int item = 0; item < target; item++) {
            better += scores.applyAsDouble(item) >= score ? 1 : 0;
        }
        for (int item = target + 1; item < items; item++) {
            better += scores.applyAsDouble(item) > score ? 1 : 0;
        }
        // the excluded items are few (a user's history): take back those counted above
        for (int item = excluded.nextSetBit(0); item >= 0 && item < items; item = excluded.nextSetBit(item + 1)) {
            double other = scores.applyAsDouble(item);
            better -= other > score || (other == score && item < target) ? 1 : 0;
        }
        return better + 1;
    }

    /** HR@K for one target: 1 if {@code rank <= k}, else 0. */
    public static double hitAt(int rank, int k) {
        checkRank(rank);
        return rank <= k ? 1 : 0;
    }

    /** NDCG@K for one relevant item: {@code 1 / log2(rank + 1)} if {@code rank <= k}, else 0. */
    public static double ndcgAt(int rank, int k) {
        checkRank(rank);
        return rank <= k ? Math.log(2) / Math.log(rank + 1.0) : 0;
    }

    /** Adds one user whose target ranked {@code rank} (1-based). */
    public void add(int rank) {
        checkRank(rank);
        users++;
        for (int i = 0; i < cutoffs.length; i++) {
            hits[i] += hitAt(rank, cutoffs[i]);
            gains[i] += ndcgAt(rank, cutoffs[i]);
        }
    }

    /** Adds one user whose target could not be ranked at all (e.g. filtered as already seen): a miss at every K. */
    public void addMiss() {
        users++;
        misses++;
    }

    /** Adds another average's users to this one (same cut-offs). */
    public void addAll(RankingMetrics other) {
        if (!Arrays.equals(cutoffs, other.cutoffs)) {
            throw new IllegalArgumentException("different cut-offs: " + Arrays.toString(cutoffs) + " and "
                    + Arrays.toString(other.cutoffs));
        }
        users += other.users;
        misses += other.misses;
        for (int i = 0; i < cutoffs.length; i++) {
            hits[i] += other.hits[i];
            gains[i] += other.gains[i];
        }
    }

    /** Users added so far. */
    public long users() {
        return users;
    }

    /** Users added with {@link #addMiss()}. */
    public long misses() {
        return misses;
    }

    /** Mean HR@K over the users; NaN if none. */
    public double hitRate(int k) {
        return users == 0 ? Double.NaN : hits[indexOf(k)] / users;
    }

    /** Mean NDCG@K over the users; NaN if none. */
    public double ndcg(int k) {
        return users == 0 ? Double.NaN : gains[indexOf(k)] / users;
    }

    /** The cut-offs this average keeps. */
    public int[] cutoffs() {
        return cutoffs.clone();
    }

    private int indexOf(int k) {
        for (int i = 0; i < cutoffs.length; i++) {
            if (cutoffs[i] == k) {
                return i;
            }
        }
        throw new IllegalArgumentException("no cut-off " + k + " in " + Arrays.toString(cutoffs));
    }

    private static void checkTarget(int target, int items, BitSet excluded) {
        if (target < 0 || target >= items) {
            throw new IllegalArgumentException("target " + target + " outside the " + items + " scored items");
        }
        if (excluded.get(target)) {
            throw new IllegalArgumentException("target " + target
                    + " is excluded from the ranking (it is in the user's history): it cannot be ranked");
        }
    }

    private static void checkRank(int rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("ranks start at 1: " + rank);
        }
    }
}

package io.pulse.trainer.interest;

import java.util.List;

/**
 * Scores every element of a vocabulary {@code 0..n-1} (items, or categories at one level) as the next one in a user's
 * sequence. {@link #fit} learns from training sequences; {@link #score} then fills one score per element, higher is
 * more likely; the caller ranks (ties: lower index first, see {@link io.pulse.trainer.eval.RankingMetrics}) and
 * removes what it must (e.g. seen items). Scores are doubles so that a back-fill can order the items a rule leaves
 * unscored without disturbing the rule's own order. A fitted ranker scores from any thread if it keeps no scratch
 * state; the baselines here keep none.
 */
public interface SequenceRanker {

    /** A short name for reports, with the hyperparameters, e.g. {@code "co-occurrence W=3 L=3"}. */
    String name();

    /**
     * Learns from {@code sequences} (each in time order, elements in {@code 0..vocabularySize-1}); a second call starts
     * afresh.
     */
    void fit(List<int[]> sequences, int vocabularySize);

    /**
     * Fills {@code scoresOut} (length = the vocabulary size) with the score of each element as the one following
     * {@code history} (time order, possibly empty).
     */
    void score(int[] history, double[] scoresOut);
}

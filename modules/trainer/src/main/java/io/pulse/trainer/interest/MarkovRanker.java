package io.pulse.trainer.interest;

import java.util.List;

/**
 * First-order Markov chain: scores j by how often j directly followed the history's last element in the training
 * sequences, back-filled (and ties broken) by popularity; an empty history gets popularity alone. On categories this
 * is the category Markov baseline.
 */
public final class MarkovRanker implements SequenceRanker {

    private FollowerCounts transitions;
    private double[] backfill;

    @Override
    public String name() {
        return "Markov chain";
    }

    @Override
    public void fit(List<int[]> sequences, int vocabularySize) {
        backfill = Popularity.backfill(Popularity.counts(sequences, vocabularySize));
        transitions = FollowerCounts.count(sequences, vocabularySize, 1, false);
    }

    @Override
    public void score(int[] history, double[] scoresOut) {
        Popularity.requireFitted(transitions);
        System.arraycopy(backfill, 0, scoresOut, 0, backfill.length);
        if (history.length > 0) {
            transitions.addRow(history[history.length - 1], 1, scoresOut);
        }
    }
}

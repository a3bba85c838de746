package io.pulse.trainer.interest;

import java.util.List;

/**
 * First-order Markov chain: scores j by how often j directly followed the history's last element in the training
 * sequences, back-filled (and ties broken) by popularity; an empty history gets popularity alone. On categories this
 * is the category Markov baseline.
 */
public final class MarkovRanker extends BackfilledRanker {

    private FollowerCounts transitions;

    @Override
    public String name() {
        return "Markov chain";
    }

    @Override
    void fitHistoryModel(List<int[]> sequences, int vocabularySize) {
        transitions = FollowerCounts.count(sequences, vocabularySize, 1, false);
    }

    @Override
    void addHistoryScores(int[] history, double[] scoresOut) {
        if (history.length > 0) {
            transitions.addRow(history[history.length - 1], 1, scoresOut);
        }
    }
}

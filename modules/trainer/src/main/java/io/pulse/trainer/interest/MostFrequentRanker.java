package io.pulse.trainer.interest;

/**
 * Scores each element by how often it occurs in the user's own history (for categories: the user's most frequent
 * category first), ties and the rest ordered by overall popularity.
 */
public final class MostFrequentRanker extends BackfilledRanker {

    @Override
    public String name() {
        return "user's most frequent";
    }

    @Override
    void addHistoryScores(int[] history, double[] scoresOut) {
        for (int element : history) {
            scoresOut[element] += 1;
        }
    }
}

package io.pulse.trainer.interest;

import java.util.List;

/**
 * Scores each element by how often it occurs in the user's own history (for categories: the user's most frequent
 * category first), ties and the rest ordered by overall popularity.
 */
public final class MostFrequentRanker implements SequenceRanker {

    private double[] backfill;

    @Override
    public String name() {
        return "user's most frequent";
    }

    @Override
    public void fit(List<int[]> sequences, int vocabularySize) {
        backfill = Popularity.backfill(Popularity.counts(sequences, vocabularySize));
    }

    @Override
    public void score(int[] history, double[] scoresOut) {
        Popularity.requireFitted(backfill);
        System.arraycopy(backfill, 0, scoresOut, 0, backfill.length);
        for (int element : history) {
            scoresOut[element] += 1;
        }
    }
}

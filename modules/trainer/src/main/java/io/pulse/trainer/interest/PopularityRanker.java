package io.pulse.trainer.interest;

import java.util.List;

/** Scores each element by how often it occurs in the training sequences, whoever the user is. */
public final class PopularityRanker implements SequenceRanker {

    private long[] counts;

    @Override
    public String name() {
        return "popularity";
    }

    @Override
    public void fit(List<int[]> sequences, int vocabularySize) {
        counts = Popularity.counts(sequences, vocabularySize);
    }

    @Override
    public void score(int[] history, double[] scoresOut) {
        Popularity.requireFitted(counts);
        for (int i = 0; i < counts.length; i++) {
            scoresOut[i] = counts[i];
        }
    }
}

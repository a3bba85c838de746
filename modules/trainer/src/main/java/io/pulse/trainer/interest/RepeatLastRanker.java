package io.pulse.trainer.interest;

import java.util.List;

/**
 * Predicts that the next element repeats the history's last one (for categories: the user stays in the category of
 * their last item), the rest back-filled by popularity.
 */
public final class RepeatLastRanker implements SequenceRanker {

    private double[] backfill;

    @Override
    public String name() {
        return "repeat last";
    }

    @Override
    public void fit(List<int[]> sequences, int vocabularySize) {
        backfill = Popularity.backfill(Popularity.counts(sequences, vocabularySize));
    }

    @Override
    public void score(int[] history, double[] scoresOut) {
        Popularity.requireFitted(backfill);
        System.arraycopy(backfill, 0, scoresOut, 0, backfill.length);
        if (history.length > 0) {
            scoresOut[history[history.length - 1]] += 1;
        }
    }
}

package io.pulse.trainer.interest;

import java.util.List;

/**
 * The rankers that start every score from popularity and add what the user's history says on top: popularity breaks
 * their ties and orders every element the history says nothing about. A subclass learns its own counts in
 * {@link #fitHistoryModel} and adds its votes in {@link #addHistoryScores}.
 */
abstract class BackfilledRanker implements SequenceRanker {

    private double[] backfill;

    @Override
    public final void fit(List<int[]> sequences, int vocabularySize) {
        backfill = Popularity.backfill(Popularity.counts(sequences, vocabularySize));
        fitHistoryModel(sequences, vocabularySize);
    }

    /** Learns whatever else the ranker needs from the training sequences; nothing by default. */
    void fitHistoryModel(List<int[]> sequences, int vocabularySize) {
    }

    @Override
    public final void score(int[] history, double[] scoresOut) {
        Popularity.requireFitted(backfill);
        System.arraycopy(backfill, 0, scoresOut, 0, backfill.length);
        addHistoryScores(history, scoresOut);
    }

    /** Adds the history's votes to {@code scoresOut}, which holds the popularity back-fill. */
    abstract void addHistoryScores(int[] history, double[] scoresOut);
}

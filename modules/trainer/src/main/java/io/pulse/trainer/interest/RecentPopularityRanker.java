package io.pulse.trainer.interest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores each element by how often it occurs among the last {@code lastPerUser} elements of each training sequence,
 * back-filled by overall popularity. The public sequence files carry no times (Beauty is in time order per user
 * only), so "recent" is by position: each user's most recent interactions stand for the recent part of the data. With
 * event times (the pipeline) the same idea is a sliding time window over all users' events.
 */
public final class RecentPopularityRanker implements SequenceRanker {

    private final int lastPerUser;
    private double[] scores;

    /** Counts the last {@code lastPerUser} (>= 1) elements of each training sequence. */
    public RecentPopularityRanker(int lastPerUser) {
        if (lastPerUser < 1) {
            throw new IllegalArgumentException("lastPerUser must be >= 1: " + lastPerUser);
        }
        this.lastPerUser = lastPerUser;
    }

    @Override
    public String name() {
        return "recent popularity (last " + lastPerUser + " per user)";
    }

    @Override
    public void fit(List<int[]> sequences, int vocabularySize) {
        double[] backfill = Popularity.backfill(Popularity.counts(sequences, vocabularySize));
        List<int[]> recent = new ArrayList<>(sequences.size());
        for (int[] sequence : sequences) {
            recent.add(Arrays.copyOfRange(sequence, Math.max(0, sequence.length - lastPerUser),
                    sequence.length));
        }
        long[] recentCounts = Popularity.counts(recent, vocabularySize);
        scores = new double[vocabularySize];
        for (int i = 0; i < vocabularySize; i++) {
            scores[i] = recentCounts[i] + backfill[i];
        }
    }

    @Override
    public void score(int[] history, double[] scoresOut) {
        Popularity.requireFitted(scores);
        System.arraycopy(scores, 0, scoresOut, 0, scores.length);
    }
}

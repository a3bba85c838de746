package io.pulse.trainer.interest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The sparse part of the ranking Pulse serves, without the network, as a baseline: {@code log(1 + votes)} of a
 * {@link CooccurrenceRanker} of the served prior's family, plus {@code category × log(1 + n_c)} on every item of
 * category c and {@code brand × log(1 + n_b)} on every item of brand b, n counting the user's distinct history items
 * in that category (brand); back-filled (and ties broken) by popularity. What the served ranking
 * ({@link RankingWeights}) would be with a network that says nothing, so that the network's own contribution shows.
 */
final class AffinityRanker extends BackfilledRanker {

    private final CooccurrenceRanker votes;
    private final int[] categoryOf;
    private final double category;
    private final int[] brandOf;
    private final double brand;
    private final int[] categoryCounts;
    private final int[] brandCounts;
    private double[] voteScores;

    /**
     * @param votes      the co-occurrence votes (a ranker of the served family, not fitted)
     * @param categoryOf each item index's category number, -1 for none
     * @param category   the category affinity's weight, >= 0
     * @param brandOf    each item index's brand number, -1 for none
     * @param brand      the brand affinity's weight, >= 0
     */
    AffinityRanker(CooccurrenceRanker votes, int[] categoryOf, double category, int[] brandOf, double brand) {
        if (!(category >= 0) || !(brand >= 0)) {
            throw new IllegalArgumentException("affinity weights must be >= 0: " + category + ", " + brand);
        }
        this.votes = votes;
        this.categoryOf = categoryOf;
        this.category = category;
        this.brandOf = brandOf;
        this.brand = brand;
        this.categoryCounts = new int[Arrays.stream(categoryOf).max().orElse(-1) + 1];
        this.brandCounts = new int[Arrays.stream(brandOf).max().orElse(-1) + 1];
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "%s, log(1 + votes) + category affinity %s + brand affinity %s",
                votes.name(), category, brand);
    }

    @Override
    void fitHistoryModel(List<int[]> sequences, int vocabularySize) {
        votes.fitHistoryModel(sequences, vocabularySize);
        voteScores = new double[vocabularySize];
    }

    @Override
    void addHistoryScores(int[] history, double[] scoresOut) {
        Arrays.fill(voteScores, 0);
        votes.addHistoryScores(history, voteScores);
        for (int item = 0; item < voteScores.length; item++) {
            if (voteScores[item] > 0) {
                scoresOut[item] += Math.log1p(voteScores[item]);
            }
        }
        Arrays.fill(categoryCounts, 0);
        Arrays.fill(brandCounts, 0);
        for (int item : Arrays.stream(history).distinct().toArray()) {
            if (categoryOf[item] >= 0) {
                categoryCounts[categoryOf[item]]++;
            }
            if (brandOf[item] >= 0) {
                brandCounts[brandOf[item]]++;
            }
        }
        for (int item = 0; item < scoresOut.length; item++) {
            if (categoryOf[item] >= 0 && categoryCounts[categoryOf[item]] > 0) {
                scoresOut[item] += category * Math.log1p(categoryCounts[categoryOf[item]]);
            }
            if (brandOf[item] >= 0 && brandCounts[brandOf[item]] > 0) {
                scoresOut[item] += brand * Math.log1p(brandCounts[brandOf[item]]);
            }
        }
    }
}

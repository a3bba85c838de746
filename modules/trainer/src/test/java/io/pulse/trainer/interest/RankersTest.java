package io.pulse.trainer.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RankersTest {

    /** Counts: item 0 twice, 1 three times, 2 twice, 3 once, 4 never; 0->1 twice, 1->2 twice, 1->3 once. */
    private static final List<int[]> TRAINING = List.of(new int[] {0, 1, 2}, new int[] {0, 1, 3}, new int[] {1, 2});
    private static final int ITEMS = 5;

    @Test
    void shouldScorePopularityAsTrainingCounts() {
        assertThat(scores(new PopularityRanker(), new int[] {4})).containsExactly(2, 3, 2, 1, 0);
    }

    @Test
    void shouldCountOnlyEachUsersLastItemsForRecentPopularity() {
        // last items: 2, 3, 2 -> 2 twice, 3 once; then overall popularity: 1 (three), 0 (two), 4 (none)
        assertThat(order(scores(new RecentPopularityRanker(1), new int[0]))).containsExactly(2, 3, 1, 0, 4);
        // last two: (1, 2), (1, 3), (1, 2) -> 1 three times, 2 twice, 3 once
        assertThat(order(scores(new RecentPopularityRanker(2), new int[0]))).containsExactly(1, 2, 3, 0, 4);
    }

    @Test
    void shouldFollowTheLastItemInTheMarkovChainAndBackFillByPopularity() {
        double[] scores = scores(new MarkovRanker(), new int[] {0, 1});

        // 1->2 twice, 1->3 once; the rest by popularity (1: 3, 0: 2, 4: 0)
        assertThat(order(scores)).containsExactly(2, 3, 1, 0, 4);
        // the back-fill is 1e-6 * count / (max count + 1) = 1e-6 * 2 / 4
        assertThat(scores[2]).isCloseTo(2 + 0.5e-6, within(1e-12));
        // an empty history is popularity alone; 0 and 2 tie at two and keep index order
        assertThat(order(scores(new MarkovRanker(), new int[0]))).containsExactly(1, 0, 2, 3, 4);
    }

    @Test
    void shouldSumDecayedCooccurrencesOverTheLastItems() {
        // within 2 positions: after(1) = {2: 2, 3: 1}, after(0) = {1: 2, 2: 1, 3: 1}; item 0 is one step older
        double[] scores = scores(new CooccurrenceRanker(2, 2, 0.5, 0), new int[] {0, 1});

        assertThat(scores[2]).isCloseTo(2 + 0.5 * 1, within(1e-5));
        assertThat(scores[3]).isCloseTo(1 + 0.5 * 1, within(1e-5));
        assertThat(scores[1]).isCloseTo(0.5 * 2, within(1e-5));
        assertThat(scores[4]).isCloseTo(0, within(1e-5));
        assertThat(order(scores)).containsExactly(2, 3, 1, 0, 4);
    }

    @Test
    void shouldWeighFollowersByDistanceAndAddTheItemSimilarityInTheServedFamily() {
        // after 0 within 2 positions: 1 right after it twice (1 each), 2 and 3 two after it once (1/2 each)
        double[] byDistance = scores(CooccurrenceRanker.weighted(2, 1, 1, 0), new int[] {0});
        assertThat(byDistance[1]).isCloseTo(2, within(1e-5));
        assertThat(byDistance[2]).isCloseTo(0.5, within(1e-5));
        assertThat(byDistance[3]).isCloseTo(0.5, within(1e-5));

        // nothing follows 2; 2 shares one user with 0 (2 and 2 occurrences) and two with 1 (3 occurrences):
        // similarities 1 / sqrt(2 * 2) and 2 / sqrt(2 * 3), times 2
        double[] similar = scores(CooccurrenceRanker.weighted(1, 1, 1, 2), new int[] {2});
        assertThat(similar[0]).isCloseTo(2 * 0.5, within(1e-5));
        assertThat(similar[1]).isCloseTo(2 * 2 / Math.sqrt(6), within(1e-5));
        assertThat(similar[3]).isCloseTo(0, within(1e-5));
        assertThat(order(similar)).containsExactly(1, 0, 2, 3, 4);
        assertThat(CooccurrenceRanker.weighted(1, 1, 1, 2).name())
                .isEqualTo("co-occurrence by 1/distance W=1 L=1 decay=1 + similarity 2");
    }

    @Test
    void shouldAddTheLogOfTheVotesAndTheUsersCategoryAndBrandAffinitiesWithoutANetwork() {
        // categories: 0, 1 -> 0; 2, 3 -> 1; 4 none. Brands: 0, 2, 4 -> 0; 1, 3 none
        int[] categoryOf = {0, 0, 1, 1, -1};
        int[] brandOf = {0, -1, 0, -1, 0};
        AffinityRanker ranker = new AffinityRanker(CooccurrenceRanker.weighted(2, 1, 1, 0), categoryOf, 0.5,
                brandOf, 2);

        // history 0 (category 0, brand 0): votes after 0 within 2 positions weighing 1/distance: 1 -> 2, 2 -> 0.5,
        // 3 -> 0.5; n_c = 1 for category 0, n_b = 1 for brand 0
        double[] scores = scores(ranker, new int[] {0});

        double pop = 1e-6 / 4; // the back-fill: 1e-6 * count / (max count + 1), max count 3
        assertThat(scores[1]).isCloseTo(3 * pop + Math.log(3) + 0.5 * Math.log(2), within(1e-9));
        assertThat(scores[2]).isCloseTo(2 * pop + Math.log(1.5) + 2 * Math.log(2), within(1e-9));
        assertThat(scores[3]).isCloseTo(pop + Math.log(1.5), within(1e-9));
        assertThat(scores[4]).isCloseTo(2 * Math.log(2), within(1e-9));
        assertThat(order(scores)).as("the history item itself too: the protocol removes it").containsExactly(2, 0, 1,
                4, 3);
        assertThat(ranker.name()).isEqualTo("co-occurrence by 1/distance W=2 L=1 decay=1 + similarity 0,"
                + " log(1 + votes) + category affinity 0.5 + brand affinity 2.0");
    }

    @Test
    void shouldCountItemsBeforeTheHistoryItemWithTheBackwardWeight() {
        // nothing follows 2 in training; 1 comes right before 2 twice
        double[] scores = scores(new CooccurrenceRanker(1, 1, 1, 0.5), new int[] {2});

        assertThat(scores[1]).isCloseTo(0.5 * 2, within(1e-5));
        assertThat(order(scores)).containsExactly(1, 0, 2, 3, 4);
    }

    @Test
    void shouldEqualTheMarkovChainWithWindowOneOverTheLastItem() {
        Random random = new Random(7);
        List<int[]> sequences = new ArrayList<>();
        for (int user = 0; user < 200; user++) {
            sequences.add(random.ints(2 + random.nextInt(10), 0, 50).toArray());
        }
        MarkovRanker markov = new MarkovRanker();
        CooccurrenceRanker cooccurrence = new CooccurrenceRanker(1, 1, 1, 0);
        markov.fit(sequences, 50);
        cooccurrence.fit(sequences, 50);

        for (int[] history : sequences) {
            double[] expected = new double[50];
            double[] actual = new double[50];
            markov.score(history, expected);
            cooccurrence.score(history, actual);
            assertThat(actual).containsExactly(expected);
        }
    }

    @Test
    void shouldRankTheLastElementFirstForRepeatLast() {
        assertThat(order(scores(new RepeatLastRanker(), new int[] {3, 2}))).containsExactly(2, 1, 0, 3, 4);
    }

    @Test
    void shouldRankTheUsersMostFrequentElementsFirst() {
        // 3 twice, 2 once, then popularity: 1, 0, 4
        assertThat(order(scores(new MostFrequentRanker(), new int[] {3, 2, 3}))).containsExactly(3, 2, 1, 0, 4);
    }

    @Test
    void shouldRefuseScoringBeforeFittingAndElementsOutsideTheVocabulary() {
        assertThatThrownBy(() -> new MarkovRanker().score(new int[0], new double[ITEMS]))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new PopularityRanker().fit(List.of(new int[] {5}), ITEMS))
                .hasMessageContaining("element 5 outside the vocabulary 0..4");
        assertThatThrownBy(() -> new CooccurrenceRanker(0, 1, 1, 0)).hasMessageContaining("window");
        assertThatThrownBy(() -> new CooccurrenceRanker(1, 1, 0, 0)).hasMessageContaining("decay");
    }

    private static double[] scores(SequenceRanker ranker, int[] history) {
        ranker.fit(TRAINING, ITEMS);
        double[] scores = new double[ITEMS];
        ranker.score(history, scores);
        return scores;
    }

    /** Items by score, ties by lower index: the ranking's order. */
    private static int[] order(double[] scores) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }
}

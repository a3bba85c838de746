package io.pulse.trainer.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.trainer.eval.RankingMetrics;
import io.pulse.trainer.interest.LeaveOneOut.Result;
import io.pulse.trainer.interest.LeaveOneOut.Target;
import io.pulse.trainer.interest.LeaveOneOut.TestFit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaveOneOutTest {

    /** Two evaluated users and one too short to evaluate. */
    private static final List<int[]> USERS = List.of(new int[] {0, 1, 2, 3}, new int[] {1, 2, 0}, new int[] {4, 1});
    private static final int ITEMS = 5;

    @Test
    void shouldHoldOutTheLastItemForTestAndTheOneBeforeForValidation() {
        LeaveOneOut split = LeaveOneOut.split(USERS);

        assertThat(split.users()).isEqualTo(2);
        assertThat(split.skippedUsers()).isEqualTo(1);
        assertThat(split.training()).containsExactly(new int[] {0, 1}, new int[] {1}, new int[] {4, 1});
        assertThat(split.trainingWithValidation()).containsExactly(new int[] {0, 1, 2}, new int[] {1, 2},
                new int[] {4, 1});
        assertThat(split.history(0, Target.VALIDATION)).containsExactly(0, 1);
        assertThat(split.target(0, Target.VALIDATION)).isEqualTo(2);
        assertThat(split.history(0, Target.TEST)).containsExactly(0, 1, 2);
        assertThat(split.target(0, Target.TEST)).isEqualTo(3);
        assertThat(split.target(1, Target.TEST)).isEqualTo(0);
    }

    @Test
    void shouldRankOverAllItemsWithoutTheHistory() {
        // training [0, 1], [1], [4, 1]: popularity 1: 3, 0: 1, 4: 1, 2 and 3: 0; nothing follows 1
        Result result = LeaveOneOut.split(USERS).evaluateItems(MarkovRanker::new, ITEMS, TestFit.TRAINING, 1, 10);

        // validation: user 0 (history {0, 1}, target 2): 4, 2, 3 -> rank 2; user 1 (history {1}, target 2):
        // 0, 4, 2, 3 (0 and 4 tie, lower index first) -> rank 3
        // NDCG@10 = (1/log2(3) + 1/log2(4)) / 2 = (0.6309297536 + 0.5) / 2 = 0.5654648767857288
        assertThat(result.validation().hitRate(1)).isEqualTo(0.0);
        assertThat(result.validation().ndcg(10)).isCloseTo(0.5654648767857288, within(1e-15));
        // test: user 0 (history {0, 1, 2}, target 3): 4, 3 -> rank 2; user 1 (history {1, 2}, target 0): 0, 4, 3
        // -> rank 1; NDCG@10 = (0.6309297536 + 1) / 2 = 0.8154648767857288
        assertThat(result.test().hitRate(1)).isEqualTo(0.5);
        assertThat(result.test().ndcg(10)).isCloseTo(0.8154648767857288, within(1e-15));
    }

    @Test
    void shouldFitTheTestModelOnTheTrainingPrefixesOrRefitWithValidationItems() {
        List<List<int[]>> fitted = new ArrayList<>();
        LeaveOneOut split = LeaveOneOut.split(USERS);

        split.evaluateItems(() -> new Recording(fitted), ITEMS, TestFit.TRAINING, 10);
        assertThat(fitted).containsExactly(split.training());

        fitted.clear();
        split.evaluateItems(() -> new Recording(fitted), ITEMS, TestFit.TRAINING_AND_VALIDATION, 10);
        assertThat(fitted).containsExactly(split.training(), split.trainingWithValidation());
    }

    @Test
    void shouldCountARepeatedTargetAsAMissThroughTheSeenFilter() {
        // the test target 0 is already in the history {0, 1}: it can never be recommended
        LeaveOneOut split = LeaveOneOut.split(List.of(new int[] {0, 1, 0}));
        PopularityRanker ranker = new PopularityRanker();
        ranker.fit(split.training(), 2);

        RankingMetrics test = split.rankItems(ranker, 2, Target.TEST, 10);
        RankingMetrics validation = split.rankItems(ranker, 2, Target.VALIDATION, 10);

        assertThat(test.misses()).isEqualTo(1);
        assertThat(test.hitRate(10)).isEqualTo(0.0);
        assertThat(validation.misses()).isZero();
        assertThat(validation.hitRate(10)).isEqualTo(1.0);
    }

    @Test
    void shouldRankCategoriesWithoutRemovingTheHistory() {
        // items 0, 1 and 4 in category 0, items 2 and 3 in category 1; category 2 has no item
        int[] categoryOf = {0, 0, 1, 1, 0};
        LeaveOneOut split = LeaveOneOut.split(USERS);

        Result result = split.evaluateCategories(RepeatLastRanker::new, categoryOf, 3, TestFit.TRAINING, 1, 3);

        // validation: user 0 last category 0, target 2 -> category 1: miss at 1; user 1 last 0, target category 1:
        // miss at 1; test: user 0 last item 2 (category 1), target 3 (category 1): hit; user 1 last item 2
        // (category 1), target 0 (category 0): miss at 1, but at 3 categories everything is a hit
        assertThat(result.validation().hitRate(1)).isEqualTo(0.0);
        assertThat(result.test().hitRate(1)).isEqualTo(0.5);
        assertThat(result.test().hitRate(3)).isEqualTo(1.0);
        assertThat(LeaveOneOut.categories(List.of(new int[] {4, 2}), categoryOf)).containsExactly(new int[] {0, 1});
    }

    /** Remembers what it was fitted on; scores everything zero. */
    private record Recording(List<List<int[]>> fitted) implements SequenceRanker {

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void fit(List<int[]> sequences, int vocabularySize) {
            fitted.add(sequences);
        }

        @Override
        public void score(int[] history, double[] scoresOut) {
            Arrays.fill(scoresOut, 0);
        }
    }
}

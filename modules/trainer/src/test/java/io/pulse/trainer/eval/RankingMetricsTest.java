package io.pulse.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    private static final double[] SCORES = {0.5, 0.9, 0.1, 0.9, 0.3};

    @Test
    void shouldRankTheTargetAmongAllItemsBreakingTiesByLowerIndex() {
        // item 3 (0.9) ties with item 1 (0.9): the lower index ranks first, so item 3 is second
        assertThat(RankingMetrics.rank(SCORES, 3, new BitSet())).isEqualTo(2);
        assertThat(RankingMetrics.rank(SCORES, 1, new BitSet())).isEqualTo(1);
        // item 0 (0.5) is beaten by items 1 and 3
        assertThat(RankingMetrics.rank(SCORES, 0, new BitSet())).isEqualTo(3);
        assertThat(RankingMetrics.rank(SCORES, 2, new BitSet())).isEqualTo(5);
    }

    @Test
    void shouldLeaveExcludedItemsOutOfTheRanking() {
        // without item 1, item 3 is first; without items 1 and 4, item 0 (0.5) is beaten by item 3 only
        assertThat(RankingMetrics.rank(SCORES, 3, bits(1))).isEqualTo(1);
        assertThat(RankingMetrics.rank(SCORES, 0, bits(1, 4))).isEqualTo(2);
        // item 2 (0.1) is last of 5; without 0, 1 and 3 only item 4 beats it
        assertThat(RankingMetrics.rank(SCORES, 2, bits(0, 1, 3))).isEqualTo(2);
    }

    @Test
    void shouldRankFloatScoresAsDoubleScores() {
        float[] scores = {0.5f, 0.9f, 0.1f, 0.9f, 0.3f};

        assertThat(RankingMetrics.rank(scores, 3, new BitSet())).isEqualTo(2);
        assertThat(RankingMetrics.rank(scores, 0, bits(1, 4))).isEqualTo(2);
    }

    @Test
    void shouldRefuseATargetThatIsExcluded() {
        assertThatThrownBy(() -> RankingMetrics.rank(SCORES, 3, bits(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target 3 is excluded from the ranking");
        assertThatThrownBy(() -> RankingMetrics.rank(new float[] {1, 2}, 0, bits(0)))
                .hasMessageContaining("target 0 is excluded");
        assertThatThrownBy(() -> RankingMetrics.rank(SCORES, 5, new BitSet())).hasMessageContaining("outside");
    }

    @Test
    void shouldScoreOneTargetAsHitAndDiscountedGain() {
        assertThat(RankingMetrics.hitAt(10, 10)).isEqualTo(1.0);
        assertThat(RankingMetrics.hitAt(11, 10)).isEqualTo(0.0);
        // 1 / log2(1 + 1) = 1
        assertThat(RankingMetrics.ndcgAt(1, 10)).isEqualTo(1.0);
        // 1 / log2(2 + 1) = 1 / 1.5849625 = 0.6309297535714575
        assertThat(RankingMetrics.ndcgAt(2, 10)).isCloseTo(0.6309297535714575, within(1e-15));
        // 1 / log2(3 + 1) = 1 / 2 = 0.5
        assertThat(RankingMetrics.ndcgAt(3, 10)).isCloseTo(0.5, within(1e-15));
        assertThat(RankingMetrics.ndcgAt(11, 10)).isEqualTo(0.0);
        assertThatThrownBy(() -> RankingMetrics.ndcgAt(0, 10)).hasMessageContaining("ranks start at 1");
    }

    @Test
    void shouldAverageOverUsersCountingMissesAsZero() {
        RankingMetrics metrics = new RankingMetrics(10, 20);

        metrics.add(1);
        metrics.add(3);
        metrics.add(12);
        metrics.addMiss();

        assertThat(metrics.users()).isEqualTo(4);
        assertThat(metrics.misses()).isEqualTo(1);
        // hits at 10: ranks 1 and 3 -> 2 / 4; at 20: ranks 1, 3 and 12 -> 3 / 4
        assertThat(metrics.hitRate(10)).isEqualTo(0.5);
        assertThat(metrics.hitRate(20)).isEqualTo(0.75);
        // (1 + 1/log2(4)) / 4 = (1 + 0.5) / 4 = 0.375
        assertThat(metrics.ndcg(10)).isCloseTo(0.375, within(1e-15));
        // (1 + 0.5 + 1/log2(13)) / 4 = (1.5 + 0.2702381544) / 4 = 0.44255953860682995
        assertThat(metrics.ndcg(20)).isCloseTo(0.44255953860682995, within(1e-15));
        assertThatThrownBy(() -> metrics.hitRate(5)).hasMessageContaining("no cut-off 5");
    }

    @Test
    void shouldMergeAveragesWithTheSameCutoffs() {
        RankingMetrics first = new RankingMetrics(10);
        RankingMetrics second = new RankingMetrics(10);
        first.add(1);
        second.add(11);

        first.addAll(second);

        assertThat(first.users()).isEqualTo(2);
        assertThat(first.hitRate(10)).isEqualTo(0.5);
        assertThat(new RankingMetrics(10).hitRate(10)).isNaN();
        assertThatThrownBy(() -> first.addAll(new RankingMetrics(20))).hasMessageContaining("different cut-offs");
    }

    private static BitSet bits(int... items) {
        BitSet bits = new BitSet();
        for (int item : items) {
            bits.set(item);
        }
        return bits;
    }
}

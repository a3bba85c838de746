package io.pulse.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void shouldOrderByScoreThenLowerIndex() {
        float[] scores = {0.5f, 0.9f, 0.1f, 0.9f, 0.3f};

        assertThat(TopK.select(scores, 3, new BitSet())).containsExactly(1, 3, 0);
        assertThat(TopK.select(scores, 3, item -> item == 1)).containsExactly(3, 0, 4);
        assertThat(TopK.select(scores, 10, new BitSet())).containsExactly(1, 3, 0, 4, 2);
        assertThat(TopK.select(scores, 0, new BitSet())).isEmpty();
    }

    @Test
    void shouldAgreeWithAFullSortOnRandomScoresWithTiesAndExclusions() {
        Random random = new Random(42);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + random.nextInt(300);
            float[] scores = new float[n];
            // few distinct values on odd trials, so that ties are everywhere
            int distinct = trial % 2 == 0 ? 1_000_000 : 1 + random.nextInt(5);
            BitSet excluded = new BitSet();
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(distinct) - distinct / 2f;
                if (random.nextInt(10) == 0) {
                    excluded.set(i);
                }
            }
            int k = random.nextInt(n + 5);

            int[] expected = IntStream.range(0, n).filter(i -> !excluded.get(i)).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                    .limit(k).mapToInt(Integer::intValue).toArray();

            assertThat(TopK.select(scores, k, excluded)).as("trial %d", trial).containsExactly(expected);
            // and the rank metric agrees with the position in the list
            for (int position = 0; position < expected.length; position++) {
                assertThat(RankingMetrics.rank(scores, expected[position], excluded)).isEqualTo(position + 1);
            }
        }
    }

    @Test
    void shouldRefuseNanScoresAndNegativeK() {
        assertThatThrownBy(() -> TopK.select(new float[] {1, Float.NaN}, 1, new BitSet()))
                .hasMessageContaining("NaN score for item 1");
        assertThatThrownBy(() -> TopK.select(new float[] {1}, -1, new BitSet())).hasMessageContaining("k must be");
    }
}

package io.pulse.benchmarks.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkCountsTest {

    @Test
    void shouldCutLabelledStepsIntoChunksWithWarmUpThatNeverStartsBeforeTheFirstStep() {
        List<Integer> lengths = new ArrayList<>();

        // steps 10..129 are in the period, all labelled: chunks [10,60) [60,110) [110,130) with 25 steps of warm-up
        // (the first chunk can only reach back to step 0)
        ChunkCounts.pieces(10, 130, i -> true, 50, 25, lengths::add);

        assertThat(lengths).containsExactly(60, 75, 45);
    }

    @Test
    void shouldDropChunksWithoutALabelledStep() {
        List<Integer> lengths = new ArrayList<>();

        // only step 3 and step 7 carry a label: chunks [0,5) and [5,10) are kept, [10,12) is not
        ChunkCounts.pieces(0, 12, i -> i == 3 || i == 7, 5, 0, lengths::add);

        assertThat(lengths).containsExactly(5, 5);
    }

    @Test
    void shouldHaveNoChunksWhenTheSequenceHasNoStepInThePeriod() {
        List<Integer> lengths = new ArrayList<>();

        ChunkCounts.pieces(0, 0, i -> true, 50, 25, lengths::add);

        assertThat(lengths).isEmpty();
    }

    @Test
    void shouldPadEachMinibatchOfSortedChunksToItsLongest() {
        // sorted: 1 2 3 | 4 9 ; batches of 3: padded 3 × 3 + 2 × 9
        ChunkCounts.Batching batching = ChunkCounts.batching(new int[] {9, 2, 4, 1, 3}, 3);

        assertThat(batching.batches()).isEqualTo(2);
        assertThat(batching.paddedSteps()).isEqualTo(3 * 3 + 2 * 9);
    }

    @Test
    void shouldHaveNoMinibatchWithoutChunks() {
        assertThat(ChunkCounts.batching(new int[0], 64)).isEqualTo(new ChunkCounts.Batching(0, 0));
    }
}

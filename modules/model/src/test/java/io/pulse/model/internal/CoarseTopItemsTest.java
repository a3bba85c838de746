package io.pulse.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector kernel's exact top-K over a bfloat16 copy of the item table ({@link VectorKernel#topItems}) against the
 * float scan it replaces: {@link StepKernel#itemScores}, the additions, then {@link StepKernel#selectTop}. Same rows,
 * same order, bit-identical scores — with ties, excluded rows, a prior-like addition and hidden states outside
 * [-1, 1].
 */
class CoarseTopItemsTest {

    private static final int HIDDEN = 64;

    @Test
    void shouldRoundToTheNearestBfloat16WithTiesToEven() {
        assertThat(ItemTable.fromBfloat16(ItemTable.toBfloat16(1.0f))).isEqualTo(1.0f);
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties go to the even mantissa, 1
        assertThat(ItemTable.fromBfloat16(ItemTable.toBfloat16(1.0f + 0x1p-8f))).isEqualTo(1.0f);
        // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 and 1 + 2^-6: the even one is 1 + 2^-6
        assertThat(ItemTable.fromBfloat16(ItemTable.toBfloat16(1.0f + 3 * 0x1p-8f))).isEqualTo(1.0f + 0x1p-6f);
        assertThat(ItemTable.fromBfloat16(ItemTable.toBfloat16(1.0f + 0x1p-8f + 0x1p-20f)))
                .isEqualTo(1.0f + 0x1p-7f);
        assertThat(ItemTable.fromBfloat16(ItemTable.toBfloat16(-0.3f))).isCloseTo(-0.3f,
                within(0.3f * 0x1p-8f));
    }

    @Test
    void shouldSelectExactlyWhatTheFloatScanSelects() {
        assumeTrue(Kernels.vectorAvailable(), "the Vector API kernel is not available in this JVM");
        StepKernel kernel = Kernels.vector();
        Random random = new Random(42);
        for (int trial = 0; trial < 12; trial++) {
            int items = trial < 6 ? 12_101 : 1 + random.nextInt(700);
            boolean ties = trial % 3 == 0;
            float scale = trial % 2 == 0 ? 0.2f : 3f;
            float[] w = new float[HIDDEN * items];
            float[] b = new float[items];
            for (int i = 0; i < w.length; i++) {
                // with ties: few distinct weights, so many items score exactly alike
                w[i] = ties ? random.nextInt(3) * 0.25f : (float) random.nextGaussian() * scale;
            }
            for (int j = 0; j < items; j++) {
                b[j] = ties ? 0f : (float) random.nextGaussian();
            }
            ItemTable table = new ItemTable(HIDDEN, items, w, b, kernel.blockItems(), true);
            assertThat(table.hasCoarse()).isTrue();
            for (int draw = 0; draw < 8; draw++) {
                float[] h = new float[HIDDEN];
                for (int k = 0; k < HIDDEN; k++) {
                    h[k] = ties ? (random.nextInt(5) - 2) * 0.5f : (float) Math.tanh(random.nextGaussian()) * (draw
                            % 4 == 3 ? 2.5f : 1f);
                }
                float[] extra = new float[table.paddedItems()];
                for (int j = 0; j < items; j++) {
                    int kind = random.nextInt(20);
                    extra[j] = kind == 0 ? Float.NaN : kind < 3 ? (ties ? 1f : 16f * (float) random.nextDouble()) : 0f;
                }
                int k = new int[] {1, 10, 20, 100}[draw % 4];
                assertSameSelection(kernel, table, h, extra, Math.min(1, items - 1), items, k,
                        "trial " + trial + " draw " + draw);
            }
        }
    }

    @Test
    void shouldKeepNoCoarseCopyOfATableWithANonFiniteWeightAndStillSelectExactly() {
        assumeTrue(Kernels.vectorAvailable(), "the Vector API kernel is not available in this JVM");
        StepKernel kernel = Kernels.vector();
        Random random = new Random(7);
        int items = 500;
        float[] w = new float[HIDDEN * items];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        w[3 * items + 17] = Float.POSITIVE_INFINITY;
        ItemTable table = new ItemTable(HIDDEN, items, w, new float[items], kernel.blockItems(), true);
        assertThat(table.hasCoarse()).isFalse();
        float[] h = new float[HIDDEN];
        Arrays.fill(h, 0.1f);

        assertSameSelection(kernel, table, h, new float[table.paddedItems()], 1, items, 10, "non-finite");
    }

    private static void assertSameSelection(StepKernel kernel, ItemTable table, float[] h, float[] extra, int from,
            int to, int k, String where) {
        float[] scores = new float[table.paddedItems()];
        kernel.itemScores(table, h, scores);
        for (int row = from; row < to; row++) {
            scores[row] += extra[row];
        }
        int[] expectedRows = new int[k];
        float[] expectedScores = new float[k];
        int expected = kernel.selectTop(scores, from, to, k, new TopItems(k), expectedRows, expectedScores);

        int[] rows = new int[k];
        float[] out = new float[k];
        int found = kernel.topItems(table, h, extra, from, to, k, new TopItems(k), new float[table.paddedItems()],
                rows, out);

        assertThat(found).as(where).isEqualTo(expected);
        assertThat(rows).as(where).containsExactly(expectedRows);
        for (int i = 0; i < found; i++) {
            assertThat(Float.floatToIntBits(out[i])).as(where + " score " + i)
                    .isEqualTo(Float.floatToIntBits(expectedScores[i]));
        }
    }
}

package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Tensor;
import io.pulse.model.internal.Kernels;
import io.pulse.model.internal.StepKernel;
import io.pulse.model.internal.TopItems;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Version-2 models: embedded item and category inputs, the next-category head and the next-item top-K over the
 * catalogue, for every kernel this JVM can run. Also run by the {@code scalar-fallback} surefire execution.
 */
class InterestModelTest {

    private static final FeatureSpec SPEC = FeatureSpec.v2(6, 3, 2);
    private static final int HIDDEN = 20;

    /** Items over level-2 categories, item i in category 1 + i % categories, the last item without one. */
    static Catalogue catalogue(int items, int categories) {
        return InterestCatalogues.catalogue(items, categories, true);
    }

    private static List<StepKernel> kernels() {
        List<StepKernel> kernels = new ArrayList<>(List.of(Kernels.scalar()));
        if (Kernels.vectorAvailable()) {
            kernels.add(Kernels.vector());
        }
        return kernels;
    }

    private static float[] randomState(Random random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) Math.tanh(random.nextGaussian());
        }
        return values;
    }

    @Test
    void shouldRankTheWholeCatalogueExactlyAsAPlainSortDoes() {
        Catalogue catalogue = catalogue(300, 7);
        ModelBundle bundle = ModelBundles.seededRandom("interest", 5L, HIDDEN, SPEC, catalogue);
        float[] w = ModelBundles.values(tensor(bundle, ModelBundles.NEXT_ITEM_W));
        float[] b = ModelBundles.values(tensor(bundle, ModelBundles.NEXT_ITEM_B));
        Random random = new Random(11);
        for (StepKernel kernel : kernels()) {
            LstmModel model = ModelBundles.toModel(bundle).withKernel(kernel);
            for (int trial = 0; trial < 20; trial++) {
                float[] h = randomState(random, HIDDEN);
                float[] scores = new float[catalogue.items()];
                model.nextItemScores(h, scores);
                for (int j = 0; j < catalogue.items(); j++) {
                    double expected = b[j];
                    for (int k = 0; k < HIDDEN; k++) {
                        expected += (double) h[k] * w[k * catalogue.items() + j];
                    }
                    assertThat(scores[j]).as("%s item %d", kernel.name(), j).isCloseTo((float) expected,
                            within(1e-5f));
                }
                int[] excluded = {3, 17, 299, 0, 17};
                List<Integer> sorted = IntStream.range(1, catalogue.items()).boxed()
                        .filter(row -> row != 3 && row != 17 && row != 299)
                        .sorted(Comparator.comparingDouble((Integer row) -> -scores[row])
                                .thenComparingInt(row -> row))
                        .limit(25).toList();
                int[] rows = new int[25];
                float[] top = new float[25];

                int count = model.nextItems(h, 25, excluded, excluded.length, rows, top);

                assertThat(count).isEqualTo(25);
                assertThat(rows).containsExactly(sorted.stream().mapToInt(Integer::intValue).toArray());
                for (int i = 0; i < count; i++) {
                    assertThat(top[i]).isEqualTo(scores[rows[i]]);
                }
            }
        }
    }

    @Test
    void shouldBreakTiesTowardsTheLowerRowAndSkipExcludedRows() {
        TopItems top = new TopItems(4);
        float[] scores = {9f, 1f, 2f, 2f, Float.NaN, 3f, 2f};
        int[] rows = new int[4];
        float[] out = new float[4];

        int count = top.select(scores, 1, scores.length, 4, rows, out);

        assertThat(count).isEqualTo(4);
        assertThat(rows).containsExactly(5, 2, 3, 6);
        assertThat(out).containsExactly(3f, 2f, 2f, 2f);
        assertThat(top.select(scores, 1, 3, 4, rows, out)).isEqualTo(2);
        assertThat(rows[0]).isEqualTo(2);
    }

    @Test
    void shouldSelectLikeAPlainSortWithManyTiesAndExcludedRowsInEveryKernel() {
        Random random = new Random(17);
        float[] scores = new float[1003];
        for (int row = 0; row < scores.length; row++) {
            // few distinct values, so most comparisons are ties; every 7th row excluded (NaN)
            scores[row] = row % 7 == 3 ? Float.NaN : random.nextInt(9) * 0.5f;
        }
        List<Integer> sorted = IntStream.range(1, scores.length).boxed().filter(row -> row % 7 != 3)
                .sorted(Comparator.comparingDouble((Integer row) -> -scores[row]).thenComparingInt(row -> row))
                .limit(40).toList();
        for (StepKernel kernel : kernels()) {
            int[] rows = new int[40];
            float[] top = new float[40];

            int count = kernel.selectTop(scores, 1, scores.length, 40, new TopItems(40), rows, top);

            assertThat(count).isEqualTo(40);
            assertThat(rows).as(kernel.name()).containsExactly(sorted.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void shouldMatchTheTextbookLstmOnEmbeddedInputsIncludingTheCategoryFallback() {
        Catalogue catalogue = catalogue(40, 5);
        ModelBundle bundle = ModelBundles.seededRandom("interest", 8L, HIDDEN, SPEC, catalogue);
        float[] items = ModelBundles.values(tensor(bundle, ModelBundles.ITEM_EMBEDDING));
        float[] categories = ModelBundles.values(tensor(bundle, ModelBundles.CATEGORY_EMBEDDING));
        float[] fallback = ModelBundles.values(tensor(bundle, ModelBundles.ITEM_FALLBACK));
        // The fallback of category 2 is the mean of its items' (half-precision) embeddings: items 1, 6, 11, ...
        float[] mean = new float[6];
        int members = 0;
        for (int i = 1; i < 40; i++) {
            if (catalogue.itemCategory(i) == 2) {
                members++;
                for (int d = 0; d < 6; d++) {
                    mean[d] += items[i * 6 + d];
                }
            }
        }
        for (int d = 0; d < 6; d++) {
            assertThat(fallback[2 * 6 + d]).isCloseTo(mean[d] / members, within(1e-6f));
        }
        ReferenceLstm reference = new ReferenceLstm(bundle);
        Random random = new Random(3);
        // (item row, category row): known item and category; known item without category (the catalogue's);
        // unknown item with a known category (fallback); unknown item and category (OOV rows).
        int[][] events = {{7, 3}, {12, 0}, {0, 2}, {0, 0}, {40, 0}};
        for (StepKernel kernel : kernels()) {
            LstmModel model = ModelBundles.toModel(bundle).withKernel(kernel);
            float[] h = new float[HIDDEN];
            float[] c = new float[HIDDEN];
            double[] refH = new double[HIDDEN];
            double[] refC = new double[HIDDEN];
            Scores scores = Scores.forModel(model);
            for (int step = 0; step < 50; step++) {
                int[] event = events[step % events.length];
                float[] x = new float[32];
                for (int j = 0; j < 32; j++) {
                    x[j] = (float) random.nextGaussian();
                }
                int category = event[1] > 0 ? event[1] : catalogue.itemCategory(event[0]);
                float[] item = event[0] == 0 && category > 0 ? fallback : items;
                int itemRow = event[0] == 0 && category > 0 ? category : event[0];
                float[] full = new float[32 + 6 + 3];
                System.arraycopy(x, 0, full, 0, 32);
                System.arraycopy(item, itemRow * 6, full, 32, 6);
                System.arraycopy(categories, category * 3, full, 38, 3);
                reference.step(full, refH, refC);

                model.step(x, event[0], event[1], h, c);
                model.heads(h, scores);

                for (int u = 0; u < HIDDEN; u++) {
                    assertThat((double) h[u]).as("%s step %d h[%d]", kernel.name(), step, u)
                            .isCloseTo(refH[u], within(1e-5));
                }
                assertThat(scores.nextCategory).hasSize(catalogue.categories());
                double sum = 0;
                for (float p : scores.nextCategory) {
                    sum += p;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    @Test
    void shouldStepAVersion2ModelWithoutItemsOnTheOutOfVocabularyRows() {
        Catalogue catalogue = catalogue(10, 2);
        LstmModel model = ModelBundles.toModel(ModelBundles.seededRandom("interest", 4L, HIDDEN, SPEC, catalogue));
        float[] x = new float[32];
        x[3] = 1f;
        float[] h1 = new float[HIDDEN];
        float[] c1 = new float[HIDDEN];
        float[] h2 = new float[HIDDEN];
        float[] c2 = new float[HIDDEN];

        model.step(x, h1, c1);
        model.step(x, 0, 0, h2, c2);

        assertThat(h1).containsExactly(h2);
        assertThat(model.inputSize()).isEqualTo(32);
        assertThat(model.warmUp(200)).isPositive();
        assertThatThrownBy(() -> model.step(x, 11, 0, h1, c1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCutCategoryPathsAtTheCatalogueLevelAndMapUnknownIdsToRowZero() {
        Catalogue catalogue = catalogue(10, 3);

        assertThat(Catalogue.atLevel("1>2>9", 2)).isEqualTo("1>2");
        assertThat(Catalogue.atLevel("1>2>9", 1)).isEqualTo("1");
        assertThat(Catalogue.atLevel("1", 2)).isEqualTo("1");
        assertThat(catalogue.categoryRow("1>2>9")).isEqualTo(2);
        assertThat(catalogue.categoryRow("1>2")).isEqualTo(2);
        assertThat(catalogue.categoryRow("1")).isZero();
        assertThat(catalogue.categoryRow(null)).isZero();
        assertThat(catalogue.categoryRow("")).isZero();
        assertThat(catalogue.itemRow("item-4")).isEqualTo(4);
        assertThat(catalogue.itemRow("item-99")).isZero();
        assertThat(catalogue.itemRow(null)).isZero();
        assertThat(catalogue.itemRow("x".repeat(Catalogue.MAX_ID_LENGTH + 1))).isZero();
        assertThatThrownBy(() -> new Catalogue(List.of(Catalogue.OOV_ITEM, "a", "a"),
                List.of(Catalogue.UNKNOWN_CATEGORY), new int[3], 1)).hasMessageContaining("appears twice");
    }

    @Test
    void shouldRoundTripAVersion2BundleWithHalfPrecisionItemTables() {
        Catalogue catalogue = catalogue(50, 4);
        ModelBundle bundle = ModelBundles.seededRandom("interest", 9L, HIDDEN, SPEC, catalogue);

        ModelBundle copy = ModelBundles.fromBytes(ModelBundles.toBytes(bundle));
        LstmModel model = ModelBundles.toModel(copy);

        assertThat(copy).isEqualTo(bundle);
        assertThat(model.featureSpec()).isEqualTo(SPEC);
        assertThat(model.catalogue()).isEqualTo(catalogue);
        assertThat(tensor(bundle, ModelBundles.NEXT_ITEM_W).getValues()).isEmpty();
        assertThat(tensor(bundle, ModelBundles.NEXT_ITEM_W).getHalf().remaining()).isEqualTo(2 * HIDDEN * 51);
        assertThat(FeatureSpec.fromJson(SPEC.toJson())).isEqualTo(SPEC);
    }

    @Test
    void shouldFitA55kItemCatalogueInOneModelWeightsMessage() {
        Catalogue catalogue = catalogue(55_000, 300);
        FeatureSpec spec = FeatureSpec.v2(32, 8, 2);

        // with the largest co-occurrence prior a bundle may carry: rows of about 11 neighbours, counts up to 3000
        Random random = new Random(3);
        int items = catalogue.items();
        int[] rowStart = new int[items + 1];
        int[] columns = new int[ItemCooccurrence.MAX_ENTRIES];
        float[] counts = new float[ItemCooccurrence.MAX_ENTRIES];
        for (int e = 0; e < columns.length; e++) {
            columns[e] = 1 + random.nextInt(items - 1);
            counts[e] = 1 + random.nextInt(3000);
        }
        for (int row = 1; row <= items; row++) {
            rowStart[row] = (int) ((long) columns.length * (row - 1) / (items - 1));
        }
        ItemCooccurrence prior = new ItemCooccurrence(items, rowStart, columns, counts, 4, 0.5f, 1f);
        // and a brand per item row for the brand affinity (one number per row, like the catalogue's categories)
        int[] itemBrand = new int[items];
        for (int row = 1; row < items; row++) {
            itemBrand[row] = 1 + row % 5_000;
        }

        byte[] bytes = ModelBundles.toBytes(ModelBundles.withBrandAffinity(ModelBundles.withCooccurrence(
                ModelBundles.seededRandom("big", 1L, 64, spec, catalogue), prior), itemBrand, 8f));

        System.out.printf("55k-item bundle (hidden 64, item embedding 32, %,d prior entries, brands): %.2f MiB%n",
                prior.entries(), bytes.length / 1048576.0);
        assertThat(bytes.length).isLessThan(16 * 1024 * 1024);
        LstmModel model = ModelBundles.toModel(ModelBundles.fromBytes(bytes));
        assertThat(model.cooccurrence().entries()).isEqualTo(ItemCooccurrence.MAX_ENTRIES);
        assertThat(model.brandAffinityBlend()).isEqualTo(8f);
    }

    private static Tensor tensor(ModelBundle bundle, String name) {
        return bundle.getTensors().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }
}

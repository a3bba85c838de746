package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.ModelBundle;
import io.pulse.model.internal.Kernels;
import io.pulse.model.internal.StepKernel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The user's category affinity in the next-item ranking: weight × log(1 + n_c) on every item of category c, with the
 * co-occurrence prior and the exclusions as before, in every kernel; nothing left behind for the next call.
 */
class CategoryAffinityTest {

    private static final int HIDDEN = 16;

    @Test
    void shouldAddWeightTimesLogOnePlusTheCategoryCountToEveryItemOfTheCategory() {
        // items 1..12 over 3 categories: item i in category row 1 + i % 3
        ModelBundle bundle = ModelBundles.withCategoryAffinity(ModelBundles.seededRandom("affinity", 3L, HIDDEN,
                FeatureSpec.v2(4, 2, 2), InterestCatalogues.catalogue(12, 3)), 2f);
        LstmModel model = ModelBundles.toModel(bundle);
        float[] h = hidden(new Random(1));
        float[] logits = new float[13];
        model.nextItemScores(h, logits);
        // history: items 3 and 6 (category row 1), item 4 (row 2), the unknown item 0 (counts nothing)
        int[] history = {3, 6, 4, 0};
        int[] rows = new int[12];
        float[] scores = new float[12];

        int found = model.nextItems(h, null, 0, history, history.length, 12, null, 0, rows, scores);

        assertThat(found).isEqualTo(12);
        for (int r = 0; r < found; r++) {
            int row = rows[r];
            int category = 1 + row % 3;
            double expected = logits[row] + (category == 1 ? 2 * Math.log(3) : category == 2 ? 2 * Math.log(2) : 0);
            assertThat(scores[r]).as("item " + row).isCloseTo((float) expected, within(1e-5f));
        }
        assertThat(model.categoryAffinityBlend()).isEqualTo(2f);

        // the next call without history ranks by the logits alone: the scratch was cleared
        model.nextItems(h, null, 0, null, 0, 12, null, 0, rows, scores);
        for (int r = 0; r < 12; r++) {
            assertThat(scores[r]).isEqualTo(logits[rows[r]]);
        }
    }

    @Test
    void shouldRankLikeAPlainSortOfLogitsPlusPriorPlusAffinityWithExclusionsInEveryKernel() {
        Catalogue catalogue = InterestCatalogues.catalogue(300, 7);
        int items = catalogue.items();
        Random random = new Random(8);
        ItemCooccurrence prior = InterestCatalogues.randomPrior(catalogue, random, 5, 4, 3f);
        float affinity = 1.5f;
        ModelBundle bundle = ModelBundles.withCategoryAffinity(ModelBundles.withCooccurrence(
                ModelBundles.seededRandom("affinity", 9L, HIDDEN, FeatureSpec.v2(6, 3, 2), catalogue), prior),
                affinity);
        int[] recent = {17, 0, 250, 3};
        int[] history = {17, 250, 3, 44, 45, 46, 0};
        int[] categoryCounts = new int[catalogue.categories()];
        for (int row : history) {
            if (row > 0) {
                categoryCounts[catalogue.itemCategory(row)]++;
            }
        }

        List<StepKernel> kernels = new ArrayList<>(List.of(Kernels.scalar()));
        if (Kernels.vectorAvailable()) {
            kernels.add(Kernels.vector());
        }
        for (StepKernel kernel : kernels) {
            LstmModel model = ModelBundles.toModel(bundle).withKernel(kernel);
            for (int trial = 0; trial < 5; trial++) {
                float[] h = hidden(random);
                float[] expected = new float[items];
                model.nextItemScores(h, expected);
                prior.addPrior(recent, recent.length, expected, new float[items], new int[items]);
                for (int row = 1; row < items; row++) {
                    expected[row] += affinity * (float) Math.log1p(categoryCounts[catalogue.itemCategory(row)]);
                }
                List<Integer> sorted = IntStream.range(1, items).boxed()
                        .filter(row -> IntStream.of(history).noneMatch(seen -> seen == row))
                        .sorted(Comparator.comparingDouble((Integer row) -> -expected[row])
                                .thenComparingInt(row -> row))
                        .limit(20).toList();
                int[] rows = new int[20];
                float[] scores = new float[20];

                int found = model.nextItems(h, recent, recent.length, history, history.length, 20, history,
                        history.length, rows, scores);

                assertThat(found).isEqualTo(20);
                assertThat(rows).as(kernel.name()).containsExactly(sorted.stream().mapToInt(Integer::intValue)
                        .toArray());
                for (int r = 0; r < found; r++) {
                    assertThat(scores[r]).isCloseTo(expected[rows[r]], within(1e-4f));
                }
            }
        }
    }

    @Test
    void shouldTravelInTheBundleAndRefuseANegativeWeight() {
        ModelBundle plain = ModelBundles.seededRandom("affinity", 2L, 8, FeatureSpec.v2(4, 2, 2),
                InterestCatalogues.catalogue(5, 2));
        assertThat(ModelBundles.toModel(plain).categoryAffinityBlend()).isZero();

        ModelBundle weighted = ModelBundles.fromBytes(ModelBundles.toBytes(ModelBundles.withCategoryAffinity(
                ModelBundles.withCategoryAffinity(plain, 3f), 0.5f)));

        assertThat(ModelBundles.toModel(weighted).categoryAffinityBlend()).isEqualTo(0.5f);
        assertThat(weighted.getTensors()).filteredOn(t -> t.getName().equals(ModelBundles.CATEGORY_AFFINITY_BLEND))
                .hasSize(1);
        assertThatThrownBy(() -> ModelBundles.withCategoryAffinity(plain, -1f)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> ModelBundles.withCategoryAffinity(plain, Float.NaN)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> ModelBundles.withCategoryAffinity(ModelBundles.seededRandom("v1", 1L, 8), 1f))
                .hasMessageContaining("interest heads");
    }

    private static float[] hidden(Random random) {
        float[] h = new float[HIDDEN];
        for (int k = 0; k < h.length; k++) {
            h[k] = (float) Math.tanh(random.nextGaussian());
        }
        return h;
    }
}

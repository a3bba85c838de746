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
 * The user's category and brand affinities in the next-item ranking: weight × log(1 + n_g) on every item of category
 * (brand) g, with the co-occurrence prior and the exclusions as before, in every kernel; nothing left behind for the
 * next call.
 */
class GroupAffinityTest {

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
    void shouldAddTheBrandAffinityToEveryItemOfTheUsersBrandsNextToTheCategoryAffinity() {
        // items 1..12 over 3 categories (item i in category row 1 + i % 3); brands: 1..4 brand 1, 5..8 brand 2, 9..12
        // none
        int[] itemBrand = {0, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0, 0};
        ModelBundle bundle = ModelBundles.withBrandAffinity(ModelBundles.withCategoryAffinity(
                ModelBundles.seededRandom("brands", 3L, HIDDEN, FeatureSpec.v2(4, 2, 2),
                        InterestCatalogues.catalogue(12, 3)), 2f), itemBrand, 5f);
        LstmModel model = ModelBundles.toModel(ModelBundles.fromBytes(ModelBundles.toBytes(bundle)));
        float[] h = hidden(new Random(4));
        float[] logits = new float[13];
        model.nextItemScores(h, logits);
        // history: items 1, 2 (brand 1; categories 2, 3), 6 (brand 2; category 1), 10 (no brand; category 2)
        int[] history = {1, 2, 6, 10};
        int[] rows = new int[12];
        float[] scores = new float[12];

        int found = model.nextItems(h, null, 0, history, history.length, 12, null, 0, rows, scores);

        assertThat(found).isEqualTo(12);
        double[] categoryBoost = {0, 2 * Math.log(2), 2 * Math.log(3), 2 * Math.log(2)}; // n_c: 1, 2, 1
        double[] brandBoost = {0, 5 * Math.log(3), 5 * Math.log(2)}; // n_b: 2, 1
        for (int r = 0; r < found; r++) {
            int row = rows[r];
            double expected = logits[row] + categoryBoost[1 + row % 3] + brandBoost[itemBrand[row]];
            assertThat(scores[r]).as("item " + row).isCloseTo((float) expected, within(1e-5f));
        }
        assertThat(model.brandAffinityBlend()).isEqualTo(5f);
        assertThat(model.ranksWithHistory()).isTrue();

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
        float brandAffinity = 2.5f;
        int[] itemBrand = new int[items];
        for (int row = 1; row < items; row++) {
            itemBrand[row] = row % 4 == 0 ? 0 : 1 + random.nextInt(30); // a quarter without a brand
        }
        ModelBundle bundle = ModelBundles.withBrandAffinity(ModelBundles.withCategoryAffinity(
                ModelBundles.withCooccurrence(ModelBundles.seededRandom("affinity", 9L, HIDDEN,
                        FeatureSpec.v2(6, 3, 2), catalogue), prior), affinity), itemBrand, brandAffinity);
        int[] recent = {17, 0, 250, 3};
        int[] history = {17, 250, 3, 44, 45, 46, 0};
        int[] categoryCounts = new int[catalogue.categories()];
        int[] brandCounts = new int[31];
        for (int row : history) {
            if (row > 0) {
                categoryCounts[catalogue.itemCategory(row)]++;
                brandCounts[itemBrand[row]]++;
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
                    if (itemBrand[row] > 0) {
                        expected[row] += brandAffinity * (float) Math.log1p(brandCounts[itemBrand[row]]);
                    }
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

    @Test
    void shouldCarryTheBrandsInTheBundleRemoveThemAtWeightZeroAndRefuseBrandsThatDoNotFit() {
        ModelBundle plain = ModelBundles.seededRandom("brands", 2L, 8, FeatureSpec.v2(4, 2, 2),
                InterestCatalogues.catalogue(5, 2));
        int[] itemBrand = {0, 1, 2, 1, 0, 3};
        assertThat(ModelBundles.toModel(plain).brandAffinityBlend()).isZero();
        assertThat(ModelBundles.toModel(plain).ranksWithHistory()).isFalse();

        ModelBundle weighted = ModelBundles.fromBytes(ModelBundles.toBytes(ModelBundles.withBrandAffinity(
                ModelBundles.withBrandAffinity(plain, itemBrand, 3f), itemBrand, 0.5f)));

        assertThat(ModelBundles.toModel(weighted).brandAffinityBlend()).isEqualTo(0.5f);
        assertThat(weighted.getTensors()).filteredOn(t -> t.getName().startsWith("brand_affinity.")).hasSize(2);
        assertThat(ModelBundles.withBrandAffinity(weighted, itemBrand, 0f).getTensors())
                .noneMatch(t -> t.getName().startsWith("brand_affinity."));
        assertThat(ModelBundles.withBrandAffinity(weighted, null, 2f).getTensors())
                .noneMatch(t -> t.getName().startsWith("brand_affinity."));
        assertThatThrownBy(() -> ModelBundles.withBrandAffinity(plain, new int[] {0, 1, 2}, 1f))
                .hasMessageContaining("one number");
        assertThatThrownBy(() -> ModelBundles.withBrandAffinity(plain, new int[] {1, 1, 2, 1, 0, 3}, 1f))
                .hasMessageContaining("0 at row 0");
        assertThatThrownBy(() -> ModelBundles.withBrandAffinity(plain, itemBrand, -1f)).hasMessageContaining(">= 0");
        // a bundle with the weight but not the brands is refused when read
        ModelBundle half = ModelBundles.withCategoryAffinity(plain, 0f);
        half.getTensors().add(weighted.getTensors().stream()
                .filter(t -> t.getName().equals(ModelBundles.BRAND_AFFINITY_BLEND)).findFirst().orElseThrow());
        assertThatThrownBy(() -> ModelBundles.toModel(half)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("come together");
    }

    private static float[] hidden(Random random) {
        float[] h = new float[HIDDEN];
        for (int k = 0; k < h.length; k++) {
            h[k] = (float) Math.tanh(random.nextGaussian());
        }
        return h;
    }
}

package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.ModelBundle;
import org.junit.jupiter.api.Test;

/** The user's category history weighed into the next-category distribution. */
class CategoryHistoryTest {

    /** Items 1..5 over two categories: item i in category row 1 + i % 2. */
    private static ModelBundle bundle() {
        return ModelBundles.seededRandom("history", 2L, 8, FeatureSpec.v2(4, 2, 2),
                InterestCatalogues.catalogue(5, 2));
    }

    @Test
    void shouldMultiplyTheHeadByOnePlusTheCategoryCountsToThePowerWAndRenormalise() {
        LstmModel model = ModelBundles.toModel(ModelBundles.withCategoryHistory(bundle(), 1f));
        float[] head = {0.1f, 0.6f, 0.3f};
        float[] out = new float[3];

        // items 1 and 3 are in category row 2, item 2 in row 1; row 0 (unknown item) counts nothing
        model.nextCategories(head, new int[] {1, 3, 2, 0}, 4, out);

        // 0.1 * 1, 0.6 * 2, 0.3 * 3 = 0.1, 1.2, 0.9; sum 2.2
        assertThat(out[0]).isCloseTo(0.1f / 2.2f, within(1e-6f));
        assertThat(out[1]).isCloseTo(1.2f / 2.2f, within(1e-6f));
        assertThat(out[2]).isCloseTo(0.9f / 2.2f, within(1e-6f));
        assertThat(model.categoryHistoryBlend()).isEqualTo(1f);
    }

    @Test
    void shouldKeepTheHeadsDistributionWithoutAWeightOrWithoutHistory() {
        float[] head = {0.1f, 0.6f, 0.3f};
        float[] out = new float[3];
        LstmModel plain = ModelBundles.toModel(bundle());
        plain.nextCategories(head, new int[] {1, 3}, 2, out);
        assertThat(out).containsExactly(head);
        assertThat(plain.categoryHistoryBlend()).isZero();

        LstmModel weighted = ModelBundles.toModel(ModelBundles.withCategoryHistory(bundle(), 2f));
        weighted.nextCategories(head, new int[0], 0, out);
        assertThat(out).containsExactly(head);
    }

    @Test
    void shouldTravelInTheBundleAndRefuseANegativeWeight() {
        ModelBundle weighted = ModelBundles.fromBytes(ModelBundles.toBytes(ModelBundles.withCategoryHistory(
                ModelBundles.withCategoryHistory(bundle(), 3f), 0.5f)));
        assertThat(ModelBundles.toModel(weighted).categoryHistoryBlend()).isEqualTo(0.5f);
        assertThat(weighted.getTensors()).filteredOn(t -> t.getName().equals(ModelBundles.CATEGORY_HISTORY_BLEND))
                .hasSize(1);
        assertThatThrownBy(() -> ModelBundles.withCategoryHistory(bundle(), -1f)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> ModelBundles.withCategoryHistory(ModelBundles.seededRandom("v1", 1L, 8), 1f))
                .hasMessageContaining("interest heads");
    }
}

package io.pulse.pipeline.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.CategoryProbability;
import io.pulse.model.Catalogue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interest shift and the next-category ranking against hand-computed values. */
class InterestsTest {

    @Test
    void shouldComputeTheJensenShannonDivergenceInBits() {
        assertThat(Interests.jensenShannon(new float[] {0.2f, 0.8f}, new float[] {0.2f, 0.8f})).isZero();
        // disjoint supports: one bit
        assertThat(Interests.jensenShannon(new float[] {1f, 0f}, new float[] {0f, 1f})).isCloseTo(1.0, within(1e-9));
        // p = (1, 0), q = (0.5, 0.5): m = (0.75, 0.25); JS = 0.5 ln(1/0.75) + 0.5 (0.5 ln(0.5/0.75) + 0.5 ln(2))
        double expected = (0.5 * Math.log(1 / 0.75) + 0.25 * Math.log(0.5 / 0.75) + 0.25 * Math.log(2)) / Math.log(2);
        assertThat(Interests.jensenShannon(new float[] {1f, 0f}, new float[] {0.5f, 0.5f}))
                .isCloseTo(expected, within(1e-7));
    }

    @Test
    void shouldRankCategoriesMostProbableFirstWithoutTheUnknownRow() {
        Catalogue catalogue = new Catalogue(List.of(Catalogue.OOV_ITEM, "a"),
                List.of(Catalogue.UNKNOWN_CATEGORY, "x", "y", "z"), new int[] {0, 1}, 1);

        List<CategoryProbability> top = Interests.topCategories(catalogue, new float[] {0.7f, 0.1f, 0.1f, 0.1f}, 2);

        assertThat(top).extracting(CategoryProbability::getCategory).containsExactly("x", "y"); // ties: lower row
        assertThat(Interests.topCategories(catalogue, new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 5))
                .extracting(CategoryProbability::getCategory).containsExactly("z", "y", "x");
    }
}

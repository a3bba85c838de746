package io.pulse.model;

import java.util.Arrays;

/**
 * The user's loyalty to their categories in the next-item ranking: {@code affinity × log(1 + n_c)} is added to the
 * logit of every item of category c, where n_c counts the user's remembered items in c (the pipeline's seen items).
 * The item-level counterpart of the category history that weights the next-category distribution
 * ({@link LstmModel#nextCategories}): people mostly buy again in the categories they already buy in, which a small
 * next-item head learns only partly. The weight travels in the bundle ({@code category_affinity.blend}, 0 when
 * absent) and is chosen on validation targets by the trainers. Items of the unknown category (row 0) gain nothing.
 *
 * <p>Built once per model from the catalogue: the items grouped by category, so that a user's few categories touch
 * only their own items (a few hundred to a few thousand adds per event at Amazon Beauty's second level).
 */
final class CategoryAffinity {

    private final float blend;
    private final int[] itemCategory;
    /** [categories + 1] offsets into {@link #itemsByCategory}. */
    private final int[] categoryStart;
    /** Item rows grouped by category, ascending within each. */
    private final int[] itemsByCategory;

    private CategoryAffinity(float blend, int[] itemCategory, int[] categoryStart, int[] itemsByCategory) {
        this.blend = blend;
        this.itemCategory = itemCategory;
        this.categoryStart = categoryStart;
        this.itemsByCategory = itemsByCategory;
    }

    /**
     * The affinity of {@code catalogue}'s items with weight {@code blend}, or null when the weight is 0 (nothing to
     * add).
     *
     * @throws IllegalArgumentException if the weight is negative or not finite
     */
    static CategoryAffinity of(Catalogue catalogue, float blend) {
        if (!(blend >= 0) || !Float.isFinite(blend)) {
            throw new IllegalArgumentException("the category affinity must be a finite weight >= 0, not " + blend);
        }
        if (blend == 0f) {
            return null;
        }
        int[] itemCategory = catalogue.itemCategories();
        int categories = catalogue.categories();
        int[] categoryStart = new int[categories + 1];
        for (int row = 1; row < itemCategory.length; row++) {
            categoryStart[itemCategory[row] + 1]++;
        }
        for (int c = 0; c < categories; c++) {
            categoryStart[c + 1] += categoryStart[c];
        }
        int[] next = Arrays.copyOf(categoryStart, categories);
        int[] itemsByCategory = new int[categoryStart[categories]];
        for (int row = 1; row < itemCategory.length; row++) {
            itemsByCategory[next[itemCategory[row]]++] = row;
        }
        return new CategoryAffinity(blend, itemCategory, categoryStart, itemsByCategory);
    }

    float blend() {
        return blend;
    }

    /**
     * Adds the affinity of the user's items {@code history[0..count)} (rows outside the catalogue and row 0 count
     * nothing) to {@code scores}. {@code categoryCounts} (one per category) and {@code touched} (as long) are
     * scratch; the categories that received something are written to {@code touched}.
     *
     * @return how many categories are in {@code touched}; {@link #clear} zeroes their items' scores again
     */
    int add(int[] history, int count, float[] scores, float[] categoryCounts, int[] touched) {
        Arrays.fill(categoryCounts, 0f);
        int n = 0;
        for (int i = 0; i < count; i++) {
            int row = history[i];
            if (row > 0 && row < itemCategory.length) {
                int category = itemCategory[row];
                if (category > 0) {
                    if (categoryCounts[category] == 0f) {
                        touched[n++] = category;
                    }
                    categoryCounts[category]++;
                }
            }
        }
        for (int t = 0; t < n; t++) {
            int category = touched[t];
            float boost = blend * (float) Math.log1p(categoryCounts[category]);
            for (int e = categoryStart[category]; e < categoryStart[category + 1]; e++) {
                scores[itemsByCategory[e]] += boost;
            }
        }
        return n;
    }

    /** Sets the scores of every item of {@code touched[0..count)}'s categories back to zero. */
    void clear(int[] touched, int count, float[] scores) {
        for (int t = 0; t < count; t++) {
            int category = touched[t];
            for (int e = categoryStart[category]; e < categoryStart[category + 1]; e++) {
                scores[itemsByCategory[e]] = 0f;
            }
        }
    }
}

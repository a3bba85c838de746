package io.pulse.trainer.train;

import io.pulse.model.Catalogue;
import io.pulse.model.FeatureSpec;
import io.pulse.simulator.sequences.ItemAttributes;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.data.UserSequence;
import io.pulse.trainer.interest.RankingWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the trainer learns interests (feature spec version 2): the item and category embedding sizes, the category
 * level predicted, and where the item catalogue comes from — an item file's item to category-path mapping (every item
 * of the file, in the file's order), or, without one, the items of the training period's events (in order of first
 * appearance, each with the category of its latest training event). Items and categories the catalogue does not know
 * read row 0 (and a known category's fallback embedding in the pipeline).
 *
 * @param itemDim        item embedding size
 * @param categoryDim    category embedding size
 * @param level          category path level read and predicted (1 = top)
 * @param itemCategories item id to category path from an item file, in file order; null to use the training data
 * @param itemBrands     item id to brand from an item file (items without one absent), for the brand affinity in the
 *                       next-item ranking; null or empty without brands
 */
public record InterestConfig(int itemDim, int categoryDim, int level, Map<String, String> itemCategories,
        Map<String, String> itemBrands) {

    public InterestConfig {
        if (itemDim < 1 || categoryDim < 1 || level < 1) {
            throw new IllegalArgumentException("item and category embedding sizes and the level must be >= 1, got "
                    + itemDim + ", " + categoryDim + ", " + level);
        }
        itemCategories = itemCategories == null ? null : new LinkedHashMap<>(itemCategories);
        itemBrands = itemBrands == null ? Map.of() : Map.copyOf(itemBrands);
    }

    /** Without brands. */
    public InterestConfig(int itemDim, int categoryDim, int level, Map<String, String> itemCategories) {
        this(itemDim, categoryDim, level, itemCategories, null);
    }

    /** Item embedding 32, category embedding 8, level 2, catalogue from the training data. */
    public static InterestConfig defaults() {
        return new InterestConfig(32, 8, 2, null);
    }

    /**
     * This configuration with the catalogue of an item file ({@code ItemAttributesFile} reads the formats: S3-Rec's
     * item-to-attributes JSON, JSON lines, CSV), each item's whole category path kept ({@code "a>b>c"}), and its
     * brands for the brand affinity.
     */
    public InterestConfig withItems(Map<String, ItemAttributes> items) {
        Map<String, String> categories = new LinkedHashMap<>();
        items.forEach((id, attributes) -> categories.put(id, attributes.category().toString()));
        return new InterestConfig(itemDim, categoryDim, level, categories, RankingWeights.brands(items));
    }

    /** Each row of {@code catalogue}'s brand number for the brand affinity; null without brands. */
    public int[] itemBrands(Catalogue catalogue) {
        return RankingWeights.itemBrands(catalogue, itemBrands);
    }

    /** The feature spec with these embeddings, normalised as {@code dense}. */
    public FeatureSpec spec(FeatureSpec dense) {
        // the dense block is the v1 features plus the entity types the data declares (if any), in that order
        return FeatureSpec.v2(itemDim, categoryDim, level).withEntities(dense.entities())
                .withNormalisation(dense.mean(), dense.std());
    }

    /** The catalogue, from the item file or from the training period of {@code data}. */
    public Catalogue catalogue(TrainingData data) {
        Map<String, String> categoryOf = itemCategories;
        if (categoryOf == null) {
            categoryOf = new LinkedHashMap<>();
            for (UserSequence sequence : data.sequences()) {
                for (int i = 0; i < sequence.length(); i++) {
                    String item = sequence.itemId(i);
                    if (sequence.period(i) != Period.TRAIN || item == null || item.isEmpty()
                            || item.length() > Catalogue.MAX_ID_LENGTH) {
                        continue;
                    }
                    String category = sequence.category(i);
                    if (category != null && !category.isEmpty()) {
                        categoryOf.put(item, category);
                    } else {
                        categoryOf.putIfAbsent(item, null);
                    }
                }
            }
        }
        List<String> itemIds = new ArrayList<>(List.of(Catalogue.OOV_ITEM));
        List<String> categoryIds = new ArrayList<>(List.of(Catalogue.UNKNOWN_CATEGORY));
        Map<String, Integer> categoryRows = new LinkedHashMap<>();
        int[] itemCategory = new int[categoryOf.size() + 1];
        int row = 1;
        for (Map.Entry<String, String> entry : categoryOf.entrySet()) {
            itemIds.add(entry.getKey());
            String path = entry.getValue();
            if (path != null && !path.isEmpty() && path.length() <= Catalogue.MAX_ID_LENGTH) {
                String category = Catalogue.atLevel(path, level);
                itemCategory[row] = categoryRows.computeIfAbsent(category, c -> {
                    categoryIds.add(c);
                    return categoryIds.size() - 1;
                });
            }
            row++;
        }
        return new Catalogue(itemIds, categoryIds, itemCategory, level);
    }

    /** The settings as text (the item file's content is not repeated). */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("itemDim", Integer.toString(itemDim));
        map.put("categoryDim", Integer.toString(categoryDim));
        map.put("categoryLevel", Integer.toString(level));
        map.put("catalogue", itemCategories == null ? "training data" : "item file (" + itemCategories.size()
                + " items" + (itemBrands.isEmpty() ? "" : ", " + itemBrands.size() + " with a brand") + ")");
        return map;
    }
}

package io.pulse.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Small catalogues for tests (shared through this module's test-jar): {@code items} items with ids "item-i" over
 * {@code categories} level-2 categories "1>c", item i in category {@code 1 + i % categories}.
 */
public final class InterestCatalogues {

    private InterestCatalogues() {
    }

    /** Every item with a category. */
    public static Catalogue catalogue(int items, int categories) {
        return catalogue(items, categories, false);
    }

    /** As {@link #catalogue(int, int)}; with {@code lastUncategorised} the last item has no category (row 0). */
    public static Catalogue catalogue(int items, int categories, boolean lastUncategorised) {
        List<String> itemIds = new ArrayList<>(List.of(Catalogue.OOV_ITEM));
        List<String> categoryIds = new ArrayList<>(List.of(Catalogue.UNKNOWN_CATEGORY));
        for (int c = 1; c <= categories; c++) {
            categoryIds.add("1>" + c);
        }
        int[] itemCategory = new int[items + 1];
        for (int i = 1; i <= items; i++) {
            itemIds.add("item-" + i);
            itemCategory[i] = lastUncategorised && i == items ? 0 : 1 + i % categories;
        }
        return new Catalogue(itemIds, categoryIds, itemCategory, 2);
    }
}

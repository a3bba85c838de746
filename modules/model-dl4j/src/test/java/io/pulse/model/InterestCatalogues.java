package io.pulse.model;

import java.util.ArrayList;
import java.util.List;

/** Small catalogues for tests: item i in category {@code 1 + i % categories}, ids "item-i" and "1>c". */
final class InterestCatalogues {

    private InterestCatalogues() {
    }

    static Catalogue catalogue(int items, int categories) {
        List<String> itemIds = new ArrayList<>(List.of(Catalogue.OOV_ITEM));
        List<String> categoryIds = new ArrayList<>(List.of(Catalogue.UNKNOWN_CATEGORY));
        for (int c = 1; c <= categories; c++) {
            categoryIds.add("1>" + c);
        }
        int[] itemCategory = new int[items + 1];
        for (int i = 1; i <= items; i++) {
            itemIds.add("item-" + i);
            itemCategory[i] = 1 + i % categories;
        }
        return new Catalogue(itemIds, categoryIds, itemCategory, 2);
    }
}

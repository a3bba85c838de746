package io.pulse.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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

    /**
     * A co-occurrence prior over {@code catalogue} with random neighbours: each known item gets fewer than
     * {@code maxNeighbours} random neighbour rows with counts 1 to {@code maxCount}; the last 4 items vote, decay 0.5.
     */
    public static ItemCooccurrence randomPrior(Catalogue catalogue, Random random, int maxNeighbours, int maxCount,
            float blend) {
        int items = catalogue.items();
        int[] rowStart = new int[items + 1];
        List<Integer> columns = new ArrayList<>();
        List<Float> counts = new ArrayList<>();
        for (int row = 1; row < items; row++) {
            for (int n = random.nextInt(maxNeighbours); n > 0; n--) {
                columns.add(1 + random.nextInt(items - 1));
                counts.add(1f + random.nextInt(maxCount));
            }
            rowStart[row + 1] = columns.size();
        }
        float[] countArray = new float[counts.size()];
        for (int i = 0; i < countArray.length; i++) {
            countArray[i] = counts.get(i);
        }
        return new ItemCooccurrence(items, rowStart, columns.stream().mapToInt(Integer::intValue).toArray(),
                countArray, 4, 0.5f, blend);
    }
}

package io.pulse.benchmarks;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.UserEvent;
import io.pulse.model.Catalogue;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ItemCooccurrence;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The interest model the cost benchmarks measure (issue 13's cost goal): a version-2 model over a 12,000-item
 * catalogue with 50 second-level categories, hidden 64, item embedding 64, category embedding 8, seeded random
 * weights ({@link ModelBundles#seededRandom(String, long, int, FeatureSpec, Catalogue)}); and the mapping that puts
 * that catalogue's items and categories on the simulator's events, so the end-to-end benchmark feeds the v1 and the
 * v2 pipeline the same bytes with real catalogue items on them.
 *
 * <p>Categories are paths {@code g<group>>s<n>} at level 2 (six top-level groups, as many as the simulator has
 * categories; 8 or 9 second-level categories each); events carry a third level ({@code >l<n>}), which the
 * catalogue cuts away as it does for real category paths. Item {@code sku-<row>} belongs to category
 * {@code 1 + (row - 1) % 50}: 240 items per category.
 */
public final class BenchCatalogue {

    public static final int ITEMS = 12_000;
    public static final int CATEGORIES = 50;
    public static final int HIDDEN = 64;
    public static final int ITEM_DIM = 64;
    public static final int CATEGORY_DIM = 8;
    public static final int LEVEL = 2;
    public static final long SEED = 20_261_123L;
    /** Top-level groups: the simulator's six categories map onto them. */
    static final int GROUPS = 6;
    private static final int LEAVES = 4;

    private BenchCatalogue() {
    }

    /** The catalogue: row 0 OOV, rows 1..{@value #ITEMS}; category rows 1..{@value #CATEGORIES}. */
    public static Catalogue catalogue() {
        List<String> itemIds = new ArrayList<>(ITEMS + 1);
        itemIds.add(Catalogue.OOV_ITEM);
        int[] itemCategory = new int[ITEMS + 1];
        for (int row = 1; row <= ITEMS; row++) {
            itemIds.add(itemId(row));
            itemCategory[row] = categoryOf(row);
        }
        List<String> categoryIds = new ArrayList<>(CATEGORIES + 1);
        categoryIds.add(Catalogue.UNKNOWN_CATEGORY);
        for (int category = 1; category <= CATEGORIES; category++) {
            categoryIds.add(categoryId(category));
        }
        return new Catalogue(itemIds, categoryIds, itemCategory, LEVEL);
    }

    /** The version-2 feature spec: item embedding 64, category embedding 8, categories at level 2. */
    public static FeatureSpec spec() {
        return FeatureSpec.v2(ITEM_DIM, CATEGORY_DIM, LEVEL);
    }

    /** The seeded-random interest bundle over {@link #catalogue()}. */
    public static ModelBundle bundle(String name) {
        return ModelBundles.seededRandom(name, SEED, HIDDEN, spec(), catalogue());
    }

    /**
     * Neighbours per item in {@link #servedBundle}'s co-occurrence prior (Beauty's served table, followers weighted by
     * distance plus item similarity: 596,062 entries over 12,101 items, 49.3 on average).
     */
    static final int FOLLOWERS = 49;
    /** {@link #servedBundle}'s co-occurrence blend, category affinity and category-history weight. */
    static final float BLEND = 16f;
    static final float AFFINITY = 2f;
    static final float CATEGORY_HISTORY = 4f;
    /**
     * Brands of {@link #servedBundle}'s brand affinity, like Beauty's item file: 435 brands over 62 % of the items
     * (Beauty: 7,492 of 12,101), about 17 items per brand.
     */
    static final int BRANDS = 435;
    /** {@link #servedBundle}'s brand-affinity weight. */
    static final float BRAND_AFFINITY = 8f;

    /**
     * {@link #bundle} with what a trained interest bundle serves besides the heads, sized like the one served on
     * Amazon Beauty: a co-occurrence prior of {@value #FOLLOWERS} seeded random neighbours per item (588,000 entries;
     * Beauty's has 596,062) with blend 16, a category affinity, a brand affinity over {@value #BRANDS} brands
     * ({@link #brandOf}) and a category-history weight.
     */
    public static ModelBundle servedBundle(String name) {
        Random random = new Random(SEED);
        int rows = ITEMS + 1;
        int[] rowStart = new int[rows + 1];
        int[] columns = new int[ITEMS * FOLLOWERS];
        float[] counts = new float[ITEMS * FOLLOWERS];
        int entry = 0;
        for (int row = 1; row < rows; row++) {
            for (int f = 0; f < FOLLOWERS; f++) {
                columns[entry] = 1 + random.nextInt(ITEMS);
                counts[entry++] = 1 + random.nextInt(FOLLOWERS - f); // strongest first, as the trainer stores them
            }
            rowStart[row + 1] = entry;
        }
        ItemCooccurrence prior = new ItemCooccurrence(rows, rowStart, columns, counts,
                ItemCooccurrence.MAX_RECENT_ITEMS, 0.5f, BLEND);
        ModelBundle served = ModelBundles.withCooccurrence(bundle(name), prior);
        int[] itemBrand = new int[rows];
        for (int row = 1; row < rows; row++) {
            itemBrand[row] = brandOf(row);
        }
        return ModelBundles.withCategoryHistory(ModelBundles.withBrandAffinity(ModelBundles.withCategoryAffinity(
                served, AFFINITY), itemBrand, BRAND_AFFINITY), CATEGORY_HISTORY);
    }

    /** Item row {@code row}'s brand in {@link #servedBundle}: 5 rows in 8 have one of {@value #BRANDS}, 0 is none. */
    static int brandOf(int row) {
        return row % 8 < 5 ? 1 + (row * 7) % BRANDS : 0;
    }

    /** {@link #bundle} as a runnable model (the kernel this JVM selected). */
    public static LstmModel model(String name) {
        return ModelBundles.toModel(bundle(name));
    }

    static String itemId(int row) {
        return String.format(Locale.ROOT, "sku-%05d", row);
    }

    static int categoryOf(int itemRow) {
        return 1 + (itemRow - 1) % CATEGORIES;
    }

    /** Level-2 id of category row {@code category}: its group is {@code (category - 1) % 6}. */
    static String categoryId(int category) {
        return "g" + (category - 1) % GROUPS + Catalogue.SEPARATOR + "s" + category;
    }

    /** The full (level-3) path an event carries for item row {@code row}. */
    static String eventCategory(int row) {
        return categoryId(categoryOf(row)) + Catalogue.SEPARATOR + "l" + row % LEAVES;
    }

    /**
     * Puts catalogue items on events that carry a product (an item with a category): the simulator's category picks
     * the top-level group, its item one of the group's second-level categories, and the user and the item together
     * one of that category's 240 items. The same user's same simulated item is always the same catalogue item (a
     * view, click and purchase of one product stay one product), and the users' items spread over the whole
     * catalogue. Events without a category (payments at terminals, fraud) keep their item, which the catalogue does
     * not know: the pipeline scores them with the out-of-vocabulary row, as it would in production.
     */
    public static UnaryOperator<UserEvent> onCatalogue() {
        return event -> {
            if (event.getCategory() == null || event.getItemId() == null) {
                return event;
            }
            int group = Math.floorMod(event.getCategory().hashCode(), GROUPS);
            int inGroup = (CATEGORIES - group + GROUPS - 1) / GROUPS; // categories g, g + 6, ... up to 50
            int category = 1 + group + GROUPS * Math.floorMod(event.getItemId().hashCode(), inGroup);
            int index = Math.floorMod(Objects.hash(event.getUserId(), event.getItemId()), ITEMS / CATEGORIES);
            int row = category + CATEGORIES * index;
            event.setItemId(itemId(row));
            event.setCategory(eventCategory(row));
            return event;
        };
    }
}

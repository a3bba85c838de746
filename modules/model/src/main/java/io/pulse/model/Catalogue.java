package io.pulse.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The item catalogue of a version-2 model: item id to row, each item's category row, and the categories at the
 * model's category level. Row 0 of the items is the out-of-vocabulary item ({@link #OOV_ITEM}) and row 0 of the
 * categories the unknown category ({@link #UNKNOWN_CATEGORY}); neither is ever recommended. Immutable.
 *
 * <p>Categories are hierarchical paths with levels joined by {@link #SEPARATOR} ({@code "17>23>41"}, read as
 * Beauty › Skin Care › Face): the model works at one level, chosen at training time, so {@link #categoryRow} cuts an
 * event's path at that level before the lookup ({@code "17>23>41"} at level 2 is {@code "17>23"}).
 */
public final class Catalogue {

    /** Id of item row 0, standing for every item the catalogue does not know. */
    public static final String OOV_ITEM = "<oov>";
    /** Id of category row 0: no category, or one the catalogue does not know. */
    public static final String UNKNOWN_CATEGORY = "<unknown>";
    /** Joins the levels of a category path. */
    public static final String SEPARATOR = ">";
    /** Longer ids are never looked up (they cannot be in a catalogue built by the trainer): OOV at once. */
    public static final int MAX_ID_LENGTH = 256;

    private final List<String> itemIds;
    private final List<String> categoryIds;
    private final int[] itemCategory;
    private final int level;
    private final Map<String, Integer> itemRows;
    private final Map<String, Integer> categoryRows;
    private final int fingerprint;

    /**
     * @param itemIds      item id by row, row 0 {@link #OOV_ITEM}
     * @param categoryIds  category id (a path cut at {@code level}) by row, row 0 {@link #UNKNOWN_CATEGORY}
     * @param itemCategory category row of each item row (0 when unknown; row 0 maps to 0)
     * @param level        the category level, at least 1
     * @throws IllegalArgumentException on duplicate ids, a missing row 0, or category rows out of range
     */
    public Catalogue(List<String> itemIds, List<String> categoryIds, int[] itemCategory, int level) {
        this.itemIds = List.copyOf(itemIds);
        this.categoryIds = List.copyOf(categoryIds);
        this.itemCategory = itemCategory.clone();
        this.level = level;
        if (level < 1) {
            throw new IllegalArgumentException("category level must be at least 1, got " + level);
        }
        if (this.itemIds.isEmpty() || !OOV_ITEM.equals(this.itemIds.get(0)) || this.categoryIds.isEmpty()
                || !UNKNOWN_CATEGORY.equals(this.categoryIds.get(0))) {
            throw new IllegalArgumentException("catalogue row 0 must be " + OOV_ITEM + " and " + UNKNOWN_CATEGORY);
        }
        if (itemCategory.length != this.itemIds.size()) {
            throw new IllegalArgumentException("catalogue has " + this.itemIds.size() + " items but "
                    + itemCategory.length + " item categories");
        }
        this.itemRows = index(this.itemIds, "item");
        this.categoryRows = index(this.categoryIds, "category");
        for (int row = 0; row < itemCategory.length; row++) {
            if (itemCategory[row] < 0 || itemCategory[row] >= this.categoryIds.size()) {
                throw new IllegalArgumentException("item row " + row + " has category row " + itemCategory[row]
                        + ", outside [0, " + this.categoryIds.size() + ")");
            }
        }
        this.fingerprint = 31 * (31 * (31 * this.itemIds.hashCode() + this.categoryIds.hashCode())
                + Arrays.hashCode(itemCategory)) + level;
    }

    /**
     * Identifies the catalogue's rows: two catalogues with the same fingerprint number their items and categories
     * the same way (up to a 2^-32 chance). Stable across JVMs and builds: it is made of {@link String#hashCode()}
     * and {@link List#hashCode()}, whose values the Java specification fixes. Per-user state that holds catalogue
     * rows records it, so rows from another catalogue are never read as this one's.
     */
    public int fingerprint() {
        return fingerprint;
    }

    private static Map<String, Integer> index(List<String> ids, String what) {
        Map<String, Integer> rows = new HashMap<>(ids.size() * 2);
        for (int row = 0; row < ids.size(); row++) {
            if (rows.put(Objects.requireNonNull(ids.get(row), what + " id"), row) != null) {
                throw new IllegalArgumentException(what + " id " + ids.get(row) + " appears twice in the catalogue");
            }
        }
        return rows;
    }

    /** {@code path} cut after {@code level} levels; a path with fewer levels is returned whole. */
    public static String atLevel(String path, int level) {
        int cut = -1;
        for (int l = 0; l < level; l++) {
            cut = path.indexOf(SEPARATOR, cut + 1);
            if (cut < 0) {
                return path;
            }
        }
        return path.substring(0, cut);
    }

    /** Number of item rows, including row 0. */
    public int items() {
        return itemIds.size();
    }

    /** Number of category rows, including row 0. */
    public int categories() {
        return categoryIds.size();
    }

    /** The category level the catalogue's categories are cut at. */
    public int level() {
        return level;
    }

    /** Item ids by row. */
    public List<String> itemIds() {
        return itemIds;
    }

    /** Category ids by row. */
    public List<String> categoryIds() {
        return categoryIds;
    }

    /** The row of an item id; 0 for null, unknown or over-long ids. */
    public int itemRow(String itemId) {
        if (itemId == null || itemId.length() > MAX_ID_LENGTH) {
            return 0;
        }
        Integer row = itemRows.get(itemId);
        return row == null ? 0 : row;
    }

    /** The row of a category path cut at {@link #level()}; 0 for null, blank, unknown or over-long paths. */
    public int categoryRow(String categoryPath) {
        if (categoryPath == null || categoryPath.isEmpty() || categoryPath.length() > MAX_ID_LENGTH) {
            return 0;
        }
        Integer row = categoryRows.get(atLevel(categoryPath, level));
        return row == null ? 0 : row;
    }

    /** The category row of an item row (0 when unknown). */
    public int itemCategory(int itemRow) {
        return itemCategory[itemRow];
    }

    /** Category rows of all item rows (a copy). */
    public int[] itemCategories() {
        return itemCategory.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Catalogue that && level == that.level && itemIds.equals(that.itemIds)
                && categoryIds.equals(that.categoryIds) && Arrays.equals(itemCategory, that.itemCategory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(itemIds, categoryIds, level);
    }

    @Override
    public String toString() {
        return "Catalogue[" + (items() - 1) + " items, " + (categories() - 1) + " categories at level " + level + "]";
    }
}

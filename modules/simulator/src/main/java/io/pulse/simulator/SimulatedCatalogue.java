package io.pulse.simulator;

import io.pulse.simulator.internal.Zipf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's shop: a three-level category hierarchy (e.g. {@code Beauty>Skin Care>Face}, levels joined by
 * {@link #SEPARATOR} as the model's catalogue expects) and {@value #ITEMS_PER_LEAF} items per leaf category. Simulated
 * interests live at level 2 ({@link #interestCategories()}, e.g. {@code Beauty>Skin Care}): a user's interest
 * distribution is over these, an event's category is its item's whole leaf path, and a model trained at category
 * level 2 (the trainer's default) predicts exactly the level the ground truth is kept at.
 *
 * <p>Items are numbered {@code item-0}, {@code item-1}, ... leaf by leaf; within a leaf, item {@code k} is the
 * {@code k}-th most popular (Zipf weights {@code 1 / (k + 1)}), so popularity is known and the same for every user.
 * Immutable and the same in every run: it is a fixed list, not drawn from the seed.
 */
public final class SimulatedCatalogue {

    /** Joins category levels, as {@code io.pulse.model.Catalogue} and the trainer read them. */
    public static final String SEPARATOR = ">";
    /** Items of each leaf category. */
    public static final int ITEMS_PER_LEAF = 10;

    /** Level 1 → level 2 → leaves. */
    private static final Map<String, Map<String, List<String>>> TREE = tree();

    private static final SimulatedCatalogue INSTANCE = new SimulatedCatalogue();

    private final List<String> interestCategories;
    /** Per level-2 category: the whole leaf paths below it. */
    private final List<List<String>> leaves = new ArrayList<>();
    /** Per level-2 category, per leaf: the first item number of the leaf. */
    private final List<int[]> firstItem = new ArrayList<>();
    private final Zipf popularity = new Zipf(ITEMS_PER_LEAF);
    private final int items;

    private SimulatedCatalogue() {
        List<String> level2s = new ArrayList<>();
        int next = 0;
        for (var top : TREE.entrySet()) {
            for (var middle : top.getValue().entrySet()) {
                String level2 = top.getKey() + SEPARATOR + middle.getKey();
                level2s.add(level2);
                List<String> paths = new ArrayList<>();
                int[] first = new int[middle.getValue().size()];
                for (int leaf = 0; leaf < first.length; leaf++) {
                    paths.add(level2 + SEPARATOR + middle.getValue().get(leaf));
                    first[leaf] = next;
                    next += ITEMS_PER_LEAF;
                }
                leaves.add(List.copyOf(paths));
                firstItem.add(first);
            }
        }
        interestCategories = List.copyOf(level2s);
        items = next;
    }

    /** The catalogue (there is one). */
    public static SimulatedCatalogue get() {
        return INSTANCE;
    }

    /** The level-2 categories interests are kept over, in a fixed order (the index of a user's distribution). */
    public List<String> interestCategories() {
        return interestCategories;
    }

    /** Number of level-2 categories. */
    public int interestCategoryCount() {
        return interestCategories.size();
    }

    /** Number of items. */
    public int items() {
        return items;
    }

    /** The whole leaf paths below level-2 category {@code category} (an index of {@link #interestCategories()}). */
    public List<String> leaves(int category) {
        return leaves.get(category);
    }

    /** The id of item {@code rank} (0 = most popular) of leaf {@code leaf} of level-2 category {@code category}. */
    public String itemId(int category, int leaf, int rank) {
        return "item-" + (firstItem.get(category)[leaf] + rank);
    }

    /** The popularity rank within a leaf for a uniform draw {@code u} in [0, 1): Zipf, rank 0 the likeliest. */
    int popularityRank(double u) {
        return popularity.rank(u);
    }

    private static Map<String, Map<String, List<String>>> tree() {
        Map<String, Map<String, List<String>>> tree = new LinkedHashMap<>();
        tree.put("Beauty", levels("Skin Care", List.of("Face", "Body", "Sun"), "Makeup", List.of("Eyes", "Lips"),
                "Fragrance", List.of("Women", "Men")));
        tree.put("Electronics", levels("Audio", List.of("Headphones", "Speakers"), "Computers",
                List.of("Laptops", "Accessories"), "Phones", List.of("Cases", "Chargers")));
        tree.put("Home", levels("Kitchen", List.of("Cookware", "Appliances"), "Garden", List.of("Tools", "Plants"),
                "Furniture", List.of("Living Room", "Bedroom")));
        tree.put("Sports", levels("Running", List.of("Shoes", "Apparel"), "Cycling", List.of("Bikes", "Parts"),
                "Fitness", List.of("Weights", "Yoga")));
        tree.put("Books", levels("Fiction", List.of("Crime", "Fantasy"), "Non-fiction", List.of("History", "Science"),
                "Children", List.of("Picture Books", "Young Adult")));
        return tree;
    }

    private static Map<String, List<String>> levels(String a, List<String> aLeaves, String b, List<String> bLeaves,
            String c, List<String> cLeaves) {
        Map<String, List<String>> level = new LinkedHashMap<>();
        level.put(a, aLeaves);
        level.put(b, bLeaves);
        level.put(c, cLeaves);
        return level;
    }
}

package io.pulse.model;

import java.util.Arrays;

/**
 * The user's loyalty to a grouping of the catalogue's items in the next-item ranking: {@code weight × log(1 + n_g)}
 * is added to the logit of every item of group g, where n_g counts the user's remembered items in g (the pipeline's
 * seen items). Two groupings are served, each with its own weight from the bundle (0 when absent), chosen on
 * validation targets by the trainers:
 * <ul>
 *   <li>the item's <b>category</b> at the catalogue's level ({@code category_affinity.blend}): people mostly buy again
 *       in the categories they already buy in, the item-level counterpart of the category history that weights the
 *       next-category distribution ({@link LstmModel#nextCategories});</li>
 *   <li>the item's <b>brand</b>, when the item file gives brands ({@code brand_affinity.item_brand} and
 *       {@code brand_affinity.blend}): people come back to their brands across categories (on Amazon Beauty this is a
 *       stronger signal than the category).</li>
 * </ul>
 * Both are signals a small next-item head learns only partly. Group 0 (the unknown category; no brand) gains nothing
 * and counts nothing.
 *
 * <p>Built once per model: the items grouped, so that a user's few groups touch only their own items (a few hundred
 * to a few thousand adds per event at Amazon Beauty's second category level, a few dozen per brand).
 */
final class GroupAffinity {

    private final float blend;
    /** [items] each item row's group, 0 for none. */
    private final int[] itemGroup;
    /** [groups + 1] offsets into {@link #itemsByGroup}. */
    private final int[] groupStart;
    /** Item rows grouped by group, ascending within each. */
    private final int[] itemsByGroup;

    private GroupAffinity(float blend, int[] itemGroup, int[] groupStart, int[] itemsByGroup) {
        this.blend = blend;
        this.itemGroup = itemGroup;
        this.groupStart = groupStart;
        this.itemsByGroup = itemsByGroup;
    }

    /** The category affinity of {@code catalogue}'s items with weight {@code blend}; null when the weight is 0. */
    static GroupAffinity ofCategories(Catalogue catalogue, float blend) {
        return of(catalogue.itemCategories(), catalogue.categories(), blend, "category");
    }

    /**
     * The affinity of items grouped by {@code itemGroup} (per item row, {@code 0..groups-1}, 0 for none) with weight
     * {@code blend}, or null when the weight is 0 (nothing to add).
     *
     * @param what the grouping's name, for errors
     * @throws IllegalArgumentException if the weight is negative or not finite, or a group is outside
     *                                  {@code 0..groups-1}
     */
    static GroupAffinity of(int[] itemGroup, int groups, float blend, String what) {
        if (!(blend >= 0) || !Float.isFinite(blend)) {
            throw new IllegalArgumentException("the " + what + " affinity must be a finite weight >= 0, not " + blend);
        }
        if (blend == 0f) {
            return null;
        }
        int[] groupStart = new int[groups + 1];
        for (int row = 1; row < itemGroup.length; row++) {
            if (itemGroup[row] < 0 || itemGroup[row] >= groups) {
                throw new IllegalArgumentException("item row " + row + " is in " + what + " " + itemGroup[row]
                        + ", outside 0.." + (groups - 1));
            }
            groupStart[itemGroup[row] + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            groupStart[g + 1] += groupStart[g];
        }
        int[] next = Arrays.copyOf(groupStart, groups);
        int[] itemsByGroup = new int[groupStart[groups]];
        for (int row = 1; row < itemGroup.length; row++) {
            itemsByGroup[next[itemGroup[row]]++] = row;
        }
        return new GroupAffinity(blend, itemGroup.clone(), groupStart, itemsByGroup);
    }

    float blend() {
        return blend;
    }

    /** How many groups (including group 0, none): the length of {@link #add}'s scratch arrays. */
    int groups() {
        return groupStart.length - 1;
    }

    /**
     * Adds the affinity of the user's items {@code history[0..count)} (rows outside the catalogue and rows of group 0
     * count nothing) to {@code scores}. {@code groupCounts} and {@code touched} ({@link #groups()} long) are scratch:
     * {@code groupCounts} must be all zero, and is again on return (only the user's few groups are touched, not all
     * of them: a catalogue may have tens of thousands of brands); the groups that received something are written to
     * {@code touched}.
     *
     * @return how many groups are in {@code touched}; {@link #clear} zeroes their items' scores again
     */
    int add(int[] history, int count, float[] scores, float[] groupCounts, int[] touched) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            int row = history[i];
            if (row > 0 && row < itemGroup.length) {
                int group = itemGroup[row];
                if (group > 0) {
                    if (groupCounts[group] == 0f) {
                        touched[n++] = group;
                    }
                    groupCounts[group]++;
                }
            }
        }
        for (int t = 0; t < n; t++) {
            int group = touched[t];
            float boost = blend * (float) Math.log1p(groupCounts[group]);
            for (int e = groupStart[group]; e < groupStart[group + 1]; e++) {
                scores[itemsByGroup[e]] += boost;
            }
            groupCounts[group] = 0f;
        }
        return n;
    }

    /** Sets the scores of every item of {@code touched[0..count)}'s groups back to zero. */
    void clear(int[] touched, int count, float[] scores) {
        for (int t = 0; t < count; t++) {
            int group = touched[t];
            for (int e = groupStart[group]; e < groupStart[group + 1]; e++) {
                scores[itemsByGroup[e]] = 0f;
            }
        }
    }
}

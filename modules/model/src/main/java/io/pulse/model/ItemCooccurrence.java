package io.pulse.model;

import java.util.Arrays;

/**
 * An item-to-item co-occurrence prior for the next-item head, learnt by the trainer from the training sequences and
 * shipped in the bundle: per catalogue row i, the rows j that followed i within a few positions, with their counts
 * (the strongest few per row, as compressed sparse rows). At scoring time the user's most recent items vote:
 * {@code prior(j) = blend * log(1 + sum over l of decay^l * count(recent[l], j))}, {@code recent[0]} being the newest
 * item, and the prior is added to the next-item logits before the top K is taken. The product of the model's softmax
 * and {@code (1 + votes)^blend}: the network's long-range view of the user with the sharp short-range "bought together"
 * signal that sparse sequence data carries better than a low-dimensional item table (on Amazon Beauty the blend beats
 * either alone; see {@code benchmarks/NEXT_ITEM.md}). Immutable and thread-safe.
 */
public final class ItemCooccurrence {

    /**
     * The most entries a table may hold: 600,000 (6 bytes each in the bundle, half-precision counts) fit beside a
     * 55,000-item catalogue in one {@code model-weights} message (checked by a test); the trainer keeps fewer
     * neighbours per item when a catalogue's table would be larger.
     */
    public static final int MAX_ENTRIES = 600_000;
    /** The most recent items that can vote: the pipeline's re-warm ring keeps at least this many. */
    public static final int MAX_RECENT_ITEMS = 4;

    private final int items;
    private final int[] rowStart;
    private final int[] columns;
    private final float[] counts;
    private final int recentItems;
    private final float decay;
    private final float blend;

    /**
     * @param items       catalogue rows (row 0, the unknown item, has no neighbours)
     * @param rowStart    [items + 1] offsets into columns/counts, non-decreasing, from 0 to their length
     * @param columns     neighbour rows in 1..items-1
     * @param counts      positive finite weights of the neighbours
     * @param recentItems how many recent items vote, 1..{@link #MAX_RECENT_ITEMS}
     * @param decay       weight of each older vote relative to the next newer one, in (0, 1]
     * @param blend       the prior's weight against the logits, >= 0
     * @throws IllegalArgumentException if the table is inconsistent
     */
    public ItemCooccurrence(int items, int[] rowStart, int[] columns, float[] counts, int recentItems, float decay,
            float blend) {
        if (columns.length > MAX_ENTRIES) {
            throw new IllegalArgumentException("co-occurrence table of " + columns.length + " entries; at most "
                    + MAX_ENTRIES + " (keep fewer neighbours per item)");
        }
        if (rowStart.length != items + 1 || rowStart[0] != 0 || rowStart[items] != columns.length
                || columns.length != counts.length) {
            throw new IllegalArgumentException("co-occurrence rows do not match " + items + " items and "
                    + columns.length + " entries");
        }
        for (int row = 0; row < items; row++) {
            if (rowStart[row + 1] < rowStart[row]) {
                throw new IllegalArgumentException("co-occurrence row offsets decrease at row " + row);
            }
        }
        if (rowStart[1] != 0) {
            throw new IllegalArgumentException("the unknown item (row 0) cannot have co-occurrence neighbours");
        }
        for (int e = 0; e < columns.length; e++) {
            if (columns[e] < 1 || columns[e] >= items || !(counts[e] > 0) || !Float.isFinite(counts[e])) {
                throw new IllegalArgumentException("co-occurrence entry " + e + " (row " + columns[e] + ", count "
                        + counts[e] + ") is not a known row with a positive finite count");
            }
        }
        if (recentItems < 1 || recentItems > MAX_RECENT_ITEMS || !(decay > 0 && decay <= 1) || !(blend >= 0)
                || !Float.isFinite(blend)) {
            throw new IllegalArgumentException("co-occurrence settings out of range: recent items " + recentItems
                    + " (1.." + MAX_RECENT_ITEMS + "), decay " + decay + " ((0, 1]), blend " + blend + " (>= 0)");
        }
        this.items = items;
        this.rowStart = rowStart.clone();
        this.columns = columns.clone();
        this.counts = counts.clone();
        this.recentItems = recentItems;
        this.decay = decay;
        this.blend = blend;
    }

    public int items() {
        return items;
    }

    /** Stored neighbour entries over all rows. */
    public int entries() {
        return columns.length;
    }

    public int recentItems() {
        return recentItems;
    }

    public float decay() {
        return decay;
    }

    public float blend() {
        return blend;
    }

    /** The same table with another blend weight (the trainer chooses it on validation targets). */
    public ItemCooccurrence withBlend(float newBlend) {
        return new ItemCooccurrence(items, rowStart, columns, counts, recentItems, decay, newBlend);
    }

    /** The neighbour rows of {@code row}, strongest first as stored. */
    public int[] neighbours(int row) {
        return Arrays.copyOfRange(columns, rowStart[row], rowStart[row + 1]);
    }

    /** The counts of {@link #neighbours(int) row's neighbours}, in the same order. */
    public float[] neighbourCounts(int row) {
        return Arrays.copyOfRange(counts, rowStart[row], rowStart[row + 1]);
    }

    int[] rowStart() {
        return rowStart;
    }

    int[] columns() {
        return columns;
    }

    float[] counts() {
        return counts;
    }

    /**
     * Adds the prior of the recent items {@code recent[0..count)} (newest first; rows outside the catalogue and the
     * unknown row 0 take their position but do not vote) to {@code scores}. {@code votes} (at least
     * {@link #items()} long, all zero) and {@code touched} (same length) are scratch; votes is left all zero.
     *
     * @return how many rows received a vote; their rows are {@code touched[0..return)}
     */
    int addPrior(int[] recent, int count, float[] scores, float[] votes, int[] touched) {
        if (blend == 0) {
            return 0;
        }
        int n = 0;
        float weight = 1f;
        for (int l = 0; l < Math.min(count, recentItems); l++) {
            int row = recent[l];
            if (row > 0 && row < items) {
                for (int e = rowStart[row]; e < rowStart[row + 1]; e++) {
                    int j = columns[e];
                    if (votes[j] == 0f) {
                        touched[n++] = j;
                    }
                    votes[j] += weight * counts[e];
                }
            }
            weight *= decay;
        }
        for (int t = 0; t < n; t++) {
            int j = touched[t];
            scores[j] += blend * (float) Math.log1p(votes[j]);
            votes[j] = 0f;
        }
        return n;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ItemCooccurrence that && items == that.items && recentItems == that.recentItems
                && decay == that.decay && blend == that.blend && Arrays.equals(rowStart, that.rowStart)
                && Arrays.equals(columns, that.columns) && Arrays.equals(counts, that.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(columns) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ItemCooccurrence[" + entries() + " entries over " + items + " items, " + recentItems
                + " recent items, decay " + decay + ", blend " + blend + "]";
    }
}

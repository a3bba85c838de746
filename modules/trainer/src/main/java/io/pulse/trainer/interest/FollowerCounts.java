package io.pulse.trainer.interest;

import io.pulse.model.Half;
import io.pulse.model.ItemCooccurrence;
import java.util.Arrays;
import java.util.List;

/**
 * Sparse weights of "j follows i" over training sequences, stored per row i as sorted columns j with their weights
 * (compressed sparse rows). {@link #count} gives plain counts of j within a window after i (the co-occurrence and
 * Markov baselines); {@link #byDistance} weighs a pair by 1/distance; {@link #together} is the symmetric item-to-item
 * cosine similarity of items the same user had close together (item-based collaborative filtering); {@link #plus}
 * adds two. Built by sorting packed (i, j) pairs: O(P log P) for P pairs, about a second for Beauty at window 10.
 */
final class FollowerCounts {

    /**
     * A sequence element that takes its position but pairs with nothing: an event whose item the catalogue does not
     * know (or that has none), as the serving side's recent items treat it ({@link ItemCooccurrence}).
     */
    static final int GAP = -1;

    private final int[] rowStart;
    private final int[] columns;
    private final float[] counts;

    private FollowerCounts(int[] rowStart, int[] columns, float[] counts) {
        this.rowStart = rowStart;
        this.columns = columns;
        this.counts = counts;
    }

    /**
     * Counts j after i at a distance of 1 to {@code window} positions; {@code transposed} stores (j, i) instead.
     * Elements are in {@code 0..vocabularySize-1} or {@link #GAP}.
     */
    static FollowerCounts count(List<int[]> sequences, int vocabularySize, int window, boolean transposed) {
        return count(sequences, vocabularySize, 1, window, transposed);
    }

    /**
     * Each pair of j after i within {@code window} positions weighs 1/distance: the next item counts fully, the one
     * after it half, and so on (on Amazon Beauty's validation targets this ranks better than counting every pair
     * in the window alike; see {@link BaselineReport}).
     */
    static FollowerCounts byDistance(List<int[]> sequences, int vocabularySize, int window) {
        FollowerCounts sum = count(sequences, vocabularySize, 1, 1, false);
        for (int distance = 2; distance <= window; distance++) {
            sum = sum.plus(count(sequences, vocabularySize, distance, distance, false), 1.0 / distance);
        }
        return sum;
    }

    /**
     * The cosine similarity of items a user had at most {@code reach} positions apart, in either order:
     * {@code n(i, j) / sqrt(n(i) n(j))}, n(i, j) counting such pairs of positions and n(i) the positions of i; an
     * item is not its own neighbour. The classic item-to-item collaborative-filtering table, which adds "bought by
     * the same people" to the order-aware follower counts.
     */
    static FollowerCounts together(List<int[]> sequences, int vocabularySize, int reach) {
        FollowerCounts after = count(sequences, vocabularySize, 1, reach, false);
        FollowerCounts pairs = after.plus(count(sequences, vocabularySize, 1, reach, true), 1);
        long[] occurrences = new long[vocabularySize];
        for (int[] sequence : sequences) {
            for (int element : sequence) {
                if (element != GAP) {
                    occurrences[element]++; // in range: count() checked every element
                }
            }
        }
        float[] similarity = new float[pairs.counts.length];
        int distinct = 0;
        int[] rowStart = new int[pairs.rowStart.length];
        int[] columns = new int[pairs.columns.length];
        for (int row = 0; row + 1 < pairs.rowStart.length; row++) {
            for (int e = pairs.rowStart[row]; e < pairs.rowStart[row + 1]; e++) {
                int column = pairs.columns[e];
                if (column == row) {
                    continue;
                }
                columns[distinct] = column;
                similarity[distinct++] = (float) (pairs.counts[e]
                        / Math.sqrt((double) occurrences[row] * occurrences[column]));
            }
            rowStart[row + 1] = distinct;
        }
        return new FollowerCounts(rowStart, Arrays.copyOf(columns, distinct), Arrays.copyOf(similarity, distinct));
    }

    /** This table plus {@code scale} times {@code other} (same vocabulary), entry by entry. */
    FollowerCounts plus(FollowerCounts other, double scale) {
        if (other.rowStart.length != rowStart.length) {
            throw new IllegalArgumentException("vocabularies differ: " + (rowStart.length - 1) + " and "
                    + (other.rowStart.length - 1));
        }
        int[] sumStart = new int[rowStart.length];
        int[] sumColumns = new int[columns.length + other.columns.length];
        float[] sumCounts = new float[sumColumns.length];
        int n = 0;
        for (int row = 0; row + 1 < rowStart.length; row++) {
            int a = rowStart[row];
            int b = other.rowStart[row];
            while (a < rowStart[row + 1] || b < other.rowStart[row + 1]) {
                int columnA = a < rowStart[row + 1] ? columns[a] : Integer.MAX_VALUE;
                int columnB = b < other.rowStart[row + 1] ? other.columns[b] : Integer.MAX_VALUE;
                sumColumns[n] = Math.min(columnA, columnB);
                float sum = 0f;
                if (columnA <= columnB) {
                    sum += counts[a++];
                }
                if (columnB <= columnA) {
                    sum += (float) (scale * other.counts[b++]);
                }
                sumCounts[n++] = sum;
            }
            sumStart[row + 1] = n;
        }
        return new FollowerCounts(sumStart, Arrays.copyOf(sumColumns, n), Arrays.copyOf(sumCounts, n));
    }

    /** Counts j after i at a distance of {@code from} to {@code to} positions; {@code transposed} stores (j, i). */
    private static FollowerCounts count(List<int[]> sequences, int vocabularySize, int from, int to,
            boolean transposed) {
        long pairs = 0;
        for (int[] sequence : sequences) {
            for (int p = 0; p < sequence.length; p++) {
                if (sequence[p] == GAP) {
                    continue;
                }
                Popularity.check(sequence[p], vocabularySize);
                for (int q = p + from; q <= Math.min(p + to, sequence.length - 1); q++) {
                    pairs += sequence[q] == GAP ? 0 : 1;
                }
            }
        }
        if (pairs > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many pairs for one array: " + pairs);
        }
        long[] packed = new long[(int) pairs];
        int n = 0;
        for (int[] sequence : sequences) {
            for (int p = 0; p < sequence.length; p++) {
                for (int q = p + from; q <= Math.min(p + to, sequence.length - 1); q++) {
                    if (sequence[p] == GAP || sequence[q] == GAP) {
                        continue;
                    }
                    int first = transposed ? sequence[q] : sequence[p];
                    int second = transposed ? sequence[p] : sequence[q];
                    packed[n++] = ((long) first << 32) | second;
                }
            }
        }
        Arrays.sort(packed);
        int[] rowStart = new int[vocabularySize + 1];
        int[] columns = new int[packed.length];
        float[] counts = new float[packed.length];
        int distinct = 0;
        for (int i = 0; i < packed.length; i++) {
            if (i > 0 && packed[i] == packed[i - 1]) {
                counts[distinct - 1]++;
                continue;
            }
            rowStart[(int) (packed[i] >>> 32) + 1]++;
            columns[distinct] = (int) packed[i];
            counts[distinct++] = 1;
        }
        for (int row = 0; row < vocabularySize; row++) {
            rowStart[row + 1] += rowStart[row];
        }
        return new FollowerCounts(rowStart, Arrays.copyOf(columns, distinct), Arrays.copyOf(counts, distinct));
    }

    /** Entries {@link #toPrior} keeps with at most {@code neighbours} per row. */
    long entriesKeeping(int neighbours) {
        long entries = 0;
        for (int row = 0; row + 1 < rowStart.length; row++) {
            entries += Math.min(neighbours, rowStart[row + 1] - rowStart[row]);
        }
        return entries;
    }

    /**
     * The weights as the bundle's next-item prior over catalogue rows (index i is row i + 1; row 0, the unknown item,
     * has none): per row at most {@code neighbours} followers, the heaviest first (ties to the lower row), each weight
     * rounded to half precision as the bundle stores it, so that what the trainer ranks with is what it serves.
     */
    ItemCooccurrence toPrior(int neighbours, int recentItems, float decay, float blend) {
        int vocabulary = rowStart.length - 1;
        int[] priorStart = new int[vocabulary + 2];
        int[] priorColumns = new int[Math.min(columns.length, (long) vocabulary * neighbours > Integer.MAX_VALUE
                ? Integer.MAX_VALUE : vocabulary * neighbours)];
        float[] priorCounts = new float[priorColumns.length];
        int n = 0;
        for (int row = 0; row < vocabulary; row++) {
            Integer[] order = new Integer[rowStart[row + 1] - rowStart[row]];
            for (int e = 0; e < order.length; e++) {
                order[e] = rowStart[row] + e;
            }
            // columns are sorted within a row, so a stable sort by count keeps lower rows first among ties
            Arrays.sort(order, (a, b) -> Float.compare(counts[b], counts[a]));
            for (int e = 0; e < Math.min(neighbours, order.length); e++) {
                priorColumns[n] = columns[order[e]] + 1;
                priorCounts[n++] = Half.toFloat(Half.fromFloat(counts[order[e]]));
            }
            priorStart[row + 2] = n;
        }
        return new ItemCooccurrence(vocabulary + 1, priorStart, Arrays.copyOf(priorColumns, n),
                Arrays.copyOf(priorCounts, n), recentItems, decay, blend);
    }

    /** Adds {@code weight * count(row, j)} to {@code scores[j]} for every j in {@code row}. */
    void addRow(int row, double weight, double[] scores) {
        for (int e = rowStart[row]; e < rowStart[row + 1]; e++) {
            scores[columns[e]] += weight * counts[e];
        }
    }
}

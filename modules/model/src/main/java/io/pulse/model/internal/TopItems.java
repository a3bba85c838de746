package io.pulse.model.internal;

/**
 * Selects the {@code k} best-scored rows with a bounded min-heap, allocation-free after construction. Ties go to the
 * lower row (the same rule as the trainer's offline ranking, so the pipeline and the evaluation agree). Not
 * thread-safe: one per thread.
 */
public final class TopItems {

    private final int[] heapRows;
    private final float[] heapScores;

    public TopItems(int capacity) {
        this.heapRows = new int[capacity];
        this.heapScores = new float[capacity];
    }

    /** Capacity: the largest k. */
    public int capacity() {
        return heapRows.length;
    }

    /**
     * The best {@code k} of {@code scores[from..to)}, skipping rows whose score is NaN (the caller marks excluded rows
     * NaN), best first into {@code rows} and {@code outScores}.
     *
     * @return how many were written: min(k, eligible rows)
     */
    public int select(float[] scores, int from, int to, int k, int[] rows, float[] outScores) {
        reset(k);
        for (int row = from; row < to; row++) {
            offer(row, scores[row]);
        }
        return drain(rows, outScores);
    }

    private int size;
    private int k;

    /** Starts an incremental selection of the best {@code k} ({@link #offer}, then {@link #drain}). */
    public void reset(int k) {
        if (k > heapRows.length) {
            throw new IllegalArgumentException("k " + k + " exceeds capacity " + heapRows.length);
        }
        this.k = k;
        this.size = 0;
    }

    /** Whether the selection holds k rows already. */
    public boolean full() {
        return size >= k;
    }

    /**
     * The score a row must exceed to enter a full selection. Rows offered in increasing order never enter on a tie
     * (the row already held is lower), so a filter may skip every score not strictly above it.
     */
    public float threshold() {
        return size < k ? Float.NEGATIVE_INFINITY : heapScores[0];
    }

    /** Offers one row (rows in increasing order; NaN scores are skipped). */
    public void offer(int row, float score) {
        if (score != score || k == 0) {
            return;
        }
        if (size < k) {
            heapRows[size] = row;
            heapScores[size] = score;
            siftUp(size++);
        } else if (better(score, row, heapScores[0], heapRows[0])) {
            heapRows[0] = row;
            heapScores[0] = score;
            siftDown(0, size);
        }
    }

    /** Writes the selection best first, as {@link #select} does, and returns its size. */
    public int drain(int[] rows, float[] outScores) {
        int count = size;
        for (int n = size; n > 0; n--) {
            rows[n - 1] = heapRows[0];
            outScores[n - 1] = heapScores[0];
            heapRows[0] = heapRows[n - 1];
            heapScores[0] = heapScores[n - 1];
            siftDown(0, n - 1);
        }
        size = 0;
        return count;
    }

    /** Whether (score a, row a) ranks above (score b, row b). */
    private static boolean better(float a, int rowA, float b, int rowB) {
        return a > b || (a == b && rowA < rowB);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!better(heapScores[parent], heapRows[parent], heapScores[i], heapRows[i])) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i, int size) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < size && better(heapScores[worst], heapRows[worst], heapScores[right], heapRows[right])) {
                worst = right;
            }
            if (!better(heapScores[i], heapRows[i], heapScores[worst], heapRows[worst])) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    private void swap(int a, int b) {
        int row = heapRows[a];
        heapRows[a] = heapRows[b];
        heapRows[b] = row;
        float score = heapScores[a];
        heapScores[a] = heapScores[b];
        heapScores[b] = score;
    }
}

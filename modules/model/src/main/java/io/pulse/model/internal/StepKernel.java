package io.pulse.model.internal;

/**
 * One implementation of the LSTM step and the heads' linear part over a {@link PackedLstm}. Implementations are
 * stateless; all scratch space comes from the caller's {@link Workspace}, so one kernel serves every thread.
 */
public interface StepKernel {

    /** Short name for logs and metrics: {@code vector-256} (bits), {@code scalar}. */
    String name();

    /** Hidden units per block this kernel wants in its {@link PackedLstm}. */
    int blockUnits();

    /** Head outputs are padded to a multiple of this. */
    int outputLanes();

    /**
     * One LSTM step in place: {@code c = f*c + i*g}, {@code h = o*tanh(c)}.
     *
     * @param x normalised input, at least inputSize long
     */
    void step(PackedLstm weights, float[] x, float[] h, float[] c, Workspace workspace);

    /** {@code logits[o] = headBias[o] + sum_k h[k] * headW[k][o]} for all padded outputs. */
    void heads(PackedLstm weights, float[] h, float[] logits);

    /** Items per block this kernel wants in an {@link ItemTable}. */
    int blockItems();

    /** Whether this kernel's {@link #topItems} uses an {@link ItemTable}'s coarse table (built only then). */
    default boolean coarseItems() {
        return false;
    }

    /** {@code scores[j] = bias[j] + sum_k h[k] * W[k][j]} for every item of the table (and its padding). */
    void itemScores(ItemTable table, float[] h, float[] scores);

    /**
     * The best {@code k} of {@code scores[from..to)} (NaN skipped, ties to the lower row) into {@code rows} and
     * {@code out}, best first, as {@link TopItems#select} computes them.
     *
     * @return how many were written
     */
    int selectTop(float[] scores, int from, int to, int k, TopItems top, int[] rows, float[] out);

    /**
     * The best {@code k} of rows {@code [from, to)} by {@code itemScores + extra}: exactly what {@link #itemScores},
     * adding {@code extra[j]} to each score and {@link #selectTop} give (same rows, same order, same float scores),
     * which is how this default computes it. {@code extra} (at least {@link ItemTable#paddedItems()} long, zero where
     * nothing is added) carries the caller's per-row additions: a prior, or NaN for an excluded row.
     *
     * @param scores scratch of at least {@link ItemTable#paddedItems()}
     * @return how many were written
     */
    default int topItems(ItemTable table, float[] h, float[] extra, int from, int to, int k, TopItems top,
            float[] scores, int[] rows, float[] out) {
        itemScores(table, h, scores);
        for (int row = from; row < to; row++) {
            scores[row] += extra[row];
        }
        return selectTop(scores, from, to, k, top, rows, out);
    }
}

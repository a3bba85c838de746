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

    /** {@code scores[j] = bias[j] + sum_k h[k] * W[k][j]} for every item of the table (and its padding). */
    void itemScores(ItemTable table, float[] h, float[] scores);

    /**
     * The best {@code k} of {@code scores[from..to)} (NaN skipped, ties to the lower row) into {@code rows} and
     * {@code out}, best first, as {@link TopItems#select} computes them.
     *
     * @return how many were written
     */
    int selectTop(float[] scores, int from, int to, int k, TopItems top, int[] rows, float[] out);
}

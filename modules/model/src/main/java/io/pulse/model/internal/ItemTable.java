package io.pulse.model.internal;

/**
 * The next-item head's weights rearranged for scoring the whole catalogue: {@code s_j = b_j + sum_k h_k W[k][j]}.
 * Items are cut into blocks of {@link #blockItems()}; within a block, hidden unit {@code k} owns a contiguous run of
 * the block's weights. The kernel keeps the block's scores in registers, broadcasts {@code h_k} once and does one FMA
 * per vector of items: no horizontal reductions, weights read strictly sequentially (one item per lane, as the LSTM
 * step does with gates). Items are padded with zero weights to whole blocks; padded scores are never read.
 *
 * <p>When the kernel asks for it ({@code coarse}), the table also keeps what an exact top-K needs to scan half the
 * bytes: the weights rounded to bfloat16 (the upper half of a float's bits, rounded to nearest even), two items per
 * int in the same block order ({@link #coarse()}), each item's bound on how far its coarse score can be from the exact
 * one ({@link #coarseError()}) and its float weights item-major ({@link #itemMajor()}), so that the few candidates
 * the bound cannot rule out are rescored exactly with contiguous reads. The scan over 12k items x 64 hidden units reads
 * 3 MB of floats per event, more than a core's L2, and runs at the speed of L3; the bfloat16 table halves that.
 * Immutable.
 */
public final class ItemTable {

    private final int items;
    private final int hidden;
    private final int blockItems;
    private final int blocks;
    private final float[] weights;
    private final float[] bias;
    private final int[] coarse;
    private final float[] coarseError;
    private final float[] itemMajor;

    /**
     * @param w          row-major [hidden, items]
     * @param b          [items]
     * @param blockItems items per kernel block
     */
    public ItemTable(int hidden, int items, float[] w, float[] b, int blockItems) {
        this(hidden, items, w, b, blockItems, false);
    }

    /**
     * @param w          row-major [hidden, items]
     * @param b          [items]
     * @param blockItems items per kernel block (even when {@code coarse})
     * @param withCoarse whether to keep the bfloat16 table, its error bounds and the item-major weights; ignored
     *                   (none kept) when a weight or bias is not finite, since no bound holds then
     */
    public ItemTable(int hidden, int items, float[] w, float[] b, int blockItems, boolean withCoarse) {
        this.items = items;
        this.hidden = hidden;
        this.blockItems = blockItems;
        this.blocks = (items + blockItems - 1) / blockItems;
        this.weights = new float[blocks * hidden * blockItems];
        this.bias = new float[blocks * blockItems];
        System.arraycopy(b, 0, bias, 0, items);
        for (int k = 0; k < hidden; k++) {
            for (int j = 0; j < items; j++) {
                int block = j / blockItems;
                weights[(block * hidden + k) * blockItems + j % blockItems] = w[k * items + j];
            }
        }
        if (withCoarse && blockItems % 2 != 0) {
            throw new IllegalArgumentException("a coarse table needs an even block: " + blockItems);
        }
        if (withCoarse && allFinite(w, hidden * items) && allFinite(b, items)) {
            this.coarse = new int[blocks * hidden * blockItems / 2];
            this.coarseError = new float[blocks * blockItems];
            this.itemMajor = new float[items * hidden];
            int half = blockItems / 2;
            for (int j = 0; j < items; j++) {
                int block = j / blockItems;
                int q = j % blockItems;
                // the block's first half in the low 16 bits of its ints, the second half in the high 16 bits
                int shift = q < half ? 0 : 16;
                double error = 0;
                double magnitude = Math.abs(b[j]);
                for (int k = 0; k < hidden; k++) {
                    float weight = w[k * items + j];
                    int rounded = toBfloat16(weight);
                    coarse[(block * hidden + k) * half + q % half] |= rounded << shift;
                    error += Math.abs((double) weight - fromBfloat16(rounded));
                    magnitude += Math.abs(weight);
                    itemMajor[j * hidden + k] = weight;
                }
                // the bfloat16 rounding, plus float rounding in both the coarse and the exact FMA chains
                // (at most 2^-24 of the running magnitude per operation, hidden + 2 operations each)
                double rounding = 2.0 * (hidden + 2) * Math.scalb(1.0, -24) * magnitude * (1 + Math.scalb(1.0, -8));
                coarseError[j] = Math.nextUp((float) (error + rounding));
            }
        } else {
            this.coarse = null;
            this.coarseError = null;
            this.itemMajor = null;
        }
    }

    /** The bfloat16 nearest to {@code value} (ties to even), as the low 16 bits of the result. */
    static int toBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        return ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16) & 0xFFFF;
    }

    /** The float a bfloat16 (low 16 bits) stands for. */
    static float fromBfloat16(int bfloat16) {
        return Float.intBitsToFloat(bfloat16 << 16);
    }

    private static boolean allFinite(float[] values, int length) {
        for (int i = 0; i < length; i++) {
            if (!Float.isFinite(values[i])) {
                return false;
            }
        }
        return true;
    }

    /** Items scored (the catalogue's rows). */
    public int items() {
        return items;
    }

    public int hidden() {
        return hidden;
    }

    public int blockItems() {
        return blockItems;
    }

    public int blocks() {
        return blocks;
    }

    /** Items rounded up to whole blocks: the length of a scores array. */
    public int paddedItems() {
        return blocks * blockItems;
    }

    float[] weights() {
        return weights;
    }

    float[] bias() {
        return bias;
    }

    /** Whether {@link #coarse()}, {@link #coarseError()} and {@link #itemMajor()} are there. */
    public boolean hasCoarse() {
        return coarse != null;
    }

    /**
     * The bfloat16 weights, per block and hidden unit {@code blockItems / 2} ints: int q holds item q of the block in
     * its low 16 bits and item {@code q + blockItems / 2} in its high 16 bits.
     */
    int[] coarse() {
        return coarse;
    }

    /**
     * Per item (padded to whole blocks, padding 0), E_j such that a coarse score and the exact score differ by at most
     * {@code max(1, max_k |h_k|) * E_j}.
     */
    float[] coarseError() {
        return coarseError;
    }

    /** The float weights item by item: [items, hidden]. */
    float[] itemMajor() {
        return itemMajor;
    }
}

package io.pulse.model.internal;

/**
 * The next-item head's weights rearranged for scoring the whole catalogue: {@code s_j = b_j + sum_k h_k W[k][j]}.
 * Items are cut into blocks of {@link #blockItems()}; within a block, hidden unit {@code k} owns a contiguous run of
 * the block's weights. The kernel keeps the block's scores in registers, broadcasts {@code h_k} once and does one FMA
 * per vector of items: no horizontal reductions, weights read strictly sequentially (one item per lane, as the LSTM
 * step does with gates). Items are padded with zero weights to whole blocks; padded scores are never read.
 * Immutable.
 */
public final class ItemTable {

    private final int items;
    private final int hidden;
    private final int blockItems;
    private final int blocks;
    private final float[] weights;
    private final float[] bias;

    /**
     * @param w          row-major [hidden, items]
     * @param b          [items]
     * @param blockItems items per kernel block
     */
    public ItemTable(int hidden, int items, float[] w, float[] b, int blockItems) {
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
}

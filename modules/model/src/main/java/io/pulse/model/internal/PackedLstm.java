package io.pulse.model.internal;

/**
 * LSTM and head weights rearranged for the step kernels. Immutable after construction.
 *
 * <p>Why this layout: the step is {@code z = b + W^T x + RW^T h}. Hidden units are processed in blocks of
 * {@link #blockUnits()} (two vectors' worth); for each block, each input {@code j} (the inputs x then the previous
 * h) owns a contiguous run of {@code 4 * blockUnits} weights: the four gates of the block's units. The kernel
 * broadcasts the input once and does 8 vector FMAs into accumulators that stay in registers for the whole block, with
 * no horizontal reductions and the weights read strictly sequentially. Gate order within a run is DL4J's: block input
 * (tanh), forget, output, input gate.
 *
 * <p>Hidden units are padded with zero weights to a whole number of blocks; head outputs are padded to a whole
 * number of vectors. Padding never leaks: padded units are never copied back into the caller's h and c.
 */
public final class PackedLstm {

    /** Gates per hidden unit. */
    public static final int GATES = 4;

    private final int inputSize;
    private final int hiddenSize;
    private final int blockUnits;
    private final int blocks;
    private final float[] weights;
    private final float[] bias;
    /** Per packed gate position: 2 for the block input (tanh(x) = 2 sigmoid(2x) - 1), 1 for the sigmoid gates. */
    private final float[] gateScale;
    /** Per packed gate position: -1 for the block input, 0 for the sigmoid gates. */
    private final float[] gateOffset;
    private final int outputs;
    private final int paddedOutputs;
    private final float[] headWeights;
    private final float[] headBias;

    /**
     * @param w          row-major [inputSize, 4H], DL4J gate order
     * @param rw         row-major [H, 4H]
     * @param b          [4H]
     * @param headW      row-major [H, outputs]: all heads' weights side by side
     * @param headB      [outputs]
     * @param blockUnits hidden units per kernel block
     * @param outputLanes head outputs are padded to a multiple of this
     */
    public PackedLstm(int inputSize, int hiddenSize, float[] w, float[] rw, float[] b, float[] headW, float[] headB,
            int blockUnits, int outputLanes) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.blockUnits = blockUnits;
        this.blocks = (hiddenSize + blockUnits - 1) / blockUnits;
        int gateColumns = GATES * hiddenSize;
        int rows = inputSize + hiddenSize;
        this.weights = new float[blocks * rows * GATES * blockUnits];
        this.bias = new float[blocks * GATES * blockUnits];
        this.gateScale = new float[bias.length];
        this.gateOffset = new float[bias.length];
        for (int q = 0; q < bias.length; q++) {
            boolean blockInput = (q / blockUnits) % GATES == 0;
            gateScale[q] = blockInput ? 2f : 1f;
            gateOffset[q] = blockInput ? -1f : 0f;
        }
        for (int block = 0; block < blocks; block++) {
            for (int gate = 0; gate < GATES; gate++) {
                for (int u = 0; u < blockUnits; u++) {
                    int unit = block * blockUnits + u;
                    if (unit >= hiddenSize) {
                        continue;
                    }
                    int column = gate * hiddenSize + unit;
                    bias[(block * GATES + gate) * blockUnits + u] = b[column];
                    for (int j = 0; j < rows; j++) {
                        float value = j < inputSize ? w[j * gateColumns + column]
                                : rw[(j - inputSize) * gateColumns + column];
                        weights[((block * rows + j) * GATES + gate) * blockUnits + u] = value;
                    }
                }
            }
        }
        this.outputs = headB.length;
        this.paddedOutputs = (outputs + outputLanes - 1) / outputLanes * outputLanes;
        this.headWeights = new float[hiddenSize * paddedOutputs];
        this.headBias = new float[paddedOutputs];
        System.arraycopy(headB, 0, headBias, 0, outputs);
        for (int k = 0; k < hiddenSize; k++) {
            System.arraycopy(headW, k * outputs, headWeights, k * paddedOutputs, outputs);
        }
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int blockUnits() {
        return blockUnits;
    }

    public int blocks() {
        return blocks;
    }

    /** Hidden size rounded up to whole blocks: the length of the kernels' scratch h and c. */
    public int paddedHidden() {
        return blocks * blockUnits;
    }

    /** Packed gate weights; see the class comment. Shared, never modified: do not write. */
    float[] weights() {
        return weights;
    }

    float[] bias() {
        return bias;
    }

    float[] gateScale() {
        return gateScale;
    }

    float[] gateOffset() {
        return gateOffset;
    }

    public int outputs() {
        return outputs;
    }

    public int paddedOutputs() {
        return paddedOutputs;
    }

    /** Row-major [H, paddedOutputs]. */
    float[] headWeights() {
        return headWeights;
    }

    float[] headBias() {
        return headBias;
    }
}

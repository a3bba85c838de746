package io.pulse.model.internal;

/**
 * The portable kernel: the packed layout with plain loops (which C2 may auto-vectorise) and {@link FastMath}.
 * Chosen when the Vector API module is not resolved, or with {@code -Dpulse.model.kernel=scalar}.
 */
public final class ScalarKernel implements StepKernel {

    /** Two AVX2 vectors' worth: keeps the inner loop friendly to auto-vectorisation. */
    private static final int BLOCK_UNITS = 16;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int blockUnits() {
        return BLOCK_UNITS;
    }

    @Override
    public int outputLanes() {
        return 1;
    }

    @Override
    public void step(PackedLstm weights, float[] x, float[] h, float[] c, Workspace workspace) {
        int inputSize = weights.inputSize();
        int hidden = weights.hiddenSize();
        int units = weights.blockUnits();
        int run = PackedLstm.GATES * units;
        float[] w = weights.weights();
        float[] bias = weights.bias();
        float[] acc = workspace.accumulators;
        float[] hNext = workspace.h;
        int offset = 0;
        for (int block = 0; block < weights.blocks(); block++) {
            System.arraycopy(bias, block * run, acc, 0, run);
            for (int j = 0; j < inputSize; j++, offset += run) {
                accumulate(acc, x[j], w, offset, run);
            }
            for (int k = 0; k < hidden; k++, offset += run) {
                accumulate(acc, h[k], w, offset, run);
            }
            int first = block * units;
            int count = Math.min(units, hidden - first);
            for (int u = 0; u < count; u++) {
                float g = FastMath.tanh(acc[u]);
                float f = FastMath.sigmoid(acc[units + u]);
                float o = FastMath.sigmoid(acc[2 * units + u]);
                float i = FastMath.sigmoid(acc[3 * units + u]);
                float cell = f * c[first + u] + i * g;
                c[first + u] = cell;
                hNext[first + u] = o * FastMath.tanh(cell);
            }
        }
        // c was updated in place (each unit reads only its own cell); h only now, as every block read the old h.
        System.arraycopy(hNext, 0, h, 0, hidden);
    }

    private static void accumulate(float[] acc, float input, float[] w, int offset, int run) {
        for (int q = 0; q < run; q++) {
            acc[q] += input * w[offset + q];
        }
    }

    @Override
    public void heads(PackedLstm weights, float[] h, float[] logits) {
        int outputs = weights.paddedOutputs();
        float[] w = weights.headWeights();
        System.arraycopy(weights.headBias(), 0, logits, 0, outputs);
        for (int k = 0; k < weights.hiddenSize(); k++) {
            float hk = h[k];
            int row = k * outputs;
            for (int o = 0; o < outputs; o++) {
                logits[o] += hk * w[row + o];
            }
        }
    }

    @Override
    public int blockItems() {
        return BLOCK_UNITS;
    }

    @Override
    public void itemScores(ItemTable table, float[] h, float[] scores) {
        int hidden = table.hidden();
        int run = table.blockItems();
        float[] w = table.weights();
        System.arraycopy(table.bias(), 0, scores, 0, table.paddedItems());
        int offset = 0;
        for (int block = 0; block < table.blocks(); block++) {
            int first = block * run;
            for (int k = 0; k < hidden; k++, offset += run) {
                float hk = h[k];
                for (int q = 0; q < run; q++) {
                    scores[first + q] += hk * w[offset + q];
                }
            }
        }
    }

    @Override
    public int selectTop(float[] scores, int from, int to, int k, TopItems top, int[] rows, float[] out) {
        return top.select(scores, from, to, k, rows, out);
    }
}

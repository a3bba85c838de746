package io.pulse.model.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel ({@code jdk.incubator.vector}, JDK 17). Per block of {@code 2 * lanes} hidden units it keeps
 * the 4 gates x 2 vectors of pre-activations in eight registers while streaming the block's packed weights: one
 * broadcast and eight FMAs per input, no reductions. Eight independent accumulators also cover the FMA latency.
 * Then the gate nonlinearities run on whole vectors with {@link VectorMath}.
 *
 * <p>Only loaded (reflectively, by {@link Kernels}) when the incubator module is resolved; referencing this class
 * without it would fail with {@code NoClassDefFoundError}.
 */
public final class VectorKernel implements StepKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }

    @Override
    public int blockUnits() {
        return 2 * LANES;
    }

    @Override
    public int outputLanes() {
        return LANES;
    }

    @Override
    public void step(PackedLstm weights, float[] x, float[] h, float[] c, Workspace workspace) {
        int inputSize = weights.inputSize();
        int hidden = weights.hiddenSize();
        float[] w = weights.weights();
        float[] bias = weights.bias();
        float[] cells = workspace.c;
        float[] hNext = workspace.h;
        System.arraycopy(c, 0, cells, 0, hidden);
        int offset = 0;
        for (int block = 0; block < weights.blocks(); block++) {
            int b = block * 8 * LANES;
            FloatVector g0 = FloatVector.fromArray(SPECIES, bias, b);
            FloatVector g1 = FloatVector.fromArray(SPECIES, bias, b + LANES);
            FloatVector f0 = FloatVector.fromArray(SPECIES, bias, b + 2 * LANES);
            FloatVector f1 = FloatVector.fromArray(SPECIES, bias, b + 3 * LANES);
            FloatVector o0 = FloatVector.fromArray(SPECIES, bias, b + 4 * LANES);
            FloatVector o1 = FloatVector.fromArray(SPECIES, bias, b + 5 * LANES);
            FloatVector i0 = FloatVector.fromArray(SPECIES, bias, b + 6 * LANES);
            FloatVector i1 = FloatVector.fromArray(SPECIES, bias, b + 7 * LANES);
            for (int source = 0; source < 2; source++) {
                float[] in = source == 0 ? x : h;
                int n = source == 0 ? inputSize : hidden;
                for (int j = 0; j < n; j++, offset += 8 * LANES) {
                    FloatVector v = FloatVector.broadcast(SPECIES, in[j]);
                    g0 = FloatVector.fromArray(SPECIES, w, offset).fma(v, g0);
                    g1 = FloatVector.fromArray(SPECIES, w, offset + LANES).fma(v, g1);
                    f0 = FloatVector.fromArray(SPECIES, w, offset + 2 * LANES).fma(v, f0);
                    f1 = FloatVector.fromArray(SPECIES, w, offset + 3 * LANES).fma(v, f1);
                    o0 = FloatVector.fromArray(SPECIES, w, offset + 4 * LANES).fma(v, o0);
                    o1 = FloatVector.fromArray(SPECIES, w, offset + 5 * LANES).fma(v, o1);
                    i0 = FloatVector.fromArray(SPECIES, w, offset + 6 * LANES).fma(v, i0);
                    i1 = FloatVector.fromArray(SPECIES, w, offset + 7 * LANES).fma(v, i1);
                }
            }
            int unit = block * 2 * LANES;
            cell(g0, f0, o0, i0, cells, hNext, unit);
            cell(g1, f1, o1, i1, cells, hNext, unit + LANES);
        }
        System.arraycopy(cells, 0, c, 0, hidden);
        System.arraycopy(hNext, 0, h, 0, hidden);
    }

    private static void cell(FloatVector g, FloatVector f, FloatVector o, FloatVector i, float[] cells, float[] hNext,
            int unit) {
        FloatVector cell = VectorMath.sigmoid(f).mul(FloatVector.fromArray(SPECIES, cells, unit))
                .add(VectorMath.sigmoid(i).mul(VectorMath.tanh(g)));
        cell.intoArray(cells, unit);
        VectorMath.sigmoid(o).mul(VectorMath.tanh(cell)).intoArray(hNext, unit);
    }

    @Override
    public void heads(PackedLstm weights, float[] h, float[] logits) {
        int outputs = weights.paddedOutputs();
        float[] w = weights.headWeights();
        float[] bias = weights.headBias();
        for (int v = 0; v < outputs; v += LANES) {
            FloatVector acc = FloatVector.fromArray(SPECIES, bias, v);
            for (int k = 0, row = v; k < weights.hiddenSize(); k++, row += outputs) {
                acc = FloatVector.fromArray(SPECIES, w, row).fma(FloatVector.broadcast(SPECIES, h[k]), acc);
            }
            acc.intoArray(logits, v);
        }
    }
}

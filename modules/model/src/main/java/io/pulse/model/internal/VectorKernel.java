package io.pulse.model.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel ({@code jdk.incubator.vector}, JDK 17), in three small loops:
 * <ol>
 *   <li>per block of {@code 2 * lanes} hidden units, the 4 gates x 2 vectors of pre-activations stay in eight
 *       registers while the block's packed weights stream by: one broadcast and eight FMAs per input, no reductions;
 *       eight independent accumulators also cover the FMA latency;</li>
 *   <li>one activation over all gate pre-activations (sigmoid, or tanh as a scaled sigmoid for the block input);</li>
 *   <li>the cell update and {@code h = o * tanh(c)}.</li>
 * </ol>
 * Why separate loops and no helper calls carrying vectors between them: C2 only keeps vectors in registers when
 * everything touching them is inlined into one compilation, and one big method hits its inlining node limit (measured:
 * a single-method version ran at 25 µs per step, boxing vectors). Vectors never cross a method boundary here.
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
        int hidden = weights.hiddenSize();
        float[] z = workspace.gates;
        for (int block = 0; block < weights.blocks(); block++) {
            preActivations(weights, block, x, h, z);
        }
        activate(z, weights.gateScale(), weights.gateOffset());
        float[] cells = workspace.c;
        System.arraycopy(c, 0, cells, 0, hidden);
        updateCells(z, cells, workspace.h, weights.blocks());
        System.arraycopy(cells, 0, c, 0, hidden);
        System.arraycopy(workspace.h, 0, h, 0, hidden);
    }

    /** z[block] = b + W x + RW h for the block's units, gate-major: [gate][2 * lanes]. */
    private static void preActivations(PackedLstm weights, int block, float[] x, float[] h, float[] z) {
        float[] w = weights.weights();
        float[] bias = weights.bias();
        int b = block * 8 * LANES;
        FloatVector g0 = FloatVector.fromArray(SPECIES, bias, b);
        FloatVector g1 = FloatVector.fromArray(SPECIES, bias, b + LANES);
        FloatVector f0 = FloatVector.fromArray(SPECIES, bias, b + 2 * LANES);
        FloatVector f1 = FloatVector.fromArray(SPECIES, bias, b + 3 * LANES);
        FloatVector o0 = FloatVector.fromArray(SPECIES, bias, b + 4 * LANES);
        FloatVector o1 = FloatVector.fromArray(SPECIES, bias, b + 5 * LANES);
        FloatVector i0 = FloatVector.fromArray(SPECIES, bias, b + 6 * LANES);
        FloatVector i1 = FloatVector.fromArray(SPECIES, bias, b + 7 * LANES);
        int inputs = weights.inputSize();
        int hidden = weights.hiddenSize();
        int offset = block * (inputs + hidden) * 8 * LANES;
        // Two loops rather than one with a branch per input: x, then the previous h.
        for (int j = 0; j < inputs; j++, offset += 8 * LANES) {
            FloatVector v = FloatVector.broadcast(SPECIES, x[j]);
            g0 = FloatVector.fromArray(SPECIES, w, offset).fma(v, g0);
            g1 = FloatVector.fromArray(SPECIES, w, offset + LANES).fma(v, g1);
            f0 = FloatVector.fromArray(SPECIES, w, offset + 2 * LANES).fma(v, f0);
            f1 = FloatVector.fromArray(SPECIES, w, offset + 3 * LANES).fma(v, f1);
            o0 = FloatVector.fromArray(SPECIES, w, offset + 4 * LANES).fma(v, o0);
            o1 = FloatVector.fromArray(SPECIES, w, offset + 5 * LANES).fma(v, o1);
            i0 = FloatVector.fromArray(SPECIES, w, offset + 6 * LANES).fma(v, i0);
            i1 = FloatVector.fromArray(SPECIES, w, offset + 7 * LANES).fma(v, i1);
        }
        for (int k = 0; k < hidden; k++, offset += 8 * LANES) {
            FloatVector v = FloatVector.broadcast(SPECIES, h[k]);
            g0 = FloatVector.fromArray(SPECIES, w, offset).fma(v, g0);
            g1 = FloatVector.fromArray(SPECIES, w, offset + LANES).fma(v, g1);
            f0 = FloatVector.fromArray(SPECIES, w, offset + 2 * LANES).fma(v, f0);
            f1 = FloatVector.fromArray(SPECIES, w, offset + 3 * LANES).fma(v, f1);
            o0 = FloatVector.fromArray(SPECIES, w, offset + 4 * LANES).fma(v, o0);
            o1 = FloatVector.fromArray(SPECIES, w, offset + 5 * LANES).fma(v, o1);
            i0 = FloatVector.fromArray(SPECIES, w, offset + 6 * LANES).fma(v, i0);
            i1 = FloatVector.fromArray(SPECIES, w, offset + 7 * LANES).fma(v, i1);
        }
        g0.intoArray(z, b);
        g1.intoArray(z, b + LANES);
        f0.intoArray(z, b + 2 * LANES);
        f1.intoArray(z, b + 3 * LANES);
        o0.intoArray(z, b + 4 * LANES);
        o1.intoArray(z, b + 5 * LANES);
        i0.intoArray(z, b + 6 * LANES);
        i1.intoArray(z, b + 7 * LANES);
    }

    /** Gate activations in place; the block-input gate's inputs were pre-doubled in the scale (tanh via sigmoid). */
    private static void activate(float[] z, float[] scale, float[] offset) {
        for (int q = 0; q < z.length; q += LANES) {
            FloatVector s = FloatVector.fromArray(SPECIES, scale, q);
            FloatVector pre = FloatVector.fromArray(SPECIES, z, q).mul(s);
            VectorMath.scaledSigmoid(pre, s, FloatVector.fromArray(SPECIES, offset, q)).intoArray(z, q);
        }
    }

    /** c = f*c + i*g; h = o * tanh(c), block by block. */
    private static void updateCells(float[] z, float[] cells, float[] hNext, int blocks) {
        FloatVector two = FloatVector.broadcast(SPECIES, 2f);
        FloatVector minusOne = FloatVector.broadcast(SPECIES, -1f);
        for (int q = 0; q < blocks * 2; q++) {
            int b = (q >> 1) * 8 * LANES + (q & 1) * LANES;
            int unit = q * LANES;
            FloatVector g = FloatVector.fromArray(SPECIES, z, b);
            FloatVector f = FloatVector.fromArray(SPECIES, z, b + 2 * LANES);
            FloatVector o = FloatVector.fromArray(SPECIES, z, b + 4 * LANES);
            FloatVector i = FloatVector.fromArray(SPECIES, z, b + 6 * LANES);
            FloatVector cell = f.fma(FloatVector.fromArray(SPECIES, cells, unit), i.mul(g));
            cell.intoArray(cells, unit);
            o.mul(VectorMath.scaledSigmoid(cell.add(cell), two, minusOne)).intoArray(hNext, unit);
        }
    }

    /** Four accumulators per output vector: one chain of 64 dependent FMAs would be latency-bound. */
    @Override
    public void heads(PackedLstm weights, float[] h, float[] logits) {
        int outputs = weights.paddedOutputs();
        int hidden = weights.hiddenSize();
        float[] w = weights.headWeights();
        float[] bias = weights.headBias();
        for (int v = 0; v < outputs; v += LANES) {
            FloatVector a0 = FloatVector.fromArray(SPECIES, bias, v);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            int k = 0;
            for (; k + 3 < hidden; k += 4) {
                int row = k * outputs + v;
                a0 = FloatVector.fromArray(SPECIES, w, row).fma(FloatVector.broadcast(SPECIES, h[k]), a0);
                a1 = FloatVector.fromArray(SPECIES, w, row + outputs).fma(FloatVector.broadcast(SPECIES, h[k + 1]), a1);
                a2 = FloatVector.fromArray(SPECIES, w, row + 2 * outputs)
                        .fma(FloatVector.broadcast(SPECIES, h[k + 2]), a2);
                a3 = FloatVector.fromArray(SPECIES, w, row + 3 * outputs)
                        .fma(FloatVector.broadcast(SPECIES, h[k + 3]), a3);
            }
            for (; k < hidden; k++) {
                a0 = FloatVector.fromArray(SPECIES, w, k * outputs + v).fma(FloatVector.broadcast(SPECIES, h[k]), a0);
            }
            a0.add(a1).add(a2.add(a3)).intoArray(logits, v);
        }
    }

    /** Four vectors of items per block: four independent FMA chains cover the FMA latency. */
    @Override
    public int blockItems() {
        return 4 * LANES;
    }

    @Override
    public void itemScores(ItemTable table, float[] h, float[] scores) {
        int hidden = table.hidden();
        float[] w = table.weights();
        float[] bias = table.bias();
        int offset = 0;
        for (int block = 0; block < table.blocks(); block++) {
            int first = block * 4 * LANES;
            FloatVector a0 = FloatVector.fromArray(SPECIES, bias, first);
            FloatVector a1 = FloatVector.fromArray(SPECIES, bias, first + LANES);
            FloatVector a2 = FloatVector.fromArray(SPECIES, bias, first + 2 * LANES);
            FloatVector a3 = FloatVector.fromArray(SPECIES, bias, first + 3 * LANES);
            for (int k = 0; k < hidden; k++, offset += 4 * LANES) {
                FloatVector v = FloatVector.broadcast(SPECIES, h[k]);
                a0 = FloatVector.fromArray(SPECIES, w, offset).fma(v, a0);
                a1 = FloatVector.fromArray(SPECIES, w, offset + LANES).fma(v, a1);
                a2 = FloatVector.fromArray(SPECIES, w, offset + 2 * LANES).fma(v, a2);
                a3 = FloatVector.fromArray(SPECIES, w, offset + 3 * LANES).fma(v, a3);
            }
            a0.intoArray(scores, first);
            a1.intoArray(scores, first + LANES);
            a2.intoArray(scores, first + 2 * LANES);
            a3.intoArray(scores, first + 3 * LANES);
        }
    }

    /**
     * The heap only sees the few scores above its current threshold: one vector compare per {@code lanes} items
     * filters the rest (NaN compares false, so excluded rows drop out here too). Rows arrive in increasing order, so
     * a tie never enters a full heap and a strict compare is exact.
     */
    @Override
    public int selectTop(float[] scores, int from, int to, int k, TopItems top, int[] rows, float[] out) {
        top.reset(k);
        int row = from;
        for (; row < to && !top.full(); row++) {
            top.offer(row, scores[row]);
        }
        float threshold = top.threshold();
        for (; row + LANES <= to; row += LANES) {
            if (FloatVector.fromArray(SPECIES, scores, row).compare(VectorOperators.GT, threshold).anyTrue()) {
                for (int lane = 0; lane < LANES; lane++) {
                    top.offer(row + lane, scores[row + lane]);
                }
                threshold = top.threshold();
            }
        }
        for (; row < to; row++) {
            top.offer(row, scores[row]);
        }
        return top.drain(rows, out);
    }
}

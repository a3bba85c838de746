package io.pulse.model.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
    private static final VectorSpecies<Integer> INT_SPECIES = IntVector.SPECIES_PREFERRED;
    private static final int HIGH_HALF = 0xFFFF0000;
    /**
     * Adding a prior to a coarse and to an exact score rounds each once more, by at most 2^-24 of the sum: this
     * relative margin (2^-21) covers both with room.
     */
    private static final float SUM_MARGIN = 0x1p-21f;

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

    @Override
    public boolean coarseItems() {
        return true;
    }

    /**
     * Exact top-K in three passes over a table with a coarse (bfloat16) copy: (1) every item's coarse score plus
     * {@code extra}, reading half the bytes of the float scan; (2) the k-th best lower bound T of those scores (coarse
     * minus its error bound); (3) only the items whose upper bound reaches T are rescored exactly — the float FMA chain
     * from the bias in hidden-unit order, which is what {@link #itemScores} computes in each lane, so the exact score
     * is bit-identical — and offered, in increasing row order, to the selection. Every item left out has an exact
     * score strictly below T, and at least k items score T or more, so the result is the float scan's: same rows,
     * same order, same scores.
     */
    @Override
    public int topItems(ItemTable table, float[] h, float[] extra, int from, int to, int k, TopItems top,
            float[] scores, int[] rows, float[] out) {
        if (!table.hasCoarse()) {
            return StepKernel.super.topItems(table, h, extra, from, to, k, top, scores, rows, out);
        }
        coarseScores(table, h, extra, scores);
        int hidden = table.hidden();
        float slack = 1f;
        for (int unit = 0; unit < hidden; unit++) {
            slack = Math.max(slack, Math.abs(h[unit]));
        }
        float[] error = table.coarseError();
        float lowest = kthLowerBound(scores, error, slack, from, to, k, top);
        top.reset(k);
        int row = from;
        for (; row < to && row % LANES != 0; row++) {
            offerIfReaching(table, h, extra, scores, error, slack, lowest, row, top);
        }
        for (; row + LANES <= to; row += LANES) {
            FloatVector score = FloatVector.fromArray(SPECIES, scores, row);
            FloatVector bound = FloatVector.fromArray(SPECIES, error, row).mul(slack)
                    .add(score.abs().mul(SUM_MARGIN));
            if (score.add(bound).compare(VectorOperators.GE, lowest).anyTrue()) {
                for (int lane = 0; lane < LANES; lane++) {
                    offerIfReaching(table, h, extra, scores, error, slack, lowest, row + lane, top);
                }
            }
        }
        for (; row < to; row++) {
            offerIfReaching(table, h, extra, scores, error, slack, lowest, row, top);
        }
        return top.drain(rows, out);
    }

    /** Coarse scores: the bfloat16 weights widened in registers (a shift or a mask per two vectors of items). */
    private static void coarseScores(ItemTable table, float[] h, float[] extra, float[] scores) {
        int hidden = table.hidden();
        int[] packed = table.coarse();
        float[] bias = table.bias();
        int offset = 0;
        for (int block = 0; block < table.blocks(); block++) {
            int first = block * 4 * LANES;
            FloatVector a0 = FloatVector.fromArray(SPECIES, bias, first);
            FloatVector a1 = FloatVector.fromArray(SPECIES, bias, first + LANES);
            FloatVector a2 = FloatVector.fromArray(SPECIES, bias, first + 2 * LANES);
            FloatVector a3 = FloatVector.fromArray(SPECIES, bias, first + 3 * LANES);
            for (int k = 0; k < hidden; k++, offset += 2 * LANES) {
                FloatVector v = FloatVector.broadcast(SPECIES, h[k]);
                IntVector p0 = IntVector.fromArray(INT_SPECIES, packed, offset);
                IntVector p1 = IntVector.fromArray(INT_SPECIES, packed, offset + LANES);
                // ints of the first half-block: items 0..L-1 low, 2L..3L-1 high; second: L..2L-1 low, 3L..4L-1 high
                a0 = p0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(v, a0);
                a2 = p0.and(HIGH_HALF).reinterpretAsFloats().fma(v, a2);
                a1 = p1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(v, a1);
                a3 = p1.and(HIGH_HALF).reinterpretAsFloats().fma(v, a3);
            }
            a0.add(FloatVector.fromArray(SPECIES, extra, first)).intoArray(scores, first);
            a1.add(FloatVector.fromArray(SPECIES, extra, first + LANES)).intoArray(scores, first + LANES);
            a2.add(FloatVector.fromArray(SPECIES, extra, first + 2 * LANES)).intoArray(scores, first + 2 * LANES);
            a3.add(FloatVector.fromArray(SPECIES, extra, first + 3 * LANES)).intoArray(scores, first + 3 * LANES);
        }
    }

    /** The k-th best of the coarse scores' lower bounds over {@code [from, to)}; minus infinity with fewer rows. */
    private static float kthLowerBound(float[] scores, float[] error, float slack, int from, int to, int k,
            TopItems top) {
        top.reset(k);
        int row = from;
        for (; row < to && (row % LANES != 0 || !top.full()); row++) {
            top.offer(row, lowerBound(scores[row], error[row], slack));
        }
        float threshold = top.threshold();
        for (; row + LANES <= to; row += LANES) {
            FloatVector score = FloatVector.fromArray(SPECIES, scores, row);
            FloatVector bound = FloatVector.fromArray(SPECIES, error, row).mul(slack)
                    .add(score.abs().mul(SUM_MARGIN));
            if (score.sub(bound).compare(VectorOperators.GT, threshold).anyTrue()) {
                for (int lane = 0; lane < LANES; lane++) {
                    top.offer(row + lane, lowerBound(scores[row + lane], error[row + lane], slack));
                }
                threshold = top.threshold();
            }
        }
        for (; row < to; row++) {
            top.offer(row, lowerBound(scores[row], error[row], slack));
        }
        float lowest = top.full() ? top.threshold() : Float.NEGATIVE_INFINITY;
        top.reset(k);
        return lowest;
    }

    private static float lowerBound(float score, float error, float slack) {
        return score - (error * slack + Math.abs(score) * SUM_MARGIN);
    }

    /** Rescores {@code row} exactly and offers it when its coarse upper bound reaches {@code lowest}. */
    private static void offerIfReaching(ItemTable table, float[] h, float[] extra, float[] scores, float[] error,
            float slack, float lowest, int row, TopItems top) {
        float score = scores[row];
        if (!(score + (error[row] * slack + Math.abs(score) * SUM_MARGIN) >= lowest)) {
            return;
        }
        int hidden = table.hidden();
        float[] w = table.itemMajor();
        int base = row * hidden;
        float exact = table.bias()[row];
        for (int k = 0; k < hidden; k++) {
            exact = Math.fma(w[base + k], h[k], exact);
        }
        top.offer(row, exact + extra[row]);
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

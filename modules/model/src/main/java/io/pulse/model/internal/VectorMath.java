package io.pulse.model.internal;

import static io.pulse.model.internal.FastMath.EXP_MAX;
import static io.pulse.model.internal.FastMath.EXP_MIN;
import static io.pulse.model.internal.FastMath.LN2_HI;
import static io.pulse.model.internal.FastMath.LN2_LO;
import static io.pulse.model.internal.FastMath.LOG2E;
import static io.pulse.model.internal.FastMath.P0;
import static io.pulse.model.internal.FastMath.P1;
import static io.pulse.model.internal.FastMath.P2;
import static io.pulse.model.internal.FastMath.P3;
import static io.pulse.model.internal.FastMath.P4;
import static io.pulse.model.internal.FastMath.P5;
import static io.pulse.model.internal.FastMath.ROUNDING_SHIFTER;
import static io.pulse.model.internal.FastMath.SHIFTER_BITS_MINUS_BIAS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FastMath}'s exp on whole vectors, and the gate activations built on it. No lane is special-cased and
 * {@code 2^n} is built with integer lane ops, so everything stays in vector registers (no masks, which JDK 17 does not
 * always intrinsify). Loaded only when the {@code jdk.incubator.vector} module is present.
 */
final class VectorMath {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {
    }

    private static FloatVector k(float value) {
        return FloatVector.broadcast(SPECIES, value);
    }

    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector shifted = x.fma(k(LOG2E), k(ROUNDING_SHIFTER));
        FloatVector n = shifted.sub(ROUNDING_SHIFTER);
        FloatVector r = n.fma(k(-LN2_HI), x);
        r = n.fma(k(-LN2_LO), r);
        FloatVector p = r.fma(k(P0), k(P1));
        p = p.fma(r, k(P2));
        p = p.fma(r, k(P3));
        p = p.fma(r, k(P4));
        p = p.fma(r, k(P5));
        FloatVector er = p.fma(r.mul(r), r.add(1f));
        IntVector scaleBits = shifted.reinterpretAsInts()
                .sub(SHIFTER_BITS_MINUS_BIAS)
                .lanewise(VectorOperators.LSHL, 23);
        return er.mul(scaleBits.reinterpretAsFloats());
    }

    /**
     * {@code 1 / (1 + e^-x)} times {@code scale}, plus {@code offset}: with scale 1, offset 0 the sigmoid; with
     * scale 2, offset -1 (and the input doubled) {@code tanh(x) = 2 sigmoid(2x) - 1}, whose absolute error stays
     * near 1e-7 (relative accuracy near zero is not needed: gate values are multiplied and added, never divided).
     * One formula for all gates keeps the kernel's loops branch-free and small enough for C2 to compile whole.
     */
    static FloatVector scaledSigmoid(FloatVector x, FloatVector scale, FloatVector offset) {
        return k(1f).div(exp(x.neg()).add(1f)).fma(scale, offset);
    }
}

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
import static io.pulse.model.internal.FastMath.T1;
import static io.pulse.model.internal.FastMath.T2;
import static io.pulse.model.internal.FastMath.T3;
import static io.pulse.model.internal.FastMath.T4;
import static io.pulse.model.internal.FastMath.T5;
import static io.pulse.model.internal.FastMath.TANH_SMALL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FastMath}'s exp, sigmoid and tanh on whole vectors: no lane is special-cased, both tanh branches are computed
 * and blended, and {@code 2^n} is built with integer lane ops, so everything stays in vector registers. Loaded only
 * when the {@code jdk.incubator.vector} module is present.
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

    static FloatVector sigmoid(FloatVector x) {
        return k(1f).div(exp(x.neg()).add(1f));
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector t = x.mul(x);
        FloatVector q = t.fma(k(T5), k(T4));
        q = q.fma(t, k(T3));
        q = q.fma(t, k(T2));
        q = q.fma(t, k(T1));
        FloatVector small = x.fma(q.mul(t), x);
        FloatVector large = k(-2f).div(exp(x.add(x)).add(1f)).add(1f);
        VectorMask<Float> isSmall = x.abs().lt(TANH_SMALL);
        return large.blend(small, isSmall);
    }
}

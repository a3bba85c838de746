package io.pulse.benchmarks;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * An FMA-bound loop: twelve independent vector accumulators (enough to cover FMA latency on two FMA pipes, few enough
 * to stay in the 16 AVX2 registers), no memory traffic. Its rate is this CPU's practical peak FLOP rate in Java.
 */
final class FmaPeak {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int ACCUMULATORS = 12;

    private FmaPeak() {
    }

    /** FLOPs done by one {@link #run} iteration. */
    static int flopsPerIteration() {
        return ACCUMULATORS * SPECIES.length() * 2;
    }

    static float run(int iterations, float multiplier, float addend) {
        FloatVector m = FloatVector.broadcast(SPECIES, multiplier);
        FloatVector b = FloatVector.broadcast(SPECIES, addend);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 0.1f);
        FloatVector a1 = a0.add(0.01f);
        FloatVector a2 = a0.add(0.02f);
        FloatVector a3 = a0.add(0.03f);
        FloatVector a4 = a0.add(0.04f);
        FloatVector a5 = a0.add(0.05f);
        FloatVector a6 = a0.add(0.06f);
        FloatVector a7 = a0.add(0.07f);
        FloatVector a8 = a0.add(0.08f);
        FloatVector a9 = a0.add(0.09f);
        FloatVector a10 = a0.add(0.10f);
        FloatVector a11 = a0.add(0.11f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, b);
            a1 = a1.fma(m, b);
            a2 = a2.fma(m, b);
            a3 = a3.fma(m, b);
            a4 = a4.fma(m, b);
            a5 = a5.fma(m, b);
            a6 = a6.fma(m, b);
            a7 = a7.fma(m, b);
            a8 = a8.fma(m, b);
            a9 = a9.fma(m, b);
            a10 = a10.fma(m, b);
            a11 = a11.fma(m, b);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}

package io.pulse.simulator.internal;

/**
 * A Zipf distribution over ranks {@code 0..n-1}, rank k with weight {@code 1 / (k + 1)}, drawn by inverting its
 * cumulative distribution: the simulator's item popularity within a leaf and its busy terminals' popularity.
 * Immutable.
 */
public final class Zipf {

    private final double[] cumulative;

    public Zipf(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a Zipf distribution needs at least one rank, was " + n);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / (k + 1);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
    }

    /** The rank a uniform draw {@code u} in [0, 1) picks; rank 0 the likeliest. */
    public int rank(double u) {
        for (int k = 0; k < cumulative.length; k++) {
            if (u < cumulative[k]) {
                return k;
            }
        }
        return cumulative.length - 1;
    }
}

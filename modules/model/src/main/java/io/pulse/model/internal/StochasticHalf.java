package io.pulse.model.internal;

import io.pulse.model.Half;

/**
 * Rounds non-negative values to half precision stochastically, with randomness derived deterministically from the
 * event being applied.
 *
 * <p>Why: a decayed counter stored as a half loses every update smaller than half its spacing when rounded to
 * nearest. A counter at 2048 would never count another event (2049 rounds back to 2048), and a 30-day counter updated
 * every few minutes would never decay. Rounding up with probability equal to the fractional position keeps every
 * counter unbiased. The randomness is a hash of the event, so the trainer replaying history and the pipeline
 * round-tripping state through RocksDB compute bit-identical windows.
 */
public final class StochasticHalf {

    private static final short MAX_FINITE = 0x7BFF;

    private StochasticHalf() {
    }

    /**
     * Rounds {@code value} to one of the two neighbouring halves, up with probability equal to its position between
     * them. Non-positive and NaN values give 0; values at or above {@link Half#MAX_VALUE} saturate there (a counter
     * never becomes infinite).
     *
     * @param uniform16 a uniformly distributed value in [0, 65536)
     * @return the chosen half, as its float value
     */
    public static float round(double value, int uniform16) {
        if (!(value > 0)) {
            return 0f;
        }
        if (value >= Half.MAX_VALUE) {
            return Half.MAX_VALUE;
        }
        short below = Half.fromFloat((float) value);
        float lower = Half.toFloat(below);
        if (lower > value) {
            below--;
            lower = Half.toFloat(below);
        }
        if (lower == value || below == MAX_FINITE) {
            return lower;
        }
        float upper = Half.toFloat((short) (below + 1));
        double fraction = (value - lower) / (upper - lower);
        return uniform16 < fraction * 65536.0 ? upper : lower;
    }

    /** SplitMix64's finaliser: a cheap, well-mixed 64-bit hash. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}

package io.pulse.model;

/**
 * IEEE 754 binary16 ("half precision") conversion, which Java 17 lacks ({@code Float.floatToFloat16} arrived in
 * Java 20). Used to keep {@link BehaviourWindows} small in the state store: 11 significant bits are plenty for decayed
 * event counts that feed {@code log1p} features.
 */
public final class Half {

    /** The largest finite half, 65504. */
    public static final float MAX_VALUE = 65504f;

    private Half() {
    }

    /** The float bits of 2^-14, the least normal half. */
    private static final int LEAST_NORMAL = 0x3880_0000;
    /** The float bits of 65520, the least magnitude that rounds to infinity. */
    private static final int ROUNDS_TO_INFINITY = 0x477F_F000;

    /**
     * Converts to the nearest half, ties to even; overflow gives infinity, NaN stays NaN (quiet).
     *
     * <p>A magnitude that becomes a normal half — the hidden and cell states the user state keeps, and almost every
     * decayed counter — takes a path without a data-dependent branch: the rounding is an integer addition whose carry
     * moves into the exponent. The branches of the general path mispredicted on about half of such values (the
     * dropped bits decide them), which made this conversion one of the stream thread's hottest methods (3.6 % of its
     * top frames in benchmarks/README.md item 21's profile), mostly from the user state's encode. {@code HalfTest}
     * checks that both paths give the same half for every float of the fast path's range.
     */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int magnitude = bits & 0x7FFF_FFFF;
        if (magnitude >= LEAST_NORMAL && magnitude < ROUNDS_TO_INFINITY) {
            // round to nearest even on the 13 dropped bits: add just under half an ulp, plus one when the kept
            // mantissa is odd; then re-bias the exponent from 127 to 15
            int rounded = magnitude + 0x0FFF + ((magnitude >>> 13) & 1);
            return (short) (((bits >>> 16) & 0x8000) | ((rounded >>> 13) - ((127 - 15) << 10)));
        }
        return fromFloatBits(bits);
    }

    /** The general conversion of {@link #fromFloat} (every float; the fast path covers the normal halves' range). */
    static short fromFloatBits(int bits) {
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7F_FFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x0200 | (mantissa >>> 13) : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) {
            // Subnormal half (or zero): shift the full significand right, then round to nearest even.
            if (halfExponent < -10) {
                return (short) sign;
            }
            int significand = mantissa | 0x80_0000;
            int shift = 14 - halfExponent;
            int result = significand >>> shift;
            int remainder = significand & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (remainder > halfway || (remainder == halfway && (result & 1) != 0)) {
                result++;
            }
            return (short) (sign | result);
        }
        int result = (halfExponent << 10) | (mantissa >>> 13);
        int remainder = mantissa & 0x1FFF;
        if (remainder > 0x1000 || (remainder == 0x1000 && (result & 1) != 0)) {
            // A carry out of the mantissa correctly bumps the exponent, up to infinity.
            result++;
        }
        return (short) (sign | result);
    }

    /** The exact float value of a half. */
    public static float toFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Subnormal: mantissa * 2^-24, exact in float.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}

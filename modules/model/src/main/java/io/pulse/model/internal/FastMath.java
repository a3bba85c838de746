package io.pulse.model.internal;

/**
 * Scalar exp, sigmoid and tanh accurate to about 1e-7 relative, several times cheaper than {@link Math#exp} and
 * {@link Math#tanh}, for the scalar kernel and the heads. {@link VectorMath} uses the same exp on whole vectors.
 *
 * <p>exp: Cody–Waite range reduction {@code x = n ln2 + r}, {@code |r| <= ln2/2}, then Cephes' {@code expf}
 * polynomial (peak relative error 1.7e-7), then {@code 2^n} built in the exponent bits. tanh: an odd polynomial fitted
 * to {@code tanh(x)/x} below |x| = 0.55 (relative error below 1e-7, where {@code 1 - 2/(e^2x + 1)} would cancel), that
 * formula above.
 */
public final class FastMath {

    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits. */
    static final float ROUNDING_SHIFTER = 12582912f;
    static final int SHIFTER_BITS_MINUS_BIAS = 0x4B40_0000 - 127;
    static final float EXP_MIN = -87.0f;
    static final float EXP_MAX = 88.0f;
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;

    static final float TANH_SMALL = 0.55f;
    static final float T1 = -0.3333331048488617f;
    static final float T2 = 0.13332468271255493f;
    static final float T3 = -0.05384337902069092f;
    static final float T4 = 0.02104218490421772f;
    static final float T5 = -0.006238850764930248f;

    private FastMath() {
    }

    /** e^x; inputs are clamped to [-87, 88], so the result is finite and never subnormal. */
    public static float exp(float x) {
        x = Math.max(EXP_MIN, Math.min(EXP_MAX, x));
        float shifted = x * LOG2E + ROUNDING_SHIFTER;
        float n = shifted - ROUNDING_SHIFTER;
        float r = x - n * LN2_HI;
        r = r - n * LN2_LO;
        float p = P0;
        p = p * r + P1;
        p = p * r + P2;
        p = p * r + P3;
        p = p * r + P4;
        p = p * r + P5;
        float er = p * (r * r) + r + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - SHIFTER_BITS_MINUS_BIAS) << 23);
        return er * scale;
    }

    /** 1 / (1 + e^-x). */
    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /** tanh(x). */
    public static float tanh(float x) {
        if (Math.abs(x) < TANH_SMALL) {
            float t = x * x;
            float q = T5;
            q = q * t + T4;
            q = q * t + T3;
            q = q * t + T2;
            q = q * t + T1;
            return x + x * (q * t);
        }
        return 1f - 2f / (exp(2f * x) + 1f);
    }
}

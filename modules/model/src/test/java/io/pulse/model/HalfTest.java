package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Half conversion against a reference computed with double arithmetic from the IEEE 754 definition. */
class HalfTest {

    /** value = (-1)^s * 2^(e-15) * (1 + m/1024), subnormal 2^-14 * m/1024. */
    private static double referenceValue(int bits) {
        int sign = (bits >> 15) & 1;
        int exponent = (bits >> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        double magnitude;
        if (exponent == 0x1F) {
            magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = Math.scalb((double) mantissa / 1024, -14);
        } else {
            magnitude = Math.scalb(1 + (double) mantissa / 1024, exponent - 15);
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    /** Nearest half by exhaustive comparison of distances among the finite halves of the value's sign. */
    private static short referenceFromFloat(float value) {
        if (Float.isNaN(value)) {
            return (short) 0x7E00;
        }
        int sign = Math.copySign(1f, value) < 0 ? 0x8000 : 0;
        double magnitude = Math.abs((double) value);
        // Overflow: at or above 65504 + half an ulp (16) rounds to infinity (ties go to the even infinity encoding).
        if (magnitude >= 65520.0) {
            return (short) (sign | 0x7C00);
        }
        int low = 0;
        int high = 0x7BFF;
        while (low < high) { // largest half <= magnitude
            int mid = (low + high + 1) >>> 1;
            if (referenceValue(mid) <= magnitude) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        int best = low;
        if (low < 0x7BFF) {
            double below = magnitude - referenceValue(low);
            double above = referenceValue(low + 1) - magnitude;
            if (above < below || (above == below && (low & 1) == 1)) {
                best = low + 1;
            }
        }
        return (short) (sign | best);
    }

    @Test
    void shouldConvertEveryHalfToItsExactValue() {
        for (int bits = 0; bits < 0x10000; bits++) {
            double expected = referenceValue(bits);
            float actual = Half.toFloat((short) bits);
            if (Double.isNaN(expected)) {
                assertThat(actual).as("half %04x", bits).isNaN();
            } else {
                assertThat((double) actual).as("half %04x", bits).isEqualTo(expected);
                assertThat(Math.copySign(1.0, actual)).as("sign of %04x", bits)
                        .isEqualTo(Math.copySign(1.0, expected));
            }
        }
    }

    @Test
    void shouldRoundTripEveryHalfThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float value = Half.toFloat((short) bits);
            if (!Float.isNaN(value)) {
                assertThat(Half.fromFloat(value) & 0xFFFF).as("half %04x", bits).isEqualTo(bits);
            } else {
                assertThat(Float.isNaN(Half.toFloat(Half.fromFloat(value)))).isTrue();
            }
        }
    }

    @Test
    void shouldRoundMidpointsAndTheirNeighboursToNearestEven() {
        for (int bits = 0; bits < 0x7C00; bits++) {
            for (int sign : new int[] {0, 0x8000}) {
                double lower = referenceValue(bits | sign);
                double upper = bits == 0x7BFF ? Math.copySign(65536.0, lower) : referenceValue((bits + 1) | sign);
                float midpoint = (float) ((lower + upper) / 2); // exact: a half midpoint has <= 12 significant bits
                for (float probe : new float[] {midpoint, Math.nextUp(midpoint), Math.nextDown(midpoint)}) {
                    assertThat(Half.fromFloat(probe)).as("probe %s", probe).isEqualTo(referenceFromFloat(probe));
                }
            }
        }
    }

    @Test
    void shouldGiveTheSameHalfOnTheFastPathAsOnTheGeneralOneForEveryFloatItCovers() {
        // every magnitude from the least normal half (2^-14) up to the first that rounds to infinity (65520), both signs
        for (int magnitude = 0x3880_0000; magnitude < 0x477F_F000; magnitude++) {
            for (int bits : new int[] {magnitude, magnitude | 0x8000_0000}) {
                short general = Half.fromFloatBits(bits);
                if (Half.fromFloat(Float.intBitsToFloat(bits)) != general) {
                    assertThat(Half.fromFloat(Float.intBitsToFloat(bits))).as("float bits %08x", bits)
                            .isEqualTo(general);
                }
            }
        }
        // and the paths' borders
        assertThat(Half.fromFloat(Float.intBitsToFloat(0x3880_0000))).isEqualTo((short) 0x0400);
        assertThat(Half.fromFloat(Math.nextDown(Float.intBitsToFloat(0x3880_0000)))).isEqualTo((short) 0x0400);
        assertThat(Half.fromFloat(Math.nextDown(65520f))).isEqualTo((short) 0x7BFF);
        assertThat(Half.fromFloat(-65520f)).isEqualTo((short) 0xFC00);
    }

    @Test
    void shouldRoundRandomFloatsToTheNearestHalf() {
        SplittableRandom random = new SplittableRandom(2026);
        for (int i = 0; i < 3_000_000; i++) {
            // Exponents concentrated on the half range, subnormals and overflow included.
            float probe = Float.intBitsToFloat(random.nextInt() & 0x807F_FFFF | (random.nextInt(95, 145) << 23));
            assertThat(Half.fromFloat(probe)).as("probe %s", probe).isEqualTo(referenceFromFloat(probe));
        }
        assertThat(Half.fromFloat(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7C00);
        assertThat(Half.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xFC00);
        assertThat(Half.fromFloat(Float.MIN_VALUE)).isEqualTo((short) 0);
        assertThat(Half.fromFloat(-0f)).isEqualTo((short) 0x8000);
        assertThat(Half.fromFloat(65519.99f)).isEqualTo((short) 0x7BFF);
        assertThat(Half.fromFloat(65520f)).isEqualTo((short) 0x7C00);
    }
}

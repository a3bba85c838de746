package io.pulse.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FastMathTest {

    @Test
    void shouldApproximateExpWithinTwoTenthsOfAMillionthRelative() {
        double worst = 0;
        for (float x = -87f; x <= 88f; x += 0.00137f) {
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(FastMath.exp(x) - exact) / exact);
        }
        assertThat(worst).isLessThan(2.5e-7);
    }

    @Test
    void shouldApproximateSigmoidAndTanhWithinTwoTenthsOfAMillionthRelative() {
        double worstSigmoid = 0;
        double worstTanh = 0;
        Random random = new Random(1);
        for (int i = 0; i < 2_000_000; i++) {
            float x = (float) (random.nextGaussian() * (i % 2 == 0 ? 0.3 : 6));
            double sigmoid = 1 / (1 + Math.exp(-x));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(FastMath.sigmoid(x) - sigmoid) / sigmoid);
            double tanh = Math.tanh(x);
            if (tanh != 0) {
                worstTanh = Math.max(worstTanh, Math.abs(FastMath.tanh(x) - tanh) / Math.abs(tanh));
            }
        }
        assertThat(worstSigmoid).isLessThan(3e-7);
        assertThat(worstTanh).isLessThan(3e-7);
    }

    @Test
    void shouldSaturateInsteadOfOverflowing() {
        assertThat(FastMath.exp(1000f)).isFinite().isGreaterThan(1e38f);
        assertThat(FastMath.exp(-1000f)).isGreaterThanOrEqualTo(0f).isLessThan(1e-37f);
        assertThat(FastMath.sigmoid(-1000f)).isLessThan(1e-37f);
        assertThat(FastMath.sigmoid(1000f)).isEqualTo(1f);
        assertThat(FastMath.tanh(50f)).isEqualTo(1f);
        assertThat(FastMath.tanh(-50f)).isEqualTo(-1f);
        assertThat(FastMath.tanh(0f)).isEqualTo(0f);
    }
}

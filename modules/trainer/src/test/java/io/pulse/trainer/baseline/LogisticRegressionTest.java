package io.pulse.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    @Test
    void shouldPredictTheBaseRateWhenFeaturesCarryNothing() {
        double[][] x = new double[10][1];
        int[] y = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
        LogisticRegression model = LogisticRegression.fit(x, y, 0.0);
        assertThat(model.predict(new double[] {0})).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void shouldRecoverTheCoefficientsThatGeneratedTheData() {
        Random random = new Random(42);
        int n = 40_000;
        double[][] x = new double[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = random.nextGaussian();
            x[i][1] = random.nextGaussian();
            double p = LogisticRegression.sigmoid(-1.0 + 2.0 * x[i][0] - 0.5 * x[i][1]);
            y[i] = random.nextDouble() < p ? 1 : 0;
        }
        LogisticRegression model = LogisticRegression.fit(x, y, 0.0);
        // standard normal features are already standardised (up to sampling noise)
        assertThat(model.weights()[0]).isCloseTo(2.0, within(0.08));
        assertThat(model.weights()[1]).isCloseTo(-0.5, within(0.05));
        assertThat(model.intercept()).isCloseTo(-1.0, within(0.06));
        assertThat(model.predict(new double[] {1, 0})).isCloseTo(LogisticRegression.sigmoid(1.0), within(0.02));
    }

    @Test
    void shouldFitFlatFloatRowsExactlyAsArraysOfTheSameValues() {
        Random random = new Random(7);
        int n = 5_000;
        int d = 3;
        double[][] rows = new double[n][d];
        float[] flat = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = (float) random.nextGaussian();
                rows[i][j] = flat[i * d + j];
            }
            y[i] = random.nextDouble() < LogisticRegression.sigmoid(0.5 * rows[i][0] - rows[i][2]) ? 1 : 0;
        }
        LogisticRegression arrays = LogisticRegression.fit(rows, y, 1e-4);
        LogisticRegression floats = LogisticRegression.fit(flat, d, y, 1e-4);
        assertThat(floats.weights()).containsExactly(arrays.weights());
        assertThat(floats.intercept()).isEqualTo(arrays.intercept());
        assertThat(floats.weights()[0]).isCloseTo(0.5, within(0.1));
    }

    @Test
    void shouldStayFiniteOnSeparableDataWithL2() {
        double[][] x = {{-2}, {-1}, {1}, {2}};
        int[] y = {0, 0, 1, 1};
        LogisticRegression model = LogisticRegression.fit(x, y, 0.01);
        assertThat(model.weights()[0]).isPositive().isLessThan(100);
        assertThat(model.predict(new double[] {2})).isGreaterThan(0.9);
        assertThat(model.predict(new double[] {-2})).isLessThan(0.1);
    }
}

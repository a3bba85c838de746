package io.pulse.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Values from scikit-learn's documentation examples, or computed by hand. */
class MetricsTest {

    private static final int[] Y = {0, 0, 1, 1};
    private static final double[] SCORES = {0.1, 0.4, 0.35, 0.8};

    @Test
    void shouldComputeAccuracyAsSklearnDoes() {
        // sklearn.metrics.accuracy_score([0, 1, 2, 3], [0, 2, 1, 3]) == 0.5
        assertThat(Metrics.accuracy(new int[] {0, 1, 2, 3}, new int[] {0, 2, 1, 3})).isEqualTo(0.5);
    }

    @Test
    void shouldComputeMacroF1AsSklearnDoes() {
        // f1_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average='macro') == 0.26666...
        assertThat(Metrics.macroF1(new int[] {0, 1, 2, 0, 1, 2}, new int[] {0, 2, 1, 0, 0, 1}))
                .isCloseTo(0.26666666666666666, within(1e-12));
    }

    @Test
    void shouldAverageF1OverClassesInLabelsOrPredictions() {
        // class 0: tp 1, fp 0, fn 1 -> 2/3; class 1 predicted once, never true -> 0; mean 1/3
        assertThat(Metrics.macroF1(new int[] {0, 0}, new int[] {0, 1})).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void shouldComputeCategoricalLogLossAsSklearnDoes() {
        // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) == 0.21616...
        float[][] p = {{.1f, .9f}, {.9f, .1f}, {.8f, .2f}, {.35f, .65f}};
        assertThat(Metrics.logLoss(p, new int[] {1, 0, 0, 1})).isCloseTo(0.21616187468057912, within(1e-6));
    }

    @Test
    void shouldComputeBinaryLogLossAndClipCertainMistakes() {
        assertThat(Metrics.logLoss(new double[] {0.9, 0.2}, new int[] {1, 0}))
                .isCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, within(1e-12));
        assertThat(Metrics.logLoss(new double[] {0.0}, new int[] {1})).isCloseTo(-Math.log(1e-15), within(1e-9));
    }

    @Test
    void shouldComputeRocAucAsSklearnDoes() {
        // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
        assertThat(Metrics.rocAuc(SCORES, Y)).isEqualTo(0.75);
    }

    @Test
    void shouldCountTiesAsOneHalfInRocAuc() {
        assertThat(Metrics.rocAuc(new double[] {0.5, 0.5, 0.5, 0.5}, Y)).isEqualTo(0.5);
        assertThat(Metrics.rocAuc(new double[] {0.2, 0.6, 0.6, 0.9}, Y)).isEqualTo(0.875);
        assertThat(Metrics.rocAuc(new double[] {0.2, 0.6}, new int[] {1, 1})).isNaN();
    }

    @Test
    void shouldComputeAveragePrecisionAsSklearnDoes() {
        // average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333...
        assertThat(Metrics.averagePrecision(SCORES, Y)).isCloseTo(0.8333333333333333, within(1e-12));
        assertThat(Metrics.averagePrecision(SCORES, new int[] {0, 0, 0, 0})).isNaN();
    }

    @Test
    void shouldTraceTheRocCurveAsSklearnDoes() {
        // roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]): fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1]
        Curve roc = Metrics.roc(SCORES, Y);
        assertThat(roc.x()).containsExactly(0, 0, 0.5, 0.5, 1);
        assertThat(roc.y()).containsExactly(0, 0.5, 0.5, 1, 1);
    }

    @Test
    void shouldTraceThePrecisionRecallCurveFromTheHighestThreshold() {
        // thresholds 0.8, 0.4, 0.35, 0.1: precision 1, 1/2, 2/3, 1/2; recall 1/2, 1/2, 1, 1
        Curve pr = Metrics.precisionRecall(SCORES, Y);
        assertThat(pr.x()).containsExactly(0.5, 0.5, 1, 1);
        assertThat(pr.y()).containsExactly(1, 0.5, 2.0 / 3, 0.5);
    }

    @Test
    void shouldTakeTheMeanLossOverHeadsWithLabels() {
        assertThat(Losses.of(1.0, 0.5, Double.NaN).mean()).isEqualTo(0.75);
        assertThat(Losses.of(Double.NaN, Double.NaN, Double.NaN).mean()).isNaN();
    }
}

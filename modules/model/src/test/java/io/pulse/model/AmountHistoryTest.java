package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The amount against the user's own mean amounts, from a normalised input, checked against hand-computed values. */
class AmountHistoryTest {

    @Test
    void shouldCompareTheAmountWithTheUsersMeanAmountPerWindowFromTheNormalisedInput() {
        FeatureSpec v1 = FeatureSpec.v1();
        float[] raw = new float[v1.inputSize()];
        raw[FeatureEncoder.LOG_AMOUNT] = (float) Math.log1p(500);
        raw[FeatureEncoder.HAS_AMOUNT] = 1f;
        // 24 hours: 2 events worth 200 in all, a mean of 100; 7 days: 10 events worth 400, a mean of 40;
        // 30 days: a trace of one event (below the minimum), no mean to compare with
        window(raw, Horizon.DAY, 2, 200);
        window(raw, Horizon.WEEK, 10, 400);
        window(raw, Horizon.MONTH, 0.01, 5);
        float[] mean = new float[v1.inputSize()];
        float[] std = new float[v1.inputSize()];
        Arrays.fill(mean, 1.5f);
        Arrays.fill(std, 2.5f);
        FeatureSpec spec = v1.withNormalisation(mean, std);
        float[] x = new float[spec.inputSize()];
        spec.normalise(raw, x);
        float[] out = new float[1 + AmountHistory.COUNT];

        AmountHistory.compute(spec, x, out, 1, AmountHistory.COUNT);

        // log1p(500) - log1p(100) = 6.21661 - 4.61512; log1p(500) - log1p(40) = 6.21661 - 3.71357
        assertThat(out[1]).as("amount_vs_mean_24h").isCloseTo(1.60149f, within(1e-4f));
        assertThat(out[2]).as("amount_vs_mean_7d").isCloseTo(2.50304f, within(1e-4f));
        assertThat(out[3]).as("amount_vs_mean_30d").isNaN();
        assertThat(out[4]).as("log_mean_amount_24h").isCloseTo(4.61512f, within(1e-4f));
        assertThat(out[5]).as("log_mean_amount_7d").isCloseTo(3.71357f, within(1e-4f));
        assertThat(out[6]).as("log_mean_amount_30d").isNaN();
        assertThat(out[7]).as("mean_24h_vs_30d without a month's mean").isNaN();
        assertThat(out[8]).as("mean_7d_vs_30d without a month's mean").isNaN();
        assertThat(out[0]).as("before the offset").isZero();
        assertThat(AmountHistory.NAMES).hasSize(AmountHistory.COUNT);
    }

    @Test
    void shouldCompareTheRecentMeansWithTheMonthsMeanEvenWhenTheEventHasNoAmount() {
        FeatureSpec spec = FeatureSpec.v1();
        float[] x = new float[spec.inputSize()];
        // 24 hours: 2 events worth 300 (mean 150); 7 days: 8 worth 480 (mean 60); 30 days: 30 worth 900 (mean 30)
        window(x, Horizon.DAY, 2, 300);
        window(x, Horizon.WEEK, 8, 480);
        window(x, Horizon.MONTH, 30, 900);
        float[] out = new float[AmountHistory.COUNT];

        AmountHistory.compute(spec, x, out, 0, AmountHistory.COUNT);

        assertThat(AmountHistory.NAMES.subList(6, 8)).containsExactly("mean_24h_vs_30d", "mean_7d_vs_30d");
        // log1p(150) - log1p(30) = 5.01728 - 3.43399; log1p(60) - log1p(30) = 4.11087 - 3.43399
        assertThat(out[6]).isCloseTo(1.58329f, within(1e-4f));
        assertThat(out[7]).isCloseTo(0.67688f, within(1e-4f));
        assertThat(out[0]).as("no amount, no ratio to it").isNaN();
    }

    @Test
    void shouldWriteOnlyTheFirstSetForTreesFittedBeforeTheMeanShifts() {
        FeatureSpec spec = FeatureSpec.v1();
        float[] x = new float[spec.inputSize()];
        window(x, Horizon.MONTH, 30, 900);
        float[] out = new float[AmountHistory.COUNT];
        Arrays.fill(out, 42f);

        AmountHistory.compute(spec, x, out, 0, AmountHistory.WITHOUT_MEAN_SHIFT);

        assertThat(out[5]).isCloseTo((float) Math.log1p(30), within(1e-5f));
        assertThat(out[6]).as("untouched").isEqualTo(42f);
        assertThat(out[7]).as("untouched").isEqualTo(42f);
        assertThatThrownBy(() -> AmountHistory.compute(spec, x, out, 0, 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 7");
    }

    @Test
    void shouldStillServeTreesThatReadTheFirstSetOnly() {
        ModelBundle plain = ModelBundles.seededRandom("first-set", 1L, 4);
        int inputs = FeatureSpec.v1().inputSize();
        // one tree: split on log_mean_amount_30d, the first set's last feature (index inputs + hidden + 5)
        FraudTrees firstSet = new FraudTrees(inputs, 4, AmountHistory.WITHOUT_MEAN_SHIFT, 0f, new int[] {0},
                new int[] {inputs + 4 + 5, -1, -1}, new float[] {3f, -1f, 1f}, new int[] {1, 0, 0},
                new int[] {2, 0, 0}, new boolean[] {true, false, false});
        ModelBundle bundle = ModelBundles.withFraudTrees(plain, firstSet);
        LstmModel model = ModelBundles.toModel(ModelBundles.fromBytes(ModelBundles.toBytes(bundle)));
        float[] x = new float[inputs];
        window(x, Horizon.MONTH, 30, 900);
        Scores scores = Scores.forModel(model);

        model.heads(x, new float[4], scores);

        assertThat(settingsValues(bundle)[3]).isEqualTo(AmountHistory.WITHOUT_MEAN_SHIFT);
        // log1p(30) = 3.43 >= 3: the right leaf, sigmoid(1)
        assertThat(scores.fraud).isCloseTo((float) (1 / (1 + Math.exp(-1))), within(1e-6f));
    }

    @Test
    void shouldHaveNoRatioForAnEventWithoutAnAmountButStillTheUsersMean() {
        FeatureSpec spec = FeatureSpec.v1();
        float[] x = new float[spec.inputSize()];
        window(x, Horizon.DAY, 4, 80);
        float[] out = new float[AmountHistory.COUNT];

        AmountHistory.compute(spec, x, out, 0, AmountHistory.COUNT);

        assertThat(out[0]).isNaN();
        assertThat(out[3]).isCloseTo((float) Math.log1p(20), within(1e-5f));
    }

    @Test
    void shouldWriteTheAmountHistoryCountOnlyForTreesThatReadIt() {
        ModelBundle plain = ModelBundles.seededRandom("amounts", 1L, 4);
        int inputs = FeatureSpec.v1().inputSize();
        // one tree: split on the first amount-history feature (index inputs + hidden)
        FraudTrees reading = new FraudTrees(inputs, 4, AmountHistory.COUNT, 0f, new int[] {0},
                new int[] {inputs + 4, -1, -1}, new float[] {1f, -1f, 1f}, new int[] {1, 0, 0},
                new int[] {2, 0, 0}, new boolean[] {true, false, false});
        FraudTrees notReading = new FraudTrees(inputs, 4, 0, 0f, new int[] {0}, new int[] {0, -1, -1},
                new float[] {1f, -1f, 1f}, new int[] {1, 0, 0}, new int[] {2, 0, 0}, new boolean[3]);

        LstmModel withAmounts = ModelBundles.toModel(ModelBundles.fromBytes(ModelBundles.toBytes(
                ModelBundles.withFraudTrees(plain, reading))));
        ModelBundle without = ModelBundles.withFraudTrees(plain, notReading);

        assertThat(settingsShape(ModelBundles.withFraudTrees(plain, reading))).containsExactly(4);
        assertThat(settingsShape(without)).as("readable by builds before the amount history").containsExactly(3);
        assertThat(ModelBundles.toModel(without).hasFraudTrees()).isTrue();
        float[] x = new float[inputs];
        x[FeatureEncoder.LOG_AMOUNT] = (float) Math.log1p(900);
        x[FeatureEncoder.HAS_AMOUNT] = 1f;
        window(x, Horizon.DAY, 3, 90);
        Scores scores = Scores.forModel(withAmounts);
        withAmounts.heads(x, new float[4], scores);
        // log1p(900) - log1p(30) = 3.37 >= 1: the right leaf, sigmoid(1)
        assertThat(scores.fraud).isCloseTo((float) (1 / (1 + Math.exp(-1))), within(1e-6f));
        x[FeatureEncoder.EVENTS + Horizon.DAY.ordinal()] = 0f;
        withAmounts.heads(x, new float[4], scores);
        // no 24-hour history: NaN takes the node's default (left) branch
        assertThat(scores.fraud).isCloseTo((float) (1 / (1 + Math.exp(1))), within(1e-6f));
    }

    /** Writes a window's raw inputs as the encoder does: log1p of its (decayed) event count and amount sum. */
    private static void window(float[] input, Horizon horizon, double events, double amounts) {
        input[FeatureEncoder.EVENTS + horizon.ordinal()] = (float) Math.log1p(events);
        input[FeatureEncoder.AMOUNTS + horizon.ordinal()] = (float) Math.log1p(amounts);
    }

    private static float[] settingsValues(ModelBundle bundle) {
        return ModelBundles.values(bundle.getTensors().stream()
                .filter(t -> t.getName().equals("fraud_trees.settings")).findFirst().orElseThrow());
    }

    private static java.util.List<Integer> settingsShape(ModelBundle bundle) {
        return bundle.getTensors().stream().filter(t -> t.getName().equals("fraud_trees.settings")).findFirst()
                .map(Tensor::getShape).orElseThrow();
    }
}

package io.pulse.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Provenance;
import io.pulse.model.AmountHistory;
import io.pulse.model.FraudTrees;
import io.pulse.model.InvalidBundleException;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.model.Scores;
import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.data.UserSequence;
import io.pulse.trainer.eval.Evaluator;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** The gradient-boosted fraud head: XGBoost's trees exported exactly, carried by the bundle, served by the model. */
class FraudTreesTrainerTest {

    private static final int INPUTS = 6;
    private static final int HIDDEN = 3;
    private static final int AMOUNTS = AmountHistory.COUNT;
    private static final int WIDTH = INPUTS + HIDDEN + AMOUNTS;
    private static final int ROWS = 3_000;

    @Test
    void shouldKeepEveryFraudAndSampleGenuineStepsOnlyBeyondTheRowCap() {
        int cap = FraudTreesTrainer.MAX_ROWS_PER_PERIOD;
        assertThat(FraudTreesTrainer.negativeStride(1_000, cap - 1_000)).isEqualTo(1);
        long stride = FraudTreesTrainer.negativeStride(20_000, 10L * cap);
        long kept = 20_000 + (10L * cap + stride - 1) / stride;
        assertThat(kept).isLessThanOrEqualTo(cap).isGreaterThan(cap * 9L / 10);
    }

    @Test
    void shouldScoreEveryRowAsXgboostDoesIncludingMissingValuesAndACutAtFewerRounds() throws Exception {
        Random random = new Random(7);
        float[] data = new float[ROWS * WIDTH];
        float[] labels = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < WIDTH; j++) {
                data[r * WIDTH + j] = random.nextInt(10) == 0 ? Float.NaN : (float) random.nextGaussian();
            }
            float a = data[r * WIDTH];
            float b = data[r * WIDTH + INPUTS + 1];
            float amountVsMean = data[r * WIDTH + INPUTS + HIDDEN + 1];
            // an interaction of an input and a hidden unit, with missing values on both sides, an amount-history
            // feature, plus noise
            boolean fraud = (a > 0.5f && (Float.isNaN(b) || b < 0f)) || amountVsMean > 1.5f || random.nextInt(20) == 0;
            labels[r] = fraud ? 1f : 0f;
        }
        DMatrix matrix = new DMatrix(data, ROWS, WIDTH, Float.NaN);
        matrix.setLabel(labels);
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", 4);
        params.put("eta", 0.3);
        params.put("tree_method", "hist");
        params.put("seed", 1);
        params.put("verbosity", 0);
        Booster booster = XGBoost.train(matrix, params, 30, new LinkedHashMap<>(), null, null);

        FraudTrees all = FraudTreesTrainer.fromBooster(booster, 30, INPUTS, HIDDEN, AMOUNTS);
        FraudTrees first10 = FraudTreesTrainer.fromBooster(booster, 10, INPUTS, HIDDEN, AMOUNTS);
        float[][] expectedAll = booster.predict(matrix, true);
        float[][] expected10 = booster.predict(matrix, true, 10);

        assertThat(all.trees()).isEqualTo(30);
        assertThat(first10.trees()).isEqualTo(10);
        float[] x = new float[INPUTS];
        float[] h = new float[HIDDEN];
        float[] amounts = new float[AMOUNTS];
        int splitsOnMissing = 0;
        for (int r = 0; r < ROWS; r++) {
            System.arraycopy(data, r * WIDTH, x, 0, INPUTS);
            System.arraycopy(data, r * WIDTH + INPUTS, h, 0, HIDDEN);
            System.arraycopy(data, r * WIDTH + INPUTS + HIDDEN, amounts, 0, AMOUNTS);
            splitsOnMissing += Float.isNaN(x[0]) || Float.isNaN(h[1]) || Float.isNaN(amounts[1]) ? 1 : 0;
            assertThat(all.margin(x, h, amounts)).as("row %d", r).isCloseTo(expectedAll[r][0], within(1e-5));
            assertThat(first10.margin(x, h, amounts)).as("row %d, 10 trees", r)
                    .isCloseTo(expected10[r][0], within(1e-5));
        }
        assertThat(splitsOnMissing).as("rows that take a default branch").isGreaterThan(100);
        booster.dispose();
        matrix.dispose();
    }

    @Test
    void shouldFitTreesOnTheLstmStatesAndCompareThemWithTheLinearHeadOnValidation() {
        TrainingData data = labelledData();
        TrainedNetwork network = LstmTrainer.train(data, data.normalisedSpec(), TrainingConfig.defaults()
                .withHiddenSize(8).withMaxEpochs(2).withBatchSize(16).withChunks(30, 10), new TrainingProgress() { });
        LstmModel model = ModelBundles.toModel(bundle(network));

        FraudTreesTrainer.Result result = FraudTreesTrainer.fit(data, model,
                new FraudTreesTrainer.Settings(40, 3, 0.1, 10, 256, 1.0, false, 1L, false));

        assertThat(result.trainSteps()).isGreaterThan(result.validationSteps()).isPositive();
        assertThat(result.treesValidationAp()).isBetween(0.0, 1.0);
        assertThat(result.headValidationAp()).isBetween(0.0, 1.0);
        assertThat(result.beatsHead()).isEqualTo(result.treesValidationAp() > result.headValidationAp());
        assertThat(result.trees().inputs()).isEqualTo(model.inputSize());
        assertThat(result.trees().hidden()).isEqualTo(8);
        assertThat(result.trees().trees()).isBetween(1, 40);
    }

    @Test
    void shouldRefitTheChosenRoundsOnTrainingAndValidationStepsKeepingTheValidationChoice() {
        TrainingData data = labelledData();
        TrainedNetwork network = LstmTrainer.train(data, data.normalisedSpec(), TrainingConfig.defaults()
                .withHiddenSize(8).withMaxEpochs(1).withBatchSize(16).withChunks(30, 10), new TrainingProgress() { });
        LstmModel model = ModelBundles.toModel(bundle(network));
        FraudTreesTrainer.Settings refit = new FraudTreesTrainer.Settings(40, 3, 0.1, 10, 256, 1.0, false, 1L, true);

        FraudTreesTrainer.Result once = FraudTreesTrainer.fit(data, model, refit.withoutRefit());
        FraudTreesTrainer.Result twice = FraudTreesTrainer.fit(data, model, refit);

        // the rounds and the validation figures are the first fit's; the served trees learnt from more steps
        assertThat(twice.trees().trees()).isEqualTo(once.trees().trees());
        assertThat(twice.treesValidationAp()).isEqualTo(once.treesValidationAp());
        assertThat(twice.headValidationAp()).isEqualTo(once.headValidationAp());
        float[] x = new float[model.inputSize()];
        float[] h = new float[model.hiddenSize()];
        float[] c = new float[model.hiddenSize()];
        boolean differ = false;
        UserSequence sequence = data.sequences().get(0);
        for (int i = 0; i < sequence.length() && !differ; i++) {
            Evaluator.step(model, sequence, i, x, h, c);
            differ = once.trees().probability(x, h, new float[0]) != twice.trees().probability(x, h, new float[0]);
        }
        assertThat(differ).as("the refitted trees score some step differently").isTrue();
        assertThat(refit.asMap()).containsEntry("fraudTrees.refit", "true");
    }

    @Test
    void shouldServeTheTreesFromTheBundleInsteadOfTheLinearHead() {
        TrainingData data = labelledData();
        TrainedNetwork network = LstmTrainer.train(data, data.normalisedSpec(), TrainingConfig.defaults()
                .withHiddenSize(8).withMaxEpochs(1).withBatchSize(16).withChunks(30, 10), new TrainingProgress() { });
        ModelBundle plain = bundle(network);
        LstmModel linear = ModelBundles.toModel(plain);
        FraudTrees trees = FraudTreesTrainer.fit(data, linear,
                new FraudTreesTrainer.Settings(20, 3, 0.3, 20, 256, 1.0, true, 1L, false)).trees();

        ModelBundle withTrees = ModelBundles.withFraudTrees(plain, trees);
        LstmModel served = ModelBundles.toModel(ModelBundles.fromBytes(ModelBundles.toBytes(withTrees)));

        assertThat(withTrees.getFormatVersion()).isEqualTo(ModelBundles.FORMAT_WITH_FRAUD_TREES);
        assertThat(plain.getFormatVersion()).isEqualTo(ModelBundles.FORMAT_VERSION);
        assertThat(served.hasFraudTrees()).isTrue();
        assertThat(linear.hasFraudTrees()).isFalse();
        float[] x = new float[served.inputSize()];
        data.normalisedSpec().normalise(data.sequences().get(0).raw(0), x);
        float[] h = new float[8];
        float[] c = new float[8];
        float[] h2 = new float[8];
        float[] c2 = new float[8];
        Scores fromTrees = Scores.forModel(served);
        Scores fromHead = Scores.forModel(linear);
        served.predict(x, h, c, fromTrees);
        linear.predict(x, h2, c2, fromHead);
        assertThat(h).containsExactly(h2);
        float[] amounts = new float[AmountHistory.COUNT];
        AmountHistory.compute(served.featureSpec(), x, amounts, 0, AmountHistory.COUNT);
        assertThat(trees.amountHistory()).isEqualTo(AmountHistory.COUNT);
        assertThat(fromTrees.fraud).isEqualTo(trees.probability(x, h, amounts));
        assertThat(fromTrees.churn).isEqualTo(fromHead.churn);
        assertThat(fromTrees.nextAction).containsExactly(fromHead.nextAction);
        Scores hiddenOnly = Scores.forModel(served);
        served.heads(h, hiddenOnly);
        assertThat(hiddenOnly.fraud).as("the trees need the input; heads(h) cannot give their score").isNaN();

        ModelBundle mislabelled = ModelBundles.withFraudTrees(plain, trees);
        mislabelled.setFormatVersion(ModelBundles.FORMAT_VERSION);
        assertThatThrownBy(() -> ModelBundles.toModel(mislabelled)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("fraud trees need format version 2");
        assertThatThrownBy(() -> ModelBundles.withFraudTrees(plain, new FraudTrees(x.length + 1, 8, 0, 0f,
                new int[] {0}, new int[] {-1}, new float[] {1f}, new int[] {0}, new int[] {0}, new boolean[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit");
    }

    @Test
    void shouldRefuseTreesWhoseChildrenPointBackwards() {
        assertThatThrownBy(() -> new FraudTrees(2, 1, 0, 0f, new int[] {0}, new int[] {0, -1, -1},
                new float[] {0.5f, 1f, -1f}, new int[] {1, 0, 0}, new int[] {0, 0, 0}, new boolean[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("children must come after");
        assertThatThrownBy(() -> new FraudTrees(2, 1, 0, 0f, new int[] {0}, new int[] {3, -1, -1},
                new float[] {0.5f, 1f, -1f}, new int[] {1, 0, 0}, new int[] {2, 0, 0}, new boolean[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature 3");
    }

    private static TrainingData labelledData() {
        Duration horizon = Duration.ofHours(12);
        return TrainingData.build(History.of(SimulatedHistory.generate(SimulationConfig.defaults().withUsers(40)
                .withChurnHorizon(horizon).withCompromisedUserShare(0.5), Duration.ofDays(10))), horizon, 0.5, 0.4);
    }

    private static ModelBundle bundle(TrainedNetwork network) {
        return network.toBundle("fraud-trees-test", "v1", Provenance.newBuilder().setProducer("test")
                .setProducerVersion("test").build()).build();
    }
}

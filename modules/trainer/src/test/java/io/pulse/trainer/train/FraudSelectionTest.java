package io.pulse.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.TrainingData;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Selecting the kept epoch on the fraud head's validation average precision instead of the mean log-loss. */
class FraudSelectionTest {

    private static final Duration H = Duration.ofHours(12);

    @Test
    void shouldKeepTheEpochWithTheBestValidationFraudAveragePrecision() {
        TrainingData data = TrainingData.build(History.of(SimulatedHistory.generate(SimulationConfig.defaults()
                .withUsers(40).withChurnHorizon(H).withCompromisedUserShare(0.5), Duration.ofDays(10))), H, 0.5, 0.4);
        TrainingConfig config = TrainingConfig.defaults().withHiddenSize(8).withMaxEpochs(4).withPatience(4)
                .withBatchSize(16).withChunks(30, 10)
                .withSelection(TrainingConfig.Selection.FRAUD_AVERAGE_PRECISION);

        TrainedNetwork network = LstmTrainer.train(data, data.normalisedSpec(), config, new TrainingProgress() { });

        assertThat(network.epochs()).hasSize(4)
                .allSatisfy(e -> assertThat(e.validationFraudAveragePrecision()).isBetween(0.0, 1.0));
        EpochResult best = network.epochs().stream()
                .max(Comparator.comparingDouble(EpochResult::validationFraudAveragePrecision)).orElseThrow();
        assertThat(network.bestEpoch()).isEqualTo(best.epoch());
        assertThat(config.asMap()).containsEntry("selection", "FRAUD_AVERAGE_PRECISION");
    }

    @Test
    void shouldRefuseToSelectOnFraudWhenTheHistoryHasNoFraudLabels() {
        History history = History.of(SimulatedHistory.generate(SimulationConfig.defaults().withUsers(10)
                .withChurnHorizon(H), Duration.ofDays(5)));
        History unlabelled = History.of("no fraud labels", history.events(), List.of(), false, Map.of());
        TrainingData data = TrainingData.build(unlabelled, H, 0.6, 0.25);
        TrainingConfig config = TrainingConfig.defaults().withHiddenSize(4).withMaxEpochs(1)
                .withSelection(TrainingConfig.Selection.FRAUD_AVERAGE_PRECISION);

        assertThatThrownBy(() -> LstmTrainer.train(data, data.normalisedSpec(), config, new TrainingProgress() { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("select on the validation loss");
    }

    @Test
    void shouldNameTheCriteriaAsTheCommandLineDoes() {
        assertThat(TrainingConfig.Selection.of("fraud-ap")).isEqualTo(TrainingConfig.Selection.FRAUD_AVERAGE_PRECISION);
        assertThat(TrainingConfig.Selection.of(TrainingConfig.Selection.VALIDATION_LOSS.word()))
                .isEqualTo(TrainingConfig.Selection.VALIDATION_LOSS);
        assertThatThrownBy(() -> TrainingConfig.Selection.of("auc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loss or fraud-ap").hasMessageContaining("'auc'");
    }

    @Test
    void shouldKeepTheDefaultsSettingsMapAsItWas() {
        assertThat(TrainingConfig.defaults().asMap()).doesNotContainKey("selection");
    }
}

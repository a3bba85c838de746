package io.pulse.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import io.pulse.trainer.data.History;
import io.pulse.trainer.train.FraudTreesTrainer;
import io.pulse.trainer.train.TrainingConfig;
import io.pulse.trainer.train.TrainingProgress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse train --fraud-trees}: the round fits the gradient-boosted fraud head, records both validation average
 * precisions, and the bundle serves the trees exactly when they beat the linear head there.
 */
class TrainJobFraudTreesTest {

    private static final Duration H = Duration.ofHours(12);

    @TempDir
    Path dir;

    @Test
    void shouldServeTheFraudTreesOnlyWhenTheyBeatTheLinearHeadOnValidation() throws Exception {
        History history = History.of(SimulatedHistory.generate(SimulationConfig.defaults().withUsers(40)
                .withChurnHorizon(H).withCompromisedUserShare(0.5), Duration.ofDays(10)));
        TrainJobConfig config = TrainJobConfig.defaults()
                .withOutBase(dir)
                .withTraining(TrainingConfig.defaults().withHiddenSize(8).withMaxEpochs(2).withBatchSize(16)
                        .withChunks(30, 10).withChurnHorizon(H).withSplit(0.5, 0.3))
                .withFraudTrees(new FraudTreesTrainer.Settings(30, 3, 0.3, 10, 256, 1.0, true, 1L, true));

        TrainResult result = TrainJob.run(history, config, TrainingProgress.NONE);

        var metrics = result.bundle().getMetrics();
        assertThat(metrics).containsKeys("fraud_trees.served", "fraud_trees.trees",
                "validation.fraud_trees.average_precision", "validation.fraud_head.average_precision");
        boolean served = metrics.get("validation.fraud_trees.average_precision")
                > metrics.get("validation.fraud_head.average_precision");
        assertThat(metrics.get("fraud_trees.served")).isEqualTo(served ? 1.0 : 0.0);
        LstmModel model = ModelBundles.toModel(result.bundle());
        assertThat(model.hasFraudTrees()).isEqualTo(served);
        assertThat(result.bundle().getFormatVersion()).isEqualTo(served ? ModelBundles.FORMAT_WITH_FRAUD_TREES
                : ModelBundles.FORMAT_VERSION);
        assertThat(result.bundle().getProvenance().getConfig()).containsEntry("fraudTrees.maxDepth", "3");
        assertThat(TrainJobConfig.defaults().asMap()).doesNotContainKey("fraudTrees.maxDepth");
        // and the round's report says which fraud head the bundle serves
        assertThat(result.report().fraudTrees()).isNotNull();
        assertThat(java.nio.file.Files.readString(result.outDir().resolve("report.md"))).contains("## Fraud head",
                served ? "The bundle serves the trees" : "Not served");
    }
}

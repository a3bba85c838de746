package io.pulse.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceBatchesTest {

    private static final TrainingData DATA = TrainingData.build(History.of(SimulatedHistory.generate(
            SimulationConfig.defaults().withUsers(20).withChurnHorizon(Duration.ofHours(12)), Duration.ofDays(10))),
            Duration.ofHours(12), 0.7, 0.15);

    @Test
    void shouldCoverEveryLabelOfThePeriodExactlyOnce() {
        TrainingConfig config = TrainingConfig.defaults().withBatchSize(8).withChunks(30, 10);
        for (Period period : List.of(Period.TRAIN, Period.VALIDATION)) {
            long[] labelled = new long[3];
            SequenceBatches batches = SequenceBatches.of(DATA, period, config, DATA.normalisedSpec(), null);
            for (int k = 0; k < batches.size(); k++) {
                SequenceBatches.Batch batch = batches.batch(k);
                for (int head = 0; head < 3; head++) {
                    labelled[head] += batch.labelled()[head];
                }
            }
            TrainingData.PeriodSummary summary = DATA.summary(period);
            assertThat(labelled).as(period.name()).containsExactly(summary.nextActionLabels(),
                    summary.churnLabels(), summary.fraudLabels());
        }
    }

    @Test
    void shouldNeverFeedStepsAfterThePeriodNorLongerChunksThanConfigured() {
        TrainingConfig config = TrainingConfig.defaults().withChunks(30, 10);
        for (SequenceBatches.Piece piece : SequenceBatches.pieces(DATA, Period.TRAIN, config)) {
            int lastTrainingStep = DATA.sequences().get(piece.user()).lastStepUpTo(Period.TRAIN);
            assertThat(piece.to() - 1).isLessThanOrEqualTo(lastTrainingStep);
            assertThat(piece.to() - piece.labelFrom()).isBetween(1, 30);
            assertThat(piece.labelFrom() - piece.from()).isBetween(0, 10);
        }
    }
}

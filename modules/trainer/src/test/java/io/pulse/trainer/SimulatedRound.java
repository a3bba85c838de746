package io.pulse.trainer;

import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import io.pulse.trainer.data.History;
import io.pulse.trainer.train.TrainingConfig;
import io.pulse.trainer.train.TrainingProgress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One training round on a small simulated history, run once per test JVM and shared by the tests that read it (DL4J
 * training is the expensive part of this suite).
 *
 * <p>The population: 200 concurrent users over 30 days with a median session gap of 12 h, churn horizon 12 h (so the
 * 4.5-day test period has labelled churn steps), every account at risk of a fraud burst and half the users declining.
 * Why not the simulator's defaults: there, the next action is a first-order Markov chain apart from rare fraud bursts,
 * and the Markov baseline comes within 0.001 nats of the Bayes-optimal log-loss, so no model can beat it by more than
 * noise. With more bursts (payments at night, minutes apart, on strange terminals) and declining users, history
 * matters: Bayes is about 0.015 nats better than Markov, room a model can measurably use.
 */
final class SimulatedRound {

    static final Duration HORIZON = Duration.ofHours(12);
    static final SimulationConfig SIMULATION = SimulationConfig.defaults()
            .withSeed(7)
            .withUsers(200)
            .withMeanSessionGap(Duration.ofHours(12))
            .withChurnHorizon(HORIZON)
            .withCompromisedUserShare(1.0)
            .withDecliningUserShare(0.5);
    static final Duration SPAN = Duration.ofDays(30);
    static final TrainingConfig TRAINING = TrainingConfig.defaults()
            .withHiddenSize(32)
            .withMaxEpochs(15)
            .withChurnHorizon(HORIZON)
            .withSeed(1);

    private static TrainResult result;
    private static History history;

    private SimulatedRound() {
    }

    static synchronized History history() {
        if (history == null) {
            history = History.of(SimulatedHistory.generate(SIMULATION, SPAN));
        }
        return history;
    }

    static synchronized TrainResult result() {
        if (result == null) {
            TrainJobConfig config = TrainJobConfig.defaults()
                    .withOutBase(Path.of("target", "simulated-round"))
                    .withTraining(TRAINING);
            result = TrainJob.run(history(), config, TrainingProgress.NONE);
            System.out.println(result.summary());
        }
        return result;
    }
}

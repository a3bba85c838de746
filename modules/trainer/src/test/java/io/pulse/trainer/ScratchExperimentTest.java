package io.pulse.trainer;

import io.pulse.model.FeatureSpec;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.contracts.Provenance;
import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import io.pulse.trainer.baseline.Baselines;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.eval.Evaluation;
import io.pulse.trainer.eval.Evaluator;
import io.pulse.trainer.train.LstmTrainer;
import io.pulse.trainer.train.TrainedNetwork;
import io.pulse.trainer.train.TrainingConfig;
import io.pulse.trainer.train.TrainingProgress;
import io.pulse.trainer.train.EpochResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScratchExperimentTest {
    @Test
    void experiment() {
        int users = Integer.getInteger("users", 200);
        int days = Integer.getInteger("days", 25);
        int hidden = Integer.getInteger("hidden", 32);
        int epochs = Integer.getInteger("epochs", 8);
        long t0 = System.nanoTime();
        SimulatedHistory sim = SimulatedHistory.generate(SimulationConfig.defaults().withSeed(7).withUsers(users).withChurnHorizon(Duration.ofHours(Integer.getInteger("h", 24))).withMeanSessionGap(Duration.ofHours(Integer.getInteger("gap", 6))).withCompromisedUserShare(Double.parseDouble(System.getProperty("comp","0.05"))).withDecliningUserShare(Double.parseDouble(System.getProperty("decl","0.3"))), Duration.ofDays(days));
        History history = History.of(sim);
        TrainingData data = TrainingData.build(history, Duration.ofHours(Integer.getInteger("h", 24)), 0.7, 0.15);
        System.out.printf("events %d users %d sim %.1fs%n", data.steps(), data.sequences().size(), (System.nanoTime()-t0)/1e9);
        for (Period p : Period.values()) System.out.println(data.summary(p));
        int maxLen = data.sequences().stream().mapToInt(s -> s.length()).max().getAsInt();
        System.out.println("max len " + maxLen);
        FeatureSpec spec = data.normalisedSpec();
        if (Boolean.getBoolean("baseOnly")) {
            Baselines b0 = Baselines.fit(data);
            Evaluation e0 = Evaluator.evaluate(data, Period.TEST, Map.of(), b0.nextAction(), b0.churn(), b0.fraud());
            System.out.println(e0.nextAction().metrics());
            System.out.println(e0.churn().metrics() + " n=" + e0.churn().labelled() + " pos=" + e0.churn().positives());
            return;
        }
        TrainingConfig config = TrainingConfig.defaults().withHiddenSize(hidden).withMaxEpochs(epochs).withChurnHorizon(Duration.ofHours(Integer.getInteger("h", 24))).withLearningRate(Double.parseDouble(System.getProperty("lr", "0.005"))).withBatchSize(Integer.getInteger("batch", 32)).withChunks(Integer.getInteger("chunk", 100), Integer.getInteger("warm", 50));
        t0 = System.nanoTime();
        TrainedNetwork net = LstmTrainer.train(data, spec, config, new TrainingProgress() {
            @Override public void epochDone(EpochResult r) { System.out.println(r); }
        });
        System.out.printf("train %.1fs%n", (System.nanoTime()-t0)/1e9);
        Provenance prov = Provenance.newBuilder().setProducer("pulse-trainer").setProducerVersion("dev").build();
        LstmModel model = ModelBundles.toModel(net.toBundle("m", "v", prov).build());
        t0 = System.nanoTime();
        Baselines b = Baselines.fit(data);
        Evaluation e = Evaluator.evaluate(data, Period.TEST, Map.of("model", model), b.nextAction(), b.churn(), b.fraud());
        System.out.printf("eval %.1fs%n", (System.nanoTime()-t0)/1e9);
        System.out.println(e.nextAction().metrics());
        System.out.println(e.churn().metrics());
        System.out.println(e.fraud().metrics() + " n=" + e.fraud().labelled() + " pos=" + e.fraud().positives());
    }
}

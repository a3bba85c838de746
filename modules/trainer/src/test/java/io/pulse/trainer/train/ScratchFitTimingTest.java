package io.pulse.trainer.train;

import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import java.time.Duration;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

class ScratchFitTimingTest {
    @Test
    void timing() {
        SimulatedHistory sim = SimulatedHistory.generate(SimulationConfig.defaults().withSeed(7).withUsers(100), Duration.ofDays(20));
        TrainingData data = TrainingData.build(History.of(sim), Duration.ofDays(1), 0.7, 0.15);
        int batch = Integer.getInteger("batch", 64);
        TrainingConfig config = TrainingConfig.defaults().withHiddenSize(32).withBatchSize(batch).withChunks(Integer.getInteger("chunk", 50), Integer.getInteger("warm", 25));
        List<SequenceBatches.Batch> batches = SequenceBatches.batches(data, Period.TRAIN, config, data.normalisedSpec());
        ComputationGraph graph = LstmTrainer.network(32, config);
        System.out.println("batches " + batches.size() + " last shape " + java.util.Arrays.toString(batches.get(batches.size()-1).data().getFeatures(0).shape()));
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            for (SequenceBatches.Batch b : batches) graph.fit(b.data());
            System.out.printf("epoch %.2fs per batch %.1fms%n", (System.nanoTime()-t0)/1e9, (System.nanoTime()-t0)/1e6/batches.size());
        }
    }
}

package io.pulse.sparkeval;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

/** The same run with SharedTrainingMaster (threshold-encoded gradient sharing over Aeron UDP, loopback only). */
public final class SharedTrainingEval {
    public static void main(String[] args) {
        int minibatches = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        List<MultiDataSet> data = SparkLstmEval.synthetic(minibatches, 16, 12, 6, 20, 42);
        ComputationGraph graph = SparkLstmEval.network(12, 32, 6, 7);
        double before = SparkLstmEval.meanScore(graph, data);
        VoidConfiguration voidConf = VoidConfiguration.builder().unicastPort(40123).networkMask("127.0.0.0/8")
                .controllerAddress("127.0.0.1").build();
        SharedTrainingMaster master = new SharedTrainingMaster.Builder(voidConf, 16).batchSizePerWorker(16)
                .workersPerNode(2).thresholdAlgorithm(new AdaptiveThresholdAlgorithm(1e-3)).build();
        try (JavaSparkContext sc = new JavaSparkContext(SparkLstmEval.localConf(2))) {
            JavaRDD<MultiDataSet> rdd = sc.parallelize(data, 2);
            SparkComputationGraph spark = new SparkComputationGraph(sc, graph, master);
            long t = System.nanoTime();
            for (int e = 0; e < 2; e++) {
                ComputationGraph trained = spark.fitMultiDataSet(rdd);
                System.out.printf("SHARED epoch %d: score %.5f -> %.5f%n", e + 1, before,
                        SparkLstmEval.meanScore(trained, data));
            }
            System.out.printf("SHARED training %d ms%n", (System.nanoTime() - t) / 1_000_000);
        }
    }
}

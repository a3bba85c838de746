package io.pulse.sparkeval;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Issue 16 part 3, distributed-engine evaluation: Pulse's network shape (an LSTM feeding three RnnOutputLayer heads,
 * as in io.pulse.model.dl4j.PulseNetwork, NCW, FLOAT) trained by DL4J's Spark integration
 * ({@link SparkComputationGraph} + {@link ParameterAveragingTrainingMaster}) on Spark {@code local[2]} over an RDD
 * of padded, masked synthetic sequence minibatches. Reports the loss before and after and whether the parameters
 * came back changed.
 */
public final class SparkLstmEval {

    static final String IN = "in";
    static final String LSTM_LAYER = "lstm";
    static final String NEXT_ACTION = "next_action";
    static final String CHURN = "churn";
    static final String FRAUD = "fraud";

    /** What a run measured. */
    public record Result(double scoreBefore, List<Double> scoreAfterEpoch, double paramsChangedL2, long millis,
            int minibatches, long parameters) {
    }

    private SparkLstmEval() {
    }

    /** Spark's own Java 17 options are for the launcher; in-process (tests, main) they must be on the JVM. */
    public static SparkConf localConf(int threads) {
        return new SparkConf().setMaster("local[" + threads + "]").setAppName("pulse-spark-eval")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.sql.shuffle.partitions", "2");
    }

    public static ComputationGraph network(int inputSize, int hidden, int actions, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).updater(new Adam(0.01)).weightInit(WeightInit.XAVIER)
                .l2(1e-5)
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(1.0)
                .graphBuilder()
                .addInputs(IN).setInputTypes(InputType.recurrent(inputSize, RNNFormat.NCW))
                .addLayer(LSTM_LAYER, new LSTM.Builder().nIn(inputSize).nOut(hidden).activation(Activation.TANH)
                        .gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NCW).build(), IN)
                .addLayer(NEXT_ACTION, new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(hidden).nOut(actions).dataFormat(RNNFormat.NCW).build(),
                        LSTM_LAYER)
                .addLayer(CHURN, new RnnOutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .activation(Activation.SIGMOID).nIn(hidden).nOut(1).dataFormat(RNNFormat.NCW).build(),
                        LSTM_LAYER)
                .addLayer(FRAUD, new RnnOutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .activation(Activation.SIGMOID).nIn(hidden).nOut(1).dataFormat(RNNFormat.NCW).build(),
                        LSTM_LAYER)
                .setOutputs(NEXT_ACTION, CHURN, FRAUD)
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /**
     * Synthetic padded sequences: {@code [batch, inputSize, maxLen]} features with per-user lengths and masks; the
     * next action is the argmax of the first {@code actions} features of the next step (learnable by an LSTM), churn
     * and fraud threshold functions of the running features.
     */
    public static List<MultiDataSet> synthetic(int minibatches, int batch, int inputSize, int actions, int maxLen,
            long seed) {
        Random random = new Random(seed);
        List<MultiDataSet> out = new ArrayList<>(minibatches);
        for (int m = 0; m < minibatches; m++) {
            float[][][] x = new float[batch][inputSize][maxLen];
            float[][][] yAction = new float[batch][actions][maxLen];
            float[][][] yChurn = new float[batch][1][maxLen];
            float[][][] yFraud = new float[batch][1][maxLen];
            float[][] mask = new float[batch][maxLen];
            for (int b = 0; b < batch; b++) {
                int len = 2 + random.nextInt(maxLen - 1);
                float[][] steps = new float[len + 1][inputSize];
                for (int t = 0; t <= len; t++) {
                    for (int f = 0; f < inputSize; f++) {
                        steps[t][f] = (float) random.nextGaussian();
                    }
                }
                float running = 0;
                for (int t = 0; t < len; t++) {
                    for (int f = 0; f < inputSize; f++) {
                        x[b][f][t] = steps[t][f];
                    }
                    // the next action is announced by the current step's features: a short-memory target
                    int next = 0;
                    for (int a = 1; a < actions; a++) {
                        if (steps[t][a] > steps[t][next]) {
                            next = a;
                        }
                    }
                    yAction[b][next][t] = 1;
                    running += steps[t][inputSize - 1];
                    yChurn[b][0][t] = running > 0 ? 1 : 0;
                    yFraud[b][0][t] = steps[t][inputSize - 2] > 1 ? 1 : 0;
                    mask[b][t] = 1;
                }
            }
            INDArray m2 = Nd4j.create(mask);
            out.add(new org.nd4j.linalg.dataset.MultiDataSet(
                    new INDArray[] {Nd4j.create(x)},
                    new INDArray[] {Nd4j.create(yAction), Nd4j.create(yChurn), Nd4j.create(yFraud)},
                    new INDArray[] {m2},
                    new INDArray[] {m2, m2, m2}));
        }
        return out;
    }

    /** Mean score (loss + l2) of a graph over minibatches, computed locally (no Spark). */
    public static double meanScore(ComputationGraph graph, List<MultiDataSet> data) {
        double sum = 0;
        for (MultiDataSet mds : data) {
            sum += graph.score(mds, false);
        }
        return sum / data.size();
    }

    public static Result run(JavaSparkContext sc, int minibatches, int batch, int inputSize, int hidden, int actions,
            int maxLen, int epochs, int averagingFrequency) {
        List<MultiDataSet> data = synthetic(minibatches, batch, inputSize, actions, maxLen, 42);
        ComputationGraph graph = network(inputSize, hidden, actions, 7);
        INDArray before = graph.params().dup();
        double scoreBefore = meanScore(graph, data);

        // not cached here: DL4J persists the RDD itself (MEMORY_ONLY_SER), and Spark refuses a second storage level
        JavaRDD<MultiDataSet> rdd = sc.parallelize(data, 2);
        TrainingMaster<?, ?> master = new ParameterAveragingTrainingMaster.Builder(batch)
                .batchSizePerWorker(batch)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .collectTrainingStats(false)
                .build();
        SparkComputationGraph spark = new SparkComputationGraph(sc, graph, master);
        List<Double> after = new ArrayList<>();
        long start = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            ComputationGraph trained = spark.fitMultiDataSet(rdd);
            double s = meanScore(trained, data);
            after.add(s);
            System.out.printf("epoch %d: local mean score %.5f, spark score %.5f%n", e + 1, s, spark.getScore());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        ComputationGraph trained = spark.getNetwork();
        double changed = trained.params().sub(before).norm2Number().doubleValue();
        return new Result(scoreBefore, after, changed, millis, minibatches, trained.numParams());
    }

    /** The same data and network trained in one JVM without Spark (graph.fit per minibatch), for comparison. */
    public static Result runLocal(int minibatches, int batch, int inputSize, int hidden, int actions, int maxLen,
            int epochs) {
        List<MultiDataSet> data = synthetic(minibatches, batch, inputSize, actions, maxLen, 42);
        ComputationGraph graph = network(inputSize, hidden, actions, 7);
        INDArray before = graph.params().dup();
        double scoreBefore = meanScore(graph, data);
        List<Double> after = new ArrayList<>();
        long start = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            for (MultiDataSet mds : data) {
                graph.fit(mds);
            }
            after.add(meanScore(graph, data));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        double changed = graph.params().sub(before).norm2Number().doubleValue();
        return new Result(scoreBefore, after, changed, millis, minibatches, graph.numParams());
    }

    public static void main(String[] args) {
        int minibatches = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long t0 = System.nanoTime();
        if (args.length > 2 && args[2].equals("local")) {
            Result r = runLocal(minibatches, 16, 12, 32, 6, 20, epochs);
            System.out.println("LOCAL RESULT " + r);
            System.out.printf("total wall in JVM %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            return;
        }
        try (JavaSparkContext sc = new JavaSparkContext(localConf(2))) {
            System.out.println("Spark " + sc.version() + ", Java " + System.getProperty("java.version") + ", ND4J backend "
                    + Nd4j.getBackend().getClass().getSimpleName());
            Result r = run(sc, minibatches, 16, 12, 32, 6, 20, epochs, 4);
            System.out.println("RESULT " + r);
            System.out.printf("score before %.5f -> after %s; params moved by L2 %.4f; %d params; training %d ms%n",
                    r.scoreBefore(), r.scoreAfterEpoch(), r.paramsChangedL2(), r.parameters(), r.millis());
        }
        System.out.printf("total wall in JVM %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
}

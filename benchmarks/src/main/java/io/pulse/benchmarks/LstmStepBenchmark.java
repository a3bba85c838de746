package io.pulse.benchmarks;

import io.pulse.contracts.ModelBundle;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.model.Scores;
import io.pulse.model.dl4j.PulseNetwork;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one per-event model step (LSTM step + next-action, churn and fraud heads; hidden 64, input 32), in ns per
 * event-step:
 * <ul>
 *   <li>{@code oursVector}: {@link LstmModel} with the Vector API kernel (fork runs with
 *       {@code --add-modules jdk.incubator.vector});</li>
 *   <li>{@code oursScalar}: the same without the module, i.e. the fallback the pipeline gets without the flag;</li>
 *   <li>{@code dl4jBatch1}: DL4J {@code rnnTimeStep}, one user per call, as a pipeline would have to use it;</li>
 *   <li>{@code dl4jBatch256}: 256 users per call, reported per user-step (DL4J's best case, not usable per event);</li>
 *   <li>{@code floor}: the LSTM's 49,152 FLOPs (2 x (32 + 64) x 4 x 64) at this CPU's measured peak FMA rate.</li>
 * </ul>
 * Inputs rotate through 1,024 random vectors so nothing is constant-folded; every method returns a result. DL4J
 * forks need {@code OMP_NUM_THREADS=1} in the environment (checked).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class LstmStepBenchmark {

    static final int HIDDEN = 64;
    static final int INPUT = 32;
    static final int INPUTS = 1024;
    static final long SEED = 20_261_123L;
    /** Matrix FLOPs of one step: 2 x (input + hidden) x 4 x hidden. */
    static final int FLOPS_PER_STEP = 2 * (INPUT + HIDDEN) * 4 * HIDDEN;
    static final int FLOOR_STEPS = 64;
    static final int DL4J_BATCH = 256;

    static float[][] randomInputs(int count) {
        Random random = new Random(7);
        float[][] inputs = new float[count][INPUT];
        for (float[] x : inputs) {
            for (int j = 0; j < INPUT; j++) {
                x[j] = (float) random.nextGaussian();
            }
        }
        return inputs;
    }

    /** Pulse's model and one user's state. */
    @State(Scope.Thread)
    public static class Ours {
        LstmModel model;
        float[][] inputs;
        float[] h;
        float[] c;
        Scores scores;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            model = ModelBundles.toModel(ModelBundles.seededRandom("bench", SEED, HIDDEN));
            inputs = randomInputs(INPUTS);
            h = new float[HIDDEN];
            c = new float[HIDDEN];
            scores = Scores.forModel(model);
            System.out.println("kernel: " + model.kernelName());
        }
    }

    /** DL4J's equivalent network and a batch of users' state. */
    public abstract static class Dl4j {
        ComputationGraph graph;
        INDArray[] inputs;
        int next;

        abstract int batch();

        @Setup(Level.Trial)
        public void setUp() {
            if (!"1".equals(System.getenv("OMP_NUM_THREADS"))) {
                throw new IllegalStateException("run DL4J benchmarks with OMP_NUM_THREADS=1 in the environment");
            }
            ModelBundle bundle = ModelBundles.seededRandom("bench", SEED, HIDDEN);
            graph = PulseNetwork.fromBundle(bundle);
            float[][] raw = randomInputs(INPUTS);
            inputs = new INDArray[16];
            int batch = batch();
            for (int i = 0; i < inputs.length; i++) {
                float[] batchData = new float[batch * INPUT];
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(raw[(i * 31 + b) % INPUTS], 0, batchData, b * INPUT, INPUT);
                }
                inputs[i] = Nd4j.create(batchData, new long[] {batch, INPUT, 1}, 'c');
            }
            graph.rnnTimeStep(inputs[0]);
        }

        INDArray[] step() {
            return graph.rnnTimeStep(inputs[next++ & 15]);
        }
    }

    /** One user per rnnTimeStep call. */
    @State(Scope.Thread)
    public static class Dl4jBatch1 extends Dl4j {
        @Override
        int batch() {
            return 1;
        }
    }

    /** 256 users per rnnTimeStep call. */
    @State(Scope.Thread)
    public static class Dl4jBatch256 extends Dl4j {
        @Override
        int batch() {
            return DL4J_BATCH;
        }
    }

    @Benchmark
    public float oursVector(Ours s) {
        return step(s);
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-Dpulse.model.kernel=scalar", "-Xmx2g"})
    public float oursScalar(Ours s) {
        return step(s);
    }

    private static float step(Ours s) {
        float[] x = s.inputs[s.next++ & (INPUTS - 1)];
        s.model.predict(x, s.h, s.c, s.scores);
        return s.scores.nextAction[0] + s.scores.churn + s.scores.fraud;
    }

    @Benchmark
    public INDArray[] dl4jBatch1(Dl4jBatch1 s) {
        return s.step();
    }

    /** Reported per user-step: one call advances 256 users. */
    @Benchmark
    @OperationsPerInvocation(DL4J_BATCH)
    public INDArray[] dl4jBatch256(Dl4jBatch256 s) {
        return s.step();
    }

    /** One op = one step's FLOPs at peak FMA throughput: the arithmetic floor in ns per step. */
    @Benchmark
    @OperationsPerInvocation(FLOOR_STEPS)
    public float floor() {
        return FmaPeak.run(FLOOR_STEPS * FLOPS_PER_STEP / FmaPeak.flopsPerIteration(), 0.999_999f, 1e-7f);
    }
}

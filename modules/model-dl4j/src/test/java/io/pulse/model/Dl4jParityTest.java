package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.ModelBundle;
import io.pulse.model.dl4j.Dl4jLayout;
import io.pulse.model.dl4j.PulseNetwork;
import io.pulse.model.internal.Kernels;
import io.pulse.model.internal.StepKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plain-Java model computes what DL4J's {@code rnnTimeStep} computes, step by step, within 1e-5, for every kernel
 * this JVM can run. The DL4J network gets its parameters from the same bundle through the row-major to 'f'
 * conversion the trainer uses, so this also proves the bundle layout.
 *
 * <p>In package {@code io.pulse.model} (of the model module) although it lives in the DL4J module: it switches the
 * model between kernels with {@code LstmModel.withKernel} and reaches the kernels of {@code io.pulse.model.internal}.
 */
class Dl4jParityTest {

    private static final double TOLERANCE = 1e-5;
    private static final int STEPS = 600;
    private static final int HIDDEN = 64;

    private static ModelBundle bundle;
    private static float[][] inputs;

    @BeforeAll
    static void givenASeededBundleAndRandomInputs() {
        bundle = ModelBundles.seededRandom("parity", 20_261_123L, HIDDEN);
        Random random = new Random(99);
        inputs = new float[STEPS][32];
        for (float[] x : inputs) {
            for (int j = 0; j < x.length; j++) {
                // Normalised features are ~N(0,1); x2 also drives gates into saturation now and then.
                x[j] = (float) (random.nextGaussian() * 2.0);
            }
        }
    }

    @Test
    void shouldStoreDl4jParametersAsTheBundleDescribes() {
        ComputationGraph graph = PulseNetwork.fromBundle(bundle);
        INDArray w = graph.getLayer(PulseNetwork.LSTM_LAYER).getParam(Dl4jLayout.WEIGHTS);
        assertThat(w.shape()).containsExactly(32, 4 * HIDDEN);
        float[] rowMajor = PulseNetwork.tensorValues(bundle, ModelBundles.LSTM_W);
        // Element (row 3, column 130) of the [nIn, 4H] matrix: gate block 2 (output gate), unit 2.
        assertThat(w.getFloat(3, 130)).isEqualTo(rowMajor[3 * 4 * HIDDEN + 130]);
        // DL4J's flat parameter vector holds W column-major ('f'): its start is W's first column.
        float[] flat = graph.getLayer(PulseNetwork.LSTM_LAYER).params().toFloatVector();
        float[] columnMajor = Dl4jLayout.rowMajorToColumnMajor(rowMajor, 32, 4 * HIDDEN);
        assertThat(Arrays.copyOf(flat, columnMajor.length)).containsExactly(columnMajor);
        assertThat(Dl4jLayout.columnMajorToRowMajor(columnMajor, 32, 4 * HIDDEN)).containsExactly(rowMajor);
    }

    @Test
    void shouldMatchDl4jRnnTimeStepAtEveryStep() {
        ComputationGraph graph = PulseNetwork.fromBundle(bundle);
        graph.rnnClearPreviousState();
        List<float[]> dl4jH = new ArrayList<>();
        List<float[]> dl4jNext = new ArrayList<>();
        List<float[]> dl4jChurnFraud = new ArrayList<>();
        for (float[] x : inputs) {
            INDArray[] out = graph.rnnTimeStep(Nd4j.create(x, new long[] {1, 32, 1}, 'c'));
            Map<String, INDArray> state = graph.rnnGetPreviousState(PulseNetwork.LSTM_LAYER);
            dl4jH.add(state.get("prevAct").reshape(HIDDEN).toFloatVector());
            dl4jNext.add(out[0].reshape(8).toFloatVector());
            dl4jChurnFraud.add(new float[] {out[1].getFloat(0), out[2].getFloat(0)});
        }

        List<StepKernel> kernels = new ArrayList<>(List.of(Kernels.scalar()));
        if (Kernels.vectorAvailable()) {
            kernels.add(Kernels.vector());
        }
        for (StepKernel kernel : kernels) {
            LstmModel model = ModelBundles.toModel(bundle).withKernel(kernel);
            float[] h = new float[HIDDEN];
            float[] c = new float[HIDDEN];
            Scores scores = Scores.forModel(model);
            double worst = 0;
            for (int step = 0; step < STEPS; step++) {
                model.predict(inputs[step], h, c, scores);
                String where = kernel.name() + " step " + step;
                for (int u = 0; u < HIDDEN; u++) {
                    assertThat(h[u]).as(where + " h[" + u + "]").isCloseTo(dl4jH.get(step)[u], within(1e-5f));
                    worst = Math.max(worst, Math.abs(h[u] - dl4jH.get(step)[u]));
                }
                for (int a = 0; a < 8; a++) {
                    assertThat(scores.nextAction[a]).as(where + " next action " + a)
                            .isCloseTo(dl4jNext.get(step)[a], within((float) TOLERANCE));
                }
                assertThat(scores.churn).as(where + " churn").isCloseTo(dl4jChurnFraud.get(step)[0],
                        within((float) TOLERANCE));
                assertThat(scores.fraud).as(where + " fraud").isCloseTo(dl4jChurnFraud.get(step)[1],
                        within((float) TOLERANCE));
            }
            System.out.printf("parity %s: %d steps, max |h - dl4j h| = %.3g%n", kernel.name(), STEPS, worst);
        }
    }
}

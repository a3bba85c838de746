package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.ModelBundle;
import io.pulse.model.internal.Kernels;
import io.pulse.model.internal.StepKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast kernels against a double-precision textbook LSTM. Also run by the {@code scalar-fallback} surefire
 * execution without {@code --add-modules jdk.incubator.vector}, which checks the fallback is what gets chosen.
 */
class LstmKernelTest {

    private static final double TOLERANCE = 1e-5;

    @Test
    void shouldSelectTheKernelTheJvmFlagsAllow() {
        String expected = System.getProperty("pulse.expect.kernel", "vector");
        ModelBundle bundle = ModelBundles.seededRandom("kernel", 1L, 64);
        LstmModel model = ModelBundles.toModel(bundle);
        assertThat(model.kernelName()).startsWith(expected);
        assertThat(Kernels.vectorAvailable()).isEqualTo(expected.equals("vector"));
    }

    @Test
    void shouldMatchReferenceWithEveryAvailableKernel() {
        for (int hidden : new int[] {64, 1, 13, 40}) {
            ModelBundle bundle = ModelBundles.seededRandom("kernel", 42L + hidden, hidden);
            for (StepKernel kernel : availableKernels()) {
                assertMatchesReference(bundle, ModelBundles.toModel(bundle).withKernel(kernel), 300);
            }
        }
    }

    private static List<StepKernel> availableKernels() {
        List<StepKernel> kernels = new ArrayList<>(List.of(Kernels.scalar()));
        if (Kernels.vectorAvailable()) {
            kernels.add(Kernels.vector());
        }
        return kernels;
    }

    private static void assertMatchesReference(ModelBundle bundle, LstmModel model, int steps) {
        ReferenceLstm reference = new ReferenceLstm(bundle);
        int hidden = model.hiddenSize();
        double[] refH = new double[hidden];
        double[] refC = new double[hidden];
        float[] h = new float[hidden];
        float[] c = new float[hidden];
        float[] x = new float[model.inputSize()];
        Scores scores = Scores.forModel(model);
        Random random = new Random(7);
        for (int step = 0; step < steps; step++) {
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) (random.nextGaussian() * 2.0);
            }
            reference.step(x, refH, refC);
            model.predict(x, h, c, scores);
            String where = model.kernelName() + " hidden " + hidden + " step " + step;
            for (int u = 0; u < hidden; u++) {
                assertThat((double) h[u]).as(where + " h[" + u + "]").isCloseTo(refH[u], within(TOLERANCE));
                assertThat((double) c[u]).as(where + " c[" + u + "]").isCloseTo(refC[u], within(TOLERANCE * 10));
            }
            double[] next = reference.nextAction(refH);
            for (int a = 0; a < next.length; a++) {
                assertThat((double) scores.nextAction[a]).as(where + " next " + a).isCloseTo(next[a],
                        within(TOLERANCE));
            }
            assertThat((double) scores.churn).as(where + " churn").isCloseTo(reference.churn(refH), within(TOLERANCE));
            assertThat((double) scores.fraud).as(where + " fraud").isCloseTo(reference.fraud(refH), within(TOLERANCE));
        }
    }

    @Test
    void shouldLeaveCallerArraysBeyondHiddenSizeUntouched() {
        ModelBundle bundle = ModelBundles.seededRandom("kernel", 3L, 13);
        LstmModel model = ModelBundles.toModel(bundle);
        float[] h = new float[20];
        float[] c = new float[20];
        java.util.Arrays.fill(h, 13, 20, 9f);
        java.util.Arrays.fill(c, 13, 20, 9f);
        model.step(new float[32], h, c);
        for (int i = 13; i < 20; i++) {
            assertThat(h[i]).isEqualTo(9f);
            assertThat(c[i]).isEqualTo(9f);
        }
    }

    @Test
    void shouldGiveEveryThreadItsOwnScratchSpace() throws Exception {
        ModelBundle bundle = ModelBundles.seededRandom("kernel", 5L, 64);
        LstmModel model = ModelBundles.toModel(bundle);
        float[] expected = run(model, 11);
        List<Thread> threads = new ArrayList<>();
        List<float[]> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> results.add(run(model, 11))));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(results).hasSize(4).allSatisfy(r -> assertThat(r).containsExactly(expected));
    }

    private static float[] run(LstmModel model, long seed) {
        Random random = new Random(seed);
        float[] h = new float[model.hiddenSize()];
        float[] c = new float[model.hiddenSize()];
        float[] x = new float[model.inputSize()];
        for (int step = 0; step < 2000; step++) {
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) random.nextGaussian();
            }
            model.step(x, h, c);
        }
        return h;
    }
}

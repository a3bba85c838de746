package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.ModelBundle;
import io.pulse.model.dl4j.PulseNetwork;
import io.pulse.model.internal.Kernels;
import io.pulse.model.internal.StepKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Version-2 parity: DL4J's graph (embedding layers for the item and category rows, a merge vertex, the LSTM, five
 * output layers) and the plain-Java model agree within 1e-5 on hidden states and on every head, the next-item scores
 * included, for random bundles and every kernel this JVM can run. The bundle's half-precision item tables reach DL4J
 * through the same conversion the trainer's export uses.
 */
class Dl4jInterestParityTest {

    private static final float TOLERANCE = 1e-5f;
    private static final int STEPS = 200;

    @Test
    void shouldMatchDl4jOnEmbeddedInputsAndAllHeads() {
        for (int hidden : new int[] {16, 37}) {
            assertParity(hidden, 60 + hidden, 6);
        }
    }

    @Test
    void shouldExportTheTrainedGraphAsTheBundleLayout() {
        FeatureSpec spec = FeatureSpec.v2(8, 4, 2);
        Catalogue catalogue = InterestCatalogues.catalogue(30, 3);
        ModelBundle bundle = ModelBundles.seededRandom("export", 3L, 12, spec, catalogue);
        ComputationGraph graph = PulseNetwork.fromBundle(bundle);

        Map<String, float[]> exported = PulseNetwork.rowMajorTensors(graph);

        for (String name : List.of(ModelBundles.ITEM_EMBEDDING, ModelBundles.CATEGORY_EMBEDDING,
                ModelBundles.NEXT_ITEM_W, ModelBundles.NEXT_CATEGORY_W, ModelBundles.LSTM_W)) {
            assertThat(exported.get(name)).as(name).containsExactly(PulseNetwork.tensorValues(bundle, name));
        }
    }

    private static void assertParity(int hidden, int items, int categories) {
        FeatureSpec spec = FeatureSpec.v2(8, 4, 2);
        Catalogue catalogue = InterestCatalogues.catalogue(items, categories);
        ModelBundle bundle = ModelBundles.seededRandom("parity", 20_261_201L + hidden, hidden, spec, catalogue);
        Random random = new Random(hidden);
        float[][] inputs = new float[STEPS][32];
        int[] itemRows = new int[STEPS];
        int[] categoryRows = new int[STEPS];
        for (int step = 0; step < STEPS; step++) {
            for (int j = 0; j < 32; j++) {
                inputs[step][j] = (float) (random.nextGaussian() * 2.0);
            }
            // Mostly known items with their category; now and then the OOV item and unknown category.
            itemRows[step] = step % 9 == 4 ? 0 : 1 + random.nextInt(items);
            categoryRows[step] = itemRows[step] == 0 ? 0 : 1 + random.nextInt(categories);
        }
        ComputationGraph graph = PulseNetwork.fromBundle(bundle);
        graph.rnnClearPreviousState();
        List<float[]> dl4jH = new ArrayList<>();
        List<INDArray[]> dl4jOut = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            INDArray[] out = graph.rnnTimeStep(Nd4j.create(inputs[step], new long[] {1, 32, 1}, 'c'),
                    Nd4j.create(new float[] {itemRows[step]}, new long[] {1, 1, 1}, 'c'),
                    Nd4j.create(new float[] {categoryRows[step]}, new long[] {1, 1, 1}, 'c'));
            dl4jH.add(graph.rnnGetPreviousState(PulseNetwork.LSTM_LAYER).get("prevAct").reshape(hidden)
                    .toFloatVector());
            INDArray[] copies = new INDArray[out.length];
            for (int o = 0; o < out.length; o++) {
                copies[o] = out[o].dup();
            }
            dl4jOut.add(copies);
        }

        List<StepKernel> kernels = new ArrayList<>(List.of(Kernels.scalar()));
        if (Kernels.vectorAvailable()) {
            kernels.add(Kernels.vector());
        }
        int itemRowsTotal = catalogue.items();
        for (StepKernel kernel : kernels) {
            LstmModel model = ModelBundles.toModel(bundle).withKernel(kernel);
            float[] h = new float[hidden];
            float[] c = new float[hidden];
            Scores scores = Scores.forModel(model);
            float[] itemScores = new float[itemRowsTotal];
            for (int step = 0; step < STEPS; step++) {
                model.step(inputs[step], itemRows[step], categoryRows[step], h, c);
                model.heads(h, scores);
                model.nextItemScores(h, itemScores);
                String where = kernel.name() + " hidden " + hidden + " step " + step;
                for (int u = 0; u < hidden; u++) {
                    assertThat(h[u]).as(where + " h[" + u + "]").isCloseTo(dl4jH.get(step)[u], within(TOLERANCE));
                }
                INDArray[] out = dl4jOut.get(step);
                float[] nextAction = out[0].reshape(8).toFloatVector();
                for (int a = 0; a < 8; a++) {
                    assertThat(scores.nextAction[a]).as(where + " next action").isCloseTo(nextAction[a],
                            within(TOLERANCE));
                }
                assertThat(scores.churn).as(where + " churn").isCloseTo(out[1].getFloat(0), within(TOLERANCE));
                assertThat(scores.fraud).as(where + " fraud").isCloseTo(out[2].getFloat(0), within(TOLERANCE));
                float[] nextCategory = out[3].reshape(categories + 1).toFloatVector();
                for (int k = 0; k <= categories; k++) {
                    assertThat(scores.nextCategory[k]).as(where + " next category " + k)
                            .isCloseTo(nextCategory[k], within(TOLERANCE));
                }
                float[] nextItem = out[4].reshape(itemRowsTotal).toFloatVector();
                double[] probabilities = softmax(itemScores);
                for (int j = 0; j < itemRowsTotal; j++) {
                    assertThat(probabilities[j]).as(where + " next item " + j).isCloseTo(nextItem[j],
                            within((double) TOLERANCE));
                    // The scores themselves: DL4J's log-odds against item 1 equal the kernel's score difference.
                    assertThat(itemScores[j] - itemScores[1]).as(where + " next item score " + j)
                            .isCloseTo((float) Math.log(nextItem[j] / (double) nextItem[1]), within(1e-4f));
                }
            }
        }
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < logits.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}

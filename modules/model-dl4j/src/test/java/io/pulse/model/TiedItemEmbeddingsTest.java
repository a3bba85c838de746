package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.model.dl4j.PulseNetwork;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The tied item embedding ({@code TiedItemEmbeddings}): the next-item head's weights are the item embedding's
 * transpose from the start and after training, and one step follows the gradient of a single shared matrix — the sum
 * of the gradients the two copies get in an untied graph with the same weights (row 0, the OOV item that is never
 * an input here, moves by the head's gradient alone).
 */
class TiedItemEmbeddingsTest {

    private static final int HIDDEN = 6;
    private static final int ITEMS = 13;
    private static final int CATEGORIES = 4;
    private static final int BATCH = 3;
    private static final int STEPS = 5;
    private static final FeatureSpec SPEC = FeatureSpec.v2(HIDDEN, 3, 1);
    private static final PulseNetwork.Shape SHAPE = new PulseNetwork.Shape(SPEC, HIDDEN, ITEMS, CATEGORIES);

    @Test
    void shouldKeepTheHeadEqualToTheEmbeddingsTransposeWhileTraining() {
        ComputationGraph graph = PulseNetwork.forTraining(SHAPE,
                new PulseNetwork.Training(7, new Adam(0.05), 1e-4, 1.0, 0.2, true));
        INDArray before = embedding(graph).dup();
        assertTied(graph);

        Random random = new Random(3);
        for (int i = 0; i < 20; i++) {
            graph.fit(batch(random));
        }

        assertTied(graph);
        assertThat(embedding(graph).equalsWithEps(before, 1e-3)).as("the embedding trained").isFalse();
    }

    @Test
    void shouldStepAlongTheSumOfBothCopiesGradients() {
        double rate = 0.5;
        // Clipping far above these gradients, no dropout, no L2: the step is rate times the gradient.
        ComputationGraph tied = PulseNetwork.forTraining(SHAPE,
                new PulseNetwork.Training(11, new Sgd(rate), 0, 1e6, 0, true));
        ComputationGraph untied = PulseNetwork.forTraining(SHAPE, new PulseNetwork.Training(11, new Sgd(rate), 0,
                1e6, 0, false));
        untied.setParams(tied.params().dup());
        MultiDataSet batch = batch(new Random(5));
        untied.setInputs(batch.getFeatures());
        untied.setLabels(batch.getLabels());
        untied.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
        untied.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
        INDArray sharedGradient = untied.gradient().getGradientFor(PulseNetwork.ITEM_EMBEDDING_LAYER + "_W").dup()
                .addi(untied.gradient().getGradientFor(ModelBundles.NEXT_ITEM_HEAD + "_W").transpose());
        assertThat(sharedGradient.norm2Number().doubleValue()).as("a gradient to follow").isGreaterThan(1e-4);
        // DL4J's gradients are sums over the minibatch; its updater divides them by the minibatch size.
        INDArray expected = embedding(tied).dup().subi(sharedGradient.mul(rate / BATCH));

        tied.fit(batch);

        float[] actual = embedding(tied).dup('c').data().asFloat();
        float[] wanted = expected.dup('c').data().asFloat();
        for (int i = 0; i < wanted.length; i++) {
            assertThat(actual[i]).as("embedding value " + i).isCloseTo(wanted[i], within(1e-5f));
        }
        assertTied(tied);
    }

    @Test
    void shouldRefuseToTieAnEmbeddingNarrowerThanTheHiddenState() {
        PulseNetwork.Shape narrow = new PulseNetwork.Shape(FeatureSpec.v2(HIDDEN - 2, 3, 1), HIDDEN, ITEMS,
                CATEGORIES);

        assertThatThrownBy(() -> PulseNetwork.forTraining(narrow,
                new PulseNetwork.Training(1, new Adam(0.01), 0, 1, 0, true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item embedding size to equal the hidden size, were 4 and 6");
    }

    private static INDArray embedding(ComputationGraph graph) {
        return graph.getLayer(PulseNetwork.ITEM_EMBEDDING_LAYER).getParam("W");
    }

    private static void assertTied(ComputationGraph graph) {
        INDArray table = embedding(graph);
        INDArray head = graph.getLayer(ModelBundles.NEXT_ITEM_HEAD).getParam("W");
        assertThat(head.shape()).containsExactly(HIDDEN, ITEMS);
        assertThat(head.transpose().equalsWithEps(table, 0)).as("head = embedding transposed").isTrue();
    }

    /** Random steps with a next item everywhere and a next category on most steps. */
    private static MultiDataSet batch(Random random) {
        int dense = SPEC.inputSize();
        INDArray features = Nd4j.zeros(DataType.FLOAT, BATCH, dense, STEPS);
        INDArray items = Nd4j.zeros(DataType.FLOAT, BATCH, 1, STEPS);
        INDArray categories = Nd4j.zeros(DataType.FLOAT, BATCH, 1, STEPS);
        INDArray nextAction = Nd4j.zeros(DataType.FLOAT, BATCH, 8, STEPS);
        INDArray nextCategory = Nd4j.zeros(DataType.FLOAT, BATCH, CATEGORIES, STEPS);
        INDArray nextItem = Nd4j.zeros(DataType.FLOAT, BATCH, ITEMS, STEPS);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int f = 0; f < dense; f++) {
                    features.putScalar(new long[] {b, f, t}, random.nextGaussian());
                }
                items.putScalar(new long[] {b, 0, t}, 1 + random.nextInt(ITEMS - 1));
                categories.putScalar(new long[] {b, 0, t}, 1 + random.nextInt(CATEGORIES - 1));
                nextAction.putScalar(new long[] {b, random.nextInt(8), t}, 1);
                nextCategory.putScalar(new long[] {b, 1 + random.nextInt(CATEGORIES - 1), t}, 1);
                nextItem.putScalar(new long[] {b, 1 + random.nextInt(ITEMS - 1), t}, 1);
            }
        }
        INDArray ones = Nd4j.ones(DataType.FLOAT, BATCH, STEPS);
        INDArray zeros = Nd4j.zeros(DataType.FLOAT, BATCH, STEPS);
        INDArray[] labels = {nextAction, Nd4j.zeros(DataType.FLOAT, BATCH, 1, STEPS),
            Nd4j.zeros(DataType.FLOAT, BATCH, 1, STEPS), nextCategory, nextItem};
        return new MultiDataSet(new INDArray[] {features, items, categories}, labels,
                new INDArray[] {ones, ones, ones}, new INDArray[] {ones, zeros, zeros, ones, ones});
    }
}

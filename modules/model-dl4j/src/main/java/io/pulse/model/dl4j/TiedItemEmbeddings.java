package io.pulse.model.dl4j;

import io.pulse.model.ModelBundles;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ties the item embedding (the LSTM's input, [items, d]) to the next-item head's weights ([d, items]): one item vector
 * read on the way in and scored against on the way out, as SASRec does and GRU4Rec's "constrained embedding" option
 * does. On sparse catalogues most items are seen a handful of times; tied, each occurrence trains the item's vector
 * twice (as an input and as a target) instead of two half-trained copies.
 *
 * <p>Deeplearning4j has no shared parameters in a {@link ComputationGraph}, so the tie is kept by the training loop:
 * {@link #tie} starts both copies equal, and on every iteration, after back-propagation and before the updater
 * ({@code onGradientCalculation}), both gradients are replaced by their sum. Equal values, equal gradients and the same
 * updater configuration (Adam's moments, L2, element-wise clipping are all element-wise) keep the two copies equal, so
 * the gradient each step follows is exactly that of one shared matrix. The bundle still carries both tensors (the
 * kernel reads them as before); {@code PulseNetworkTiedTest} checks that they stay equal. The head's bias stays its
 * own (an item's popularity).
 */
public final class TiedItemEmbeddings extends BaseTrainingListener {

    private TiedItemEmbeddings() {
    }

    /**
     * Makes the head's weights equal to the embedding's transpose and keeps them so while {@code graph} trains.
     *
     * @throws IllegalArgumentException when the graph has no item embedding or when the item embedding's size differs
     *                                  from the hidden size the head reads (no projection in between)
     */
    static void tie(ComputationGraph graph) {
        Layer embedding = graph.getLayer(PulseNetwork.ITEM_EMBEDDING_LAYER);
        if (embedding == null) {
            throw new IllegalArgumentException("only a network with an item embedding (feature spec v2) can tie it");
        }
        INDArray table = embedding.getParam(Dl4jLayout.WEIGHTS);
        INDArray head = graph.getLayer(ModelBundles.NEXT_ITEM_HEAD).getParam(Dl4jLayout.WEIGHTS);
        if (table.size(1) != head.size(0)) {
            throw new IllegalArgumentException("tying the item embedding to the next-item head needs the item"
                    + " embedding size to equal the hidden size, were " + table.size(1) + " and " + head.size(0));
        }
        head.assign(table.transpose());
        graph.addListeners(new TiedItemEmbeddings());
    }

    @Override
    public void onGradientCalculation(Model model) {
        // The graph's gradients by parameter are views of the flat gradient the updater reads next.
        Gradient gradient = model.gradient();
        INDArray embedding = gradient.getGradientFor(PulseNetwork.ITEM_EMBEDDING_LAYER + "_" + Dl4jLayout.WEIGHTS);
        INDArray head = gradient.getGradientFor(ModelBundles.NEXT_ITEM_HEAD + "_" + Dl4jLayout.WEIGHTS);
        embedding.addi(head.transpose());
        head.assign(embedding.transpose());
    }
}

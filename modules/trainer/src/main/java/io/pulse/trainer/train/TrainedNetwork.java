package io.pulse.trainer.train;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Provenance;
import io.pulse.model.Dl4jLayout;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ModelBundles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained DL4J network with the normalisation it was trained with and its training history, and its export as a
 * {@code ModelBundle}.
 *
 * @param graph        the network (best epoch's weights)
 * @param spec         the normalised feature spec it reads
 * @param config       how it was trained
 * @param epochs       every epoch run
 * @param bestEpoch    the epoch whose weights were kept
 * @param stoppedEarly whether early stopping ended training before {@link TrainingConfig#maxEpochs()}
 * @param seconds      wall time of training
 */
public record TrainedNetwork(ComputationGraph graph, FeatureSpec spec, TrainingConfig config, List<EpochResult> epochs,
        int bestEpoch, boolean stoppedEarly, double seconds) {

    public TrainedNetwork {
        epochs = List.copyOf(epochs);
    }

    /**
     * The parameters in the bundle's layout (row-major, DL4J gate order): DL4J's flat column-major ('f') parameter
     * data converted with {@link Dl4jLayout}.
     */
    public Map<String, float[]> rowMajorTensors() {
        return rowMajorTensors(graph);
    }

    static Map<String, float[]> rowMajorTensors(ComputationGraph graph) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        tensors.put(ModelBundles.LSTM_W, matrix(graph, LstmTrainer.LSTM_LAYER, Dl4jLayout.WEIGHTS));
        tensors.put(ModelBundles.LSTM_RW, matrix(graph, LstmTrainer.LSTM_LAYER, Dl4jLayout.RECURRENT_WEIGHTS));
        tensors.put(ModelBundles.LSTM_B, vector(graph, LstmTrainer.LSTM_LAYER, Dl4jLayout.BIAS));
        tensors.put(ModelBundles.NEXT_ACTION_W, matrix(graph, LstmTrainer.NEXT_ACTION, Dl4jLayout.WEIGHTS));
        tensors.put(ModelBundles.NEXT_ACTION_B, vector(graph, LstmTrainer.NEXT_ACTION, Dl4jLayout.BIAS));
        tensors.put(ModelBundles.CHURN_W, matrix(graph, LstmTrainer.CHURN, Dl4jLayout.WEIGHTS));
        tensors.put(ModelBundles.CHURN_B, vector(graph, LstmTrainer.CHURN, Dl4jLayout.BIAS));
        tensors.put(ModelBundles.FRAUD_W, matrix(graph, LstmTrainer.FRAUD, Dl4jLayout.WEIGHTS));
        tensors.put(ModelBundles.FRAUD_B, vector(graph, LstmTrainer.FRAUD, Dl4jLayout.BIAS));
        return tensors;
    }

    private static float[] matrix(ComputationGraph graph, String layerName, String key) {
        INDArray param = graph.getLayer(layerName).getParam(key);
        int rows = (int) param.size(0);
        int cols = (int) param.size(1);
        float[] columnMajor = Nd4j.toFlattened('f', param).toFloatVector();
        return Dl4jLayout.columnMajorToRowMajor(columnMajor, rows, cols);
    }

    private static float[] vector(ComputationGraph graph, String layerName, String key) {
        Layer layer = graph.getLayer(layerName);
        return Nd4j.toFlattened('c', layer.getParam(key)).toFloatVector();
    }

    /** A bundle builder with these weights and spec; the caller sets metrics before {@code build()}. */
    public ModelBundle.Builder toBundle(String name, String version, Provenance provenance) {
        return ModelBundles.fromWeights(name, version, spec, config.hiddenSize(), rowMajorTensors(), provenance);
    }
}

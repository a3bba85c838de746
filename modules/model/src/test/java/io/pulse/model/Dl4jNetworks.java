package io.pulse.model;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Tensor;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The network the trainer will train, built in DL4J and loaded from a bundle through {@link Dl4jLayout}: LSTM (tanh,
 * sigmoid gates, no peepholes) feeding three {@code RnnOutputLayer}s. An output layer's forward pass is exactly
 * {@code activation(h W + b)}; its loss function only matters for training.
 */
final class Dl4jNetworks {

    static final String LSTM_LAYER = "lstm";
    static final String NEXT_ACTION = "next_action";
    static final String CHURN = "churn";
    static final String FRAUD = "fraud";

    private Dl4jNetworks() {
    }

    static ComputationGraph fromBundle(ModelBundle bundle) {
        int in = bundle.getArchitecture().getInputSize();
        int hidden = bundle.getArchitecture().getHiddenSize();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .addLayer(LSTM_LAYER, new LSTM.Builder().nIn(in).nOut(hidden).activation(Activation.TANH)
                        .gateActivationFunction(Activation.SIGMOID).build(), "in")
                .addLayer(NEXT_ACTION, new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(hidden).nOut(8).build(), LSTM_LAYER)
                .addLayer(CHURN, new RnnOutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .activation(Activation.SIGMOID).nIn(hidden).nOut(1).build(), LSTM_LAYER)
                .addLayer(FRAUD, new RnnOutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .activation(Activation.SIGMOID).nIn(hidden).nOut(1).build(), LSTM_LAYER)
                .setOutputs(NEXT_ACTION, CHURN, FRAUD)
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        set(graph.getLayer(LSTM_LAYER), Dl4jLayout.WEIGHTS, bundle, ModelBundles.LSTM_W);
        set(graph.getLayer(LSTM_LAYER), Dl4jLayout.RECURRENT_WEIGHTS, bundle, ModelBundles.LSTM_RW);
        set(graph.getLayer(LSTM_LAYER), Dl4jLayout.BIAS, bundle, ModelBundles.LSTM_B);
        set(graph.getLayer(NEXT_ACTION), Dl4jLayout.WEIGHTS, bundle, ModelBundles.NEXT_ACTION_W);
        set(graph.getLayer(NEXT_ACTION), Dl4jLayout.BIAS, bundle, ModelBundles.NEXT_ACTION_B);
        set(graph.getLayer(CHURN), Dl4jLayout.WEIGHTS, bundle, ModelBundles.CHURN_W);
        set(graph.getLayer(CHURN), Dl4jLayout.BIAS, bundle, ModelBundles.CHURN_B);
        set(graph.getLayer(FRAUD), Dl4jLayout.WEIGHTS, bundle, ModelBundles.FRAUD_W);
        set(graph.getLayer(FRAUD), Dl4jLayout.BIAS, bundle, ModelBundles.FRAUD_B);
        return graph;
    }

    /**
     * Hands DL4J the tensor as its flat column-major ('f') parameter data, converted with {@link Dl4jLayout}, so a
     * row/column mix-up anywhere would show in the parity test.
     */
    private static void set(Layer layer, String key, ModelBundle bundle, String tensorName) {
        Tensor tensor = tensor(bundle, tensorName);
        INDArray param = layer.getParam(key);
        long[] shape = param.shape();
        int rows = (int) shape[0];
        int cols = shape.length > 1 ? (int) shape[1] : 1;
        float[] rowMajor = values(tensor);
        float[] columnMajor = Dl4jLayout.rowMajorToColumnMajor(rowMajor, rows, cols);
        layer.setParam(key, Nd4j.create(columnMajor, shape, 'f'));
    }

    static Tensor tensor(ModelBundle bundle, String name) {
        return bundle.getTensors().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    static float[] values(Tensor tensor) {
        List<Float> values = tensor.getValues();
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}

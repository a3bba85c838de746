package io.pulse.benchmarks;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Tensor;
import io.pulse.model.Dl4jLayout;
import io.pulse.model.ModelBundles;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The same network in DL4J (LSTM into three {@code RnnOutputLayer}s), loaded from the same bundle; the model module's
 * parity test proves the two compute the same thing.
 */
final class Dl4jLstm {

    private Dl4jLstm() {
    }

    static ComputationGraph fromBundle(ModelBundle bundle) {
        int in = bundle.getArchitecture().getInputSize();
        int hidden = bundle.getArchitecture().getHiddenSize();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .addLayer("lstm", new LSTM.Builder().nIn(in).nOut(hidden).activation(Activation.TANH)
                        .gateActivationFunction(Activation.SIGMOID).build(), "in")
                .addLayer("next_action", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(hidden).nOut(8).build(), "lstm")
                .addLayer("churn", new RnnOutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .activation(Activation.SIGMOID).nIn(hidden).nOut(1).build(), "lstm")
                .addLayer("fraud", new RnnOutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .activation(Activation.SIGMOID).nIn(hidden).nOut(1).build(), "lstm")
                .setOutputs("next_action", "churn", "fraud")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        set(graph, "lstm", Dl4jLayout.WEIGHTS, bundle, ModelBundles.LSTM_W);
        set(graph, "lstm", Dl4jLayout.RECURRENT_WEIGHTS, bundle, ModelBundles.LSTM_RW);
        set(graph, "lstm", Dl4jLayout.BIAS, bundle, ModelBundles.LSTM_B);
        for (String head : new String[] {"next_action", "churn", "fraud"}) {
            set(graph, head, Dl4jLayout.WEIGHTS, bundle, "head." + head + ".W");
            set(graph, head, Dl4jLayout.BIAS, bundle, "head." + head + ".b");
        }
        return graph;
    }

    private static void set(ComputationGraph graph, String layer, String key, ModelBundle bundle, String tensorName) {
        Tensor tensor = bundle.getTensors().stream().filter(t -> t.getName().equals(tensorName)).findFirst()
                .orElseThrow();
        float[] rowMajor = new float[tensor.getValues().size()];
        for (int i = 0; i < rowMajor.length; i++) {
            rowMajor[i] = tensor.getValues().get(i);
        }
        long[] shape = graph.getLayer(layer).getParam(key).shape();
        int rows = (int) shape[0];
        int cols = shape.length > 1 ? (int) shape[1] : 1;
        graph.getLayer(layer).setParam(key, Nd4j.create(Dl4jLayout.rowMajorToColumnMajor(rowMajor, rows, cols), shape,
                'f'));
    }
}

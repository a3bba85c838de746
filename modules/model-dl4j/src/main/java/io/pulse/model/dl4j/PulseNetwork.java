package io.pulse.model.dl4j;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Tensor;
import io.pulse.model.ModelBundles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Pulse's network in Deeplearning4j, defined once: an {@code LSTM} (tanh, sigmoid gates, no peepholes) feeding three
 * {@code RnnOutputLayer}s named after the model's heads — next action (softmax, MCXENT, one class per event type),
 * churn and fraud (sigmoid, XENT). An output layer's forward pass is exactly {@code activation(h W + b)}; its loss
 * function only matters for training. This is the network the plain-Java kernel reproduces: the trainer trains
 * {@link #forTraining}, the parity test and the benchmarks load a bundle into {@link #fromBundle}, and
 * {@link #rowMajorTensors} exports the weights in the bundle's layout (conversions in {@link Dl4jLayout}).
 */
public final class PulseNetwork {

    /** Name of the graph's input (features, [batch, inputSize, time], DL4J's NCW). */
    public static final String INPUT = "in";
    /** Name of the LSTM layer. */
    public static final String LSTM_LAYER = "lstm";
    /** Seed of {@link #forInference}: its initial weights are overwritten, the seed only makes it repeatable. */
    private static final long INFERENCE_SEED = 1;

    private PulseNetwork() {
    }

    /**
     * How the network is optimised.
     *
     * @param seed         DL4J's seed (initial weights, dropout-free so nothing else)
     * @param updater      the optimiser, e.g. {@code new Adam(learningRate)}
     * @param l2           L2 regularisation coefficient
     * @param gradientClip element-wise absolute gradient clipping threshold
     */
    public record Training(long seed, IUpdater updater, double l2, double gradientClip) {

        public Training {
            Objects.requireNonNull(updater, "updater");
            if (l2 < 0 || !(gradientClip > 0)) {
                throw new IllegalArgumentException("l2 must be >= 0 and gradientClip > 0, were " + l2 + " and "
                        + gradientClip);
            }
        }
    }

    /** The untrained network for training: Xavier initialisation, {@code training}'s optimiser and regularisation. */
    public static ComputationGraph forTraining(int inputSize, int hiddenSize, Training training) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(training.seed())
                .dataType(DataType.FLOAT)
                .updater(training.updater())
                .weightInit(WeightInit.XAVIER)
                .l2(training.l2())
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(training.gradientClip());
        return init(base, inputSize, hiddenSize);
    }

    /** The network for forward passes only (its weights are meant to be set, e.g. by {@link #fromBundle}). */
    public static ComputationGraph forInference(int inputSize, int hiddenSize) {
        return init(new NeuralNetConfiguration.Builder().seed(INFERENCE_SEED).dataType(DataType.FLOAT), inputSize,
                hiddenSize);
    }

    /** The network with a bundle's weights, handed to DL4J as its column-major ('f') parameter data. */
    public static ComputationGraph fromBundle(ModelBundle bundle) {
        ComputationGraph graph = forInference(bundle.getArchitecture().getInputSize(),
                bundle.getArchitecture().getHiddenSize());
        setMatrix(graph, LSTM_LAYER, Dl4jLayout.WEIGHTS, bundle, ModelBundles.LSTM_W);
        setMatrix(graph, LSTM_LAYER, Dl4jLayout.RECURRENT_WEIGHTS, bundle, ModelBundles.LSTM_RW);
        setMatrix(graph, LSTM_LAYER, Dl4jLayout.BIAS, bundle, ModelBundles.LSTM_B);
        for (String head : ModelBundles.HEADS) {
            setMatrix(graph, head, Dl4jLayout.WEIGHTS, bundle, ModelBundles.weightsTensor(head));
            setMatrix(graph, head, Dl4jLayout.BIAS, bundle, ModelBundles.biasTensor(head));
        }
        return graph;
    }

    /**
     * The parameters in the bundle's layout (row-major, DL4J gate order), keyed by tensor name: DL4J's flat
     * column-major ('f') parameter data converted with {@link Dl4jLayout}.
     */
    public static Map<String, float[]> rowMajorTensors(ComputationGraph graph) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        tensors.put(ModelBundles.LSTM_W, matrix(graph, LSTM_LAYER, Dl4jLayout.WEIGHTS));
        tensors.put(ModelBundles.LSTM_RW, matrix(graph, LSTM_LAYER, Dl4jLayout.RECURRENT_WEIGHTS));
        tensors.put(ModelBundles.LSTM_B, vector(graph, LSTM_LAYER, Dl4jLayout.BIAS));
        for (String head : ModelBundles.HEADS) {
            tensors.put(ModelBundles.weightsTensor(head), matrix(graph, head, Dl4jLayout.WEIGHTS));
            tensors.put(ModelBundles.biasTensor(head), vector(graph, head, Dl4jLayout.BIAS));
        }
        return tensors;
    }

    /** A tensor's values as stored in the bundle (row-major). */
    public static float[] tensorValues(ModelBundle bundle, String name) {
        Tensor tensor = bundle.getTensors().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("bundle " + bundle.getVersion() + " has no tensor "
                        + name));
        List<Float> values = tensor.getValues();
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    private static ComputationGraph init(NeuralNetConfiguration.Builder base, int inputSize, int hiddenSize) {
        int actions = ModelBundles.nextActionLabels().size();
        ComputationGraphConfiguration conf = base.graphBuilder()
                .addInputs(INPUT)
                .addLayer(LSTM_LAYER, new LSTM.Builder().nIn(inputSize).nOut(hiddenSize).activation(Activation.TANH)
                        .gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NCW).build(), INPUT)
                .addLayer(ModelBundles.NEXT_ACTION_HEAD, new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(hiddenSize).nOut(actions).dataFormat(RNNFormat.NCW)
                        .build(), LSTM_LAYER)
                .addLayer(ModelBundles.CHURN_HEAD, new RnnOutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .activation(Activation.SIGMOID).nIn(hiddenSize).nOut(1).dataFormat(RNNFormat.NCW).build(),
                        LSTM_LAYER)
                .addLayer(ModelBundles.FRAUD_HEAD, new RnnOutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .activation(Activation.SIGMOID).nIn(hiddenSize).nOut(1).dataFormat(RNNFormat.NCW).build(),
                        LSTM_LAYER)
                .setOutputs(ModelBundles.HEADS.toArray(String[]::new))
                .setInputTypes(InputType.recurrent(inputSize, RNNFormat.NCW))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /**
     * Hands DL4J a bundle tensor as its flat column-major ('f') parameter data, converted with {@link Dl4jLayout}, so
     * a row/column mix-up anywhere shows in the parity test.
     */
    private static void setMatrix(ComputationGraph graph, String layerName, String key, ModelBundle bundle,
            String tensorName) {
        Layer layer = graph.getLayer(layerName);
        long[] shape = layer.getParam(key).shape();
        int rows = (int) shape[0];
        int cols = shape.length > 1 ? (int) shape[1] : 1;
        float[] columnMajor = Dl4jLayout.rowMajorToColumnMajor(tensorValues(bundle, tensorName), rows, cols);
        layer.setParam(key, Nd4j.create(columnMajor, shape, 'f'));
    }

    private static float[] matrix(ComputationGraph graph, String layerName, String key) {
        INDArray param = graph.getLayer(layerName).getParam(key);
        int rows = (int) param.size(0);
        int cols = (int) param.size(1);
        float[] columnMajor = Nd4j.toFlattened('f', param).toFloatVector();
        return Dl4jLayout.columnMajorToRowMajor(columnMajor, rows, cols);
    }

    private static float[] vector(ComputationGraph graph, String layerName, String key) {
        return Nd4j.toFlattened('c', graph.getLayer(layerName).getParam(key)).toFloatVector();
    }
}

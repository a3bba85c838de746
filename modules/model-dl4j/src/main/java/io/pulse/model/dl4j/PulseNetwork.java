package io.pulse.model.dl4j;

import io.pulse.contracts.HeadSpec;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Tensor;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ModelBundles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
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
 *
 * <p>With a version-2 feature spec ({@link Shape#interests()}) the graph has two more inputs, the item row and the
 * category row of each step ([batch, 1, time], the catalogue's rows as floats), each read by an
 * {@code EmbeddingSequenceLayer} (no bias) whose output a {@code MergeVertex} appends to the dense features, in the
 * order the kernel builds its input (dense, item, category); and two more softmax output layers, the next category
 * and the next item over the whole catalogue (MCXENT: a full softmax, affordable for catalogues of tens of thousands
 * of items on a CPU; DL4J has no sampled softmax).
 */
public final class PulseNetwork {

    /** Name of the graph's input (features, [batch, inputSize, time], DL4J's NCW). */
    public static final String INPUT = "in";
    /** Name of the LSTM layer. */
    public static final String LSTM_LAYER = "lstm";
    /** Name of the item-row input of a version-2 graph ([batch, 1, time]). */
    public static final String ITEM_INPUT = "item";
    /** Name of the category-row input of a version-2 graph ([batch, 1, time]). */
    public static final String CATEGORY_INPUT = "category";
    /** Name of the item embedding layer. */
    public static final String ITEM_EMBEDDING_LAYER = "item_embedding";
    /** Name of the category embedding layer. */
    public static final String CATEGORY_EMBEDDING_LAYER = "category_embedding";
    private static final String MERGE = "merge";
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
     * @param inputDropout probability of dropping each LSTM input while training
     * @param tieItems     whether the next-item head scores with the item embedding itself ({@link TiedItemEmbeddings};
     *                     needs the item embedding as wide as the hidden state)
     */
    public record Training(long seed, IUpdater updater, double l2, double gradientClip, double inputDropout,
            boolean tieItems) {

        public Training {
            Objects.requireNonNull(updater, "updater");
            if (l2 < 0 || !(gradientClip > 0) || !(inputDropout >= 0 && inputDropout < 1)) {
                throw new IllegalArgumentException("l2 must be >= 0, gradientClip > 0 and inputDropout in [0, 1),"
                        + " were " + l2 + ", " + gradientClip + " and " + inputDropout);
            }
        }

        /** Untied. */
        public Training(long seed, IUpdater updater, double l2, double gradientClip, double inputDropout) {
            this(seed, updater, l2, gradientClip, inputDropout, false);
        }

        /** Without dropout, untied. */
        public Training(long seed, IUpdater updater, double l2, double gradientClip) {
            this(seed, updater, l2, gradientClip, 0);
        }

        /** These settings with the item embedding tied to the next-item head, or not. */
        public Training withTiedItems(boolean value) {
            return new Training(seed, updater, l2, gradientClip, inputDropout, value);
        }
    }

    /**
     * The network's size. {@code items} and {@code categories} count the catalogue's rows (row 0 included) and are 0
     * for a version-1 spec.
     */
    public record Shape(FeatureSpec spec, int hiddenSize, int items, int categories) {

        public Shape {
            Objects.requireNonNull(spec, "spec");
            if (spec.hasInterests() != (items > 0 && categories > 0)) {
                throw new IllegalArgumentException("a version-2 spec needs items and categories, version 1 none");
            }
        }

        /** Whether the graph reads items and categories and predicts them. */
        public boolean interests() {
            return spec.hasInterests();
        }

        /** The heads of this shape, in output order. */
        public List<String> heads() {
            if (!interests()) {
                return ModelBundles.HEADS;
            }
            List<String> heads = new ArrayList<>(ModelBundles.HEADS);
            heads.addAll(ModelBundles.INTEREST_HEADS);
            return heads;
        }

        /** The shape of a bundle's network. */
        public static Shape of(ModelBundle bundle) {
            FeatureSpec spec = FeatureSpec.fromJson(bundle.getFeatureSpec());
            int hidden = bundle.getArchitecture().getHiddenSize();
            if (!spec.hasInterests()) {
                return new Shape(spec, hidden, 0, 0);
            }
            return new Shape(spec, hidden, outputs(bundle, ModelBundles.NEXT_ITEM_HEAD),
                    outputs(bundle, ModelBundles.NEXT_CATEGORY_HEAD));
        }

        private static int outputs(ModelBundle bundle, String head) {
            return bundle.getArchitecture().getHeads().stream().filter(h -> head.equals(h.getName()))
                    .map(HeadSpec::getOutputs).findFirst().orElseThrow().size();
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
        return init(base, new Shape(FeatureSpec.v1(), hiddenSize, 0, 0), 0);
    }

    /**
     * {@link #forTraining(int, int, Training)} for any shape, with the training's input dropout on the LSTM and, if
     * asked, the item embedding tied to the next-item head.
     */
    public static ComputationGraph forTraining(Shape shape, Training training) {
        if (training.tieItems() && !shape.interests()) {
            throw new IllegalArgumentException("tied item embeddings need a network with items (feature spec v2)");
        }
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(training.seed())
                .dataType(DataType.FLOAT)
                .updater(training.updater())
                .weightInit(WeightInit.XAVIER)
                .l2(training.l2())
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(training.gradientClip());
        ComputationGraph graph = init(base, shape, training.inputDropout());
        if (training.tieItems()) {
            TiedItemEmbeddings.tie(graph);
        }
        return graph;
    }

    /** The network for forward passes only (its weights are meant to be set, e.g. by {@link #fromBundle}). */
    public static ComputationGraph forInference(int inputSize, int hiddenSize) {
        return init(new NeuralNetConfiguration.Builder().seed(INFERENCE_SEED).dataType(DataType.FLOAT),
                new Shape(FeatureSpec.v1(), hiddenSize, 0, 0), 0);
    }

    /** The network with a bundle's weights, handed to DL4J as its column-major ('f') parameter data. */
    public static ComputationGraph fromBundle(ModelBundle bundle) {
        Shape shape = Shape.of(bundle);
        ComputationGraph graph = init(new NeuralNetConfiguration.Builder().seed(INFERENCE_SEED)
                .dataType(DataType.FLOAT), shape, 0);
        setMatrix(graph, LSTM_LAYER, Dl4jLayout.WEIGHTS, bundle, ModelBundles.LSTM_W);
        setMatrix(graph, LSTM_LAYER, Dl4jLayout.RECURRENT_WEIGHTS, bundle, ModelBundles.LSTM_RW);
        setMatrix(graph, LSTM_LAYER, Dl4jLayout.BIAS, bundle, ModelBundles.LSTM_B);
        for (String head : shape.heads()) {
            setMatrix(graph, head, Dl4jLayout.WEIGHTS, bundle, ModelBundles.weightsTensor(head));
            setMatrix(graph, head, Dl4jLayout.BIAS, bundle, ModelBundles.biasTensor(head));
        }
        if (shape.interests()) {
            setMatrix(graph, ITEM_EMBEDDING_LAYER, Dl4jLayout.WEIGHTS, bundle, ModelBundles.ITEM_EMBEDDING);
            setMatrix(graph, CATEGORY_EMBEDDING_LAYER, Dl4jLayout.WEIGHTS, bundle, ModelBundles.CATEGORY_EMBEDDING);
        }
        return graph;
    }

    /**
     * The parameters in the bundle's layout (row-major, DL4J gate order), keyed by tensor name: DL4J's flat
     * column-major ('f') parameter data converted with {@link Dl4jLayout}. For a version-2 graph also the embeddings
     * and the interest heads (the bundle computes the fallback embeddings and the item categories itself).
     */
    public static Map<String, float[]> rowMajorTensors(ComputationGraph graph) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        tensors.put(ModelBundles.LSTM_W, matrix(graph, LSTM_LAYER, Dl4jLayout.WEIGHTS));
        tensors.put(ModelBundles.LSTM_RW, matrix(graph, LSTM_LAYER, Dl4jLayout.RECURRENT_WEIGHTS));
        tensors.put(ModelBundles.LSTM_B, vector(graph, LSTM_LAYER, Dl4jLayout.BIAS));
        boolean interests = graph.getVertex(ITEM_EMBEDDING_LAYER) != null;
        List<String> heads = new ArrayList<>(ModelBundles.HEADS);
        if (interests) {
            heads.addAll(ModelBundles.INTEREST_HEADS);
            tensors.put(ModelBundles.ITEM_EMBEDDING, matrix(graph, ITEM_EMBEDDING_LAYER, Dl4jLayout.WEIGHTS));
            tensors.put(ModelBundles.CATEGORY_EMBEDDING, matrix(graph, CATEGORY_EMBEDDING_LAYER,
                    Dl4jLayout.WEIGHTS));
        }
        for (String head : heads) {
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
        return ModelBundles.values(tensor);
    }

    private static ComputationGraph init(NeuralNetConfiguration.Builder base, Shape shape, double inputDropout) {
        int actions = ModelBundles.nextActionLabels().size();
        int hiddenSize = shape.hiddenSize();
        FeatureSpec spec = shape.spec();
        ComputationGraphConfiguration.GraphBuilder graph = base.graphBuilder();
        String lstmInput = INPUT;
        if (shape.interests()) {
            graph.addInputs(INPUT, ITEM_INPUT, CATEGORY_INPUT)
                    .addLayer(ITEM_EMBEDDING_LAYER, new EmbeddingSequenceLayer.Builder().nIn(shape.items())
                            .nOut(spec.itemEmbedding()).hasBias(false).inferInputLength(true)
                            .outputDataFormat(RNNFormat.NCW).build(), ITEM_INPUT)
                    .addLayer(CATEGORY_EMBEDDING_LAYER, new EmbeddingSequenceLayer.Builder().nIn(shape.categories())
                            .nOut(spec.categoryEmbedding()).hasBias(false).inferInputLength(true)
                            .outputDataFormat(RNNFormat.NCW).build(), CATEGORY_INPUT)
                    .addVertex(MERGE, new MergeVertex(), INPUT, ITEM_EMBEDDING_LAYER, CATEGORY_EMBEDDING_LAYER);
            // No input types here: DL4J would take the embedding layers' nIn (the catalogue's rows) from them.
            lstmInput = MERGE;
        } else {
            graph.addInputs(INPUT).setInputTypes(InputType.recurrent(spec.inputSize(), RNNFormat.NCW));
        }
        LSTM.Builder lstm = new LSTM.Builder().nIn(spec.lstmInputSize()).nOut(hiddenSize).activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NCW);
        if (inputDropout > 0) {
            // DL4J's dropout takes the probability of keeping an input.
            lstm.dropOut(new Dropout(1 - inputDropout));
        }
        graph.addLayer(LSTM_LAYER, lstm.build(), lstmInput)
                .addLayer(ModelBundles.NEXT_ACTION_HEAD, new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(hiddenSize).nOut(actions).dataFormat(RNNFormat.NCW)
                        .build(), LSTM_LAYER)
                .addLayer(ModelBundles.CHURN_HEAD, new RnnOutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .activation(Activation.SIGMOID).nIn(hiddenSize).nOut(1).dataFormat(RNNFormat.NCW).build(),
                        LSTM_LAYER)
                .addLayer(ModelBundles.FRAUD_HEAD, new RnnOutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .activation(Activation.SIGMOID).nIn(hiddenSize).nOut(1).dataFormat(RNNFormat.NCW).build(),
                        LSTM_LAYER);
        if (shape.interests()) {
            graph.addLayer(ModelBundles.NEXT_CATEGORY_HEAD, new RnnOutputLayer.Builder(
                            LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(hiddenSize)
                            .nOut(shape.categories()).dataFormat(RNNFormat.NCW).build(), LSTM_LAYER)
                    .addLayer(ModelBundles.NEXT_ITEM_HEAD, new RnnOutputLayer.Builder(
                            LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(hiddenSize)
                            .nOut(shape.items()).dataFormat(RNNFormat.NCW).build(), LSTM_LAYER);
        }
        ComputationGraphConfiguration conf = graph.setOutputs(shape.heads().toArray(String[]::new)).build();
        ComputationGraph network = new ComputationGraph(conf);
        network.init();
        return network;
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

package io.pulse.model;

import io.pulse.contracts.Architecture;
import io.pulse.contracts.EventType;
import io.pulse.contracts.HeadActivation;
import io.pulse.contracts.HeadSpec;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Provenance;
import io.pulse.contracts.Tensor;
import io.pulse.contracts.schema.Contracts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Converts between the {@code ModelBundle} contract (the value on the {@code model-weights} topic and the content of
 * bundle files) and a runnable {@link LstmModel}, makes seeded random bundles for a pipeline that has no trained
 * model yet, and assembles bundles from a trainer's weights.
 *
 * <p>Tensors (row-major): {@code lstm.W} [inputSize, 4H], {@code lstm.RW} [H, 4H], {@code lstm.b} [4H] in DL4J's
 * gate order (see {@code io.pulse.model.dl4j.Dl4jLayout}); {@code head.next_action.W} [H, 8],
 * {@code head.next_action.b} [8], {@code head.churn.W} [H, 1], {@code head.churn.b} [1], {@code head.fraud.W} [H, 1],
 * {@code head.fraud.b} [1].
 * Heads and tensors this code does not know are ignored, so new heads can be added without a format break.
 */
public final class ModelBundles {

    /** The bundle layout version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** Provenance producer of untrained bundles. */
    public static final String SEEDED_RANDOM_PRODUCER = "seeded-random";

    public static final String LSTM_W = "lstm.W";
    public static final String LSTM_RW = "lstm.RW";
    public static final String LSTM_B = "lstm.b";
    /**
     * Names of the model's heads, defined here once: the bundle's architecture heads and tensor names, the DL4J
     * network's output layers, the trainer's evaluation and reports all use these.
     */
    public static final String NEXT_ACTION_HEAD = "next_action";
    public static final String CHURN_HEAD = "churn";
    public static final String FRAUD_HEAD = "fraud";
    /** Every head, in the order of the bundle's architecture and the DL4J network's outputs. */
    public static final List<String> HEADS = List.of(NEXT_ACTION_HEAD, CHURN_HEAD, FRAUD_HEAD);
    public static final String NEXT_ACTION_W = weightsTensor(NEXT_ACTION_HEAD);
    public static final String NEXT_ACTION_B = biasTensor(NEXT_ACTION_HEAD);
    public static final String CHURN_W = weightsTensor(CHURN_HEAD);
    public static final String CHURN_B = biasTensor(CHURN_HEAD);
    public static final String FRAUD_W = weightsTensor(FRAUD_HEAD);
    public static final String FRAUD_B = biasTensor(FRAUD_HEAD);

    private static final String CELL = "lstm";
    private static final List<String> NEXT_ACTION_LABELS = Arrays.stream(EventType.values()).map(Enum::name)
            .toList();

    private ModelBundles() {
    }

    /** The event type names in order: the next-action head's outputs. */
    public static List<String> nextActionLabels() {
        return NEXT_ACTION_LABELS;
    }

    /** Name of a head's weight tensor, {@code head.<head>.W} [H, outputs]. */
    public static String weightsTensor(String head) {
        return "head." + head + ".W";
    }

    /** Name of a head's bias tensor, {@code head.<head>.b} [outputs]. */
    public static String biasTensor(String head) {
        return "head." + head + ".b";
    }

    /**
     * A runnable model, using the kernel this JVM selected (see {@link LstmModel}).
     *
     * @throws InvalidBundleException if the bundle cannot be run exactly as trained
     */
    public static LstmModel toModel(ModelBundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        String where = "bundle " + bundle.getName() + " " + bundle.getVersion() + ": ";
        if (bundle.getFormatVersion() > FORMAT_VERSION || bundle.getFormatVersion() < 1) {
            throw new InvalidBundleException(where + "format version " + bundle.getFormatVersion()
                    + " is not supported; this build reads format 1 to " + FORMAT_VERSION);
        }
        FeatureSpec spec;
        try {
            spec = FeatureSpec.fromJson(bundle.getFeatureSpec());
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(where + "the pipeline cannot reproduce its feature spec: "
                    + e.getMessage(), e);
        }
        Architecture architecture = bundle.getArchitecture();
        if (!CELL.equals(architecture.getCell())) {
            throw new InvalidBundleException(where + "cell \"" + architecture.getCell() + "\" is not supported; only "
                    + CELL);
        }
        int inputSize = architecture.getInputSize();
        int hidden = architecture.getHiddenSize();
        if (inputSize != spec.inputSize()) {
            throw new InvalidBundleException(where + "architecture inputSize " + inputSize
                    + " differs from its feature spec's " + spec.inputSize());
        }
        if (hidden < 1 || hidden > 4096) {
            throw new InvalidBundleException(where + "hiddenSize must be in [1, 4096], got " + hidden);
        }
        requireHead(where, architecture, NEXT_ACTION_HEAD, HeadActivation.SOFTMAX, NEXT_ACTION_LABELS);
        requireHead(where, architecture, CHURN_HEAD, HeadActivation.SIGMOID, List.of(CHURN_HEAD));
        requireHead(where, architecture, FRAUD_HEAD, HeadActivation.SIGMOID, List.of(FRAUD_HEAD));

        Map<String, Tensor> tensors = new HashMap<>();
        for (Tensor tensor : bundle.getTensors()) {
            if (tensors.put(tensor.getName(), tensor) != null) {
                throw new InvalidBundleException(where + "tensor " + tensor.getName() + " appears twice");
            }
        }
        int gates = 4 * hidden;
        int actions = NEXT_ACTION_LABELS.size();
        float[] w = tensor(where, tensors, LSTM_W, inputSize, gates);
        float[] rw = tensor(where, tensors, LSTM_RW, hidden, gates);
        float[] b = tensor(where, tensors, LSTM_B, gates);
        float[] nextW = tensor(where, tensors, NEXT_ACTION_W, hidden, actions);
        float[] nextB = tensor(where, tensors, NEXT_ACTION_B, actions);
        float[] churnW = tensor(where, tensors, CHURN_W, hidden, 1);
        float[] churnB = tensor(where, tensors, CHURN_B, 1);
        float[] fraudW = tensor(where, tensors, FRAUD_W, hidden, 1);
        float[] fraudB = tensor(where, tensors, FRAUD_B, 1);

        int outputs = actions + 2;
        float[] headW = new float[hidden * outputs];
        for (int k = 0; k < hidden; k++) {
            System.arraycopy(nextW, k * actions, headW, k * outputs, actions);
            headW[k * outputs + actions] = churnW[k];
            headW[k * outputs + actions + 1] = fraudW[k];
        }
        float[] headB = new float[outputs];
        System.arraycopy(nextB, 0, headB, 0, actions);
        headB[actions] = churnB[0];
        headB[actions + 1] = fraudB[0];

        boolean randomInit = SEEDED_RANDOM_PRODUCER.equals(bundle.getProvenance().getProducer());
        return new LstmModel(bundle.getName(), bundle.getVersion(), spec, NEXT_ACTION_LABELS, randomInit,
                new RawWeights(inputSize, hidden, w, rw, b, headW, headB), LstmModel.defaultKernel());
    }

    private static void requireHead(String where, Architecture architecture, String name, HeadActivation activation,
            List<String> outputs) {
        HeadSpec head = architecture.getHeads().stream().filter(h -> name.equals(h.getName())).findFirst()
                .orElseThrow(() -> new InvalidBundleException(where + "head " + name + " is missing"));
        if (head.getActivation() != activation) {
            throw new InvalidBundleException(where + "head " + name + " must use " + activation + ", not "
                    + head.getActivation());
        }
        if (!outputs.equals(head.getOutputs())) {
            throw new InvalidBundleException(where + "head " + name + " must have outputs " + outputs + ", not "
                    + head.getOutputs());
        }
    }

    private static float[] tensor(String where, Map<String, Tensor> tensors, String name, int... shape) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new InvalidBundleException(where + "tensor " + name + " is missing");
        }
        List<Integer> expected = Arrays.stream(shape).boxed().toList();
        if (!expected.equals(tensor.getShape())) {
            throw new InvalidBundleException(where + "tensor " + name + " must have shape " + expected + ", not "
                    + tensor.getShape());
        }
        List<Float> values = tensor.getValues();
        int size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (values.size() != size) {
            throw new InvalidBundleException(where + "tensor " + name + " has " + values.size()
                    + " values for shape " + expected);
        }
        float[] array = new float[size];
        for (int i = 0; i < size; i++) {
            float value = values.get(i);
            if (!Float.isFinite(value)) {
                throw new InvalidBundleException(where + "tensor " + name + " has non-finite value " + value
                        + " at " + i);
            }
            array[i] = value;
        }
        return array;
    }

    /**
     * Untrained weights for a pipeline with no trained model yet, a pure function of its arguments: Xavier-uniform
     * matrices, small random biases, forget-gate bias 1 (as DL4J initialises it). Version {@code random-<seed>-h<H>},
     * producer {@value #SEEDED_RANDOM_PRODUCER}, created at the epoch so the same call gives the same bytes.
     */
    public static ModelBundle seededRandom(String name, long seed, int hiddenSize) {
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hiddenSize must be >= 1, got " + hiddenSize);
        }
        FeatureSpec spec = FeatureSpec.v1();
        int in = spec.inputSize();
        int actions = NEXT_ACTION_LABELS.size();
        Random random = new Random(seed);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        tensors.put(LSTM_W, uniform(random, in * 4 * hiddenSize, xavier(in, hiddenSize)));
        tensors.put(LSTM_RW, uniform(random, hiddenSize * 4 * hiddenSize, xavier(hiddenSize, hiddenSize)));
        float[] bias = uniform(random, 4 * hiddenSize, 0.1f);
        for (int u = 0; u < hiddenSize; u++) {
            bias[hiddenSize + u] += 1f;
        }
        tensors.put(LSTM_B, bias);
        tensors.put(NEXT_ACTION_W, uniform(random, hiddenSize * actions, xavier(hiddenSize, actions)));
        tensors.put(NEXT_ACTION_B, uniform(random, actions, 0.1f));
        tensors.put(CHURN_W, uniform(random, hiddenSize, xavier(hiddenSize, 1)));
        tensors.put(CHURN_B, uniform(random, 1, 0.1f));
        tensors.put(FRAUD_W, uniform(random, hiddenSize, xavier(hiddenSize, 1)));
        tensors.put(FRAUD_B, uniform(random, 1, 0.1f));
        Provenance provenance = Provenance.newBuilder()
                .setProducer(SEEDED_RANDOM_PRODUCER)
                .setProducerVersion(producerVersion())
                .setSeed(seed)
                .setNotes("Untrained: seeded random weights (Xavier-uniform). Predictions carry no information until"
                        + " a trained bundle is published.")
                .build();
        return fromWeights(name, "random-" + seed + "-h" + hiddenSize, spec, hiddenSize, tensors, provenance)
                .setCreatedAt(Instant.EPOCH)
                .build();
    }

    private static float xavier(int fanIn, int fanOut) {
        return (float) Math.sqrt(6.0 / (fanIn + fanOut));
    }

    private static float[] uniform(Random random, int size, float limit) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (2f * random.nextFloat() - 1f) * limit;
        }
        return values;
    }

    /**
     * A bundle builder for trained weights: architecture (the three standard heads), feature spec, tensors in
     * canonical order, format version, {@code createdAt} now and empty metrics; the caller adds metrics and may
     * override anything before {@code build()}.
     *
     * @param rowMajorTensors every standard tensor by name (see the class comment), row-major; use
     *                        {@code io.pulse.model.dl4j.Dl4jLayout#columnMajorToRowMajor} for DL4J's flat
     *                        parameter views
     * @throws IllegalArgumentException if a tensor is missing, has the wrong length or is not finite, or a name is
     *                                  unknown
     */
    public static ModelBundle.Builder fromWeights(String name, String version, FeatureSpec spec, int hiddenSize,
            Map<String, float[]> rowMajorTensors, Provenance provenance) {
        Objects.requireNonNull(spec, "spec");
        Map<String, List<Integer>> shapes = standardShapes(spec.inputSize(), hiddenSize);
        for (String given : rowMajorTensors.keySet()) {
            if (!shapes.containsKey(given)) {
                throw new IllegalArgumentException("unknown tensor " + given + "; expected " + shapes.keySet());
            }
        }
        List<Tensor> tensors = new ArrayList<>();
        shapes.forEach((tensorName, shape) -> {
            float[] values = rowMajorTensors.get(tensorName);
            int size = shape.stream().reduce(1, Math::multiplyExact);
            if (values == null || values.length != size) {
                throw new IllegalArgumentException("tensor " + tensorName + " needs " + size + " values (shape "
                        + shape + "), got " + (values == null ? "none" : values.length));
            }
            List<Float> boxed = new ArrayList<>(size);
            for (float value : values) {
                if (!Float.isFinite(value)) {
                    throw new IllegalArgumentException("tensor " + tensorName + " has a non-finite value " + value);
                }
                boxed.add(value);
            }
            tensors.add(Tensor.newBuilder().setName(tensorName).setShape(shape).setValues(boxed).build());
        });
        Architecture architecture = Architecture.newBuilder()
                .setCell(CELL)
                .setInputSize(spec.inputSize())
                .setHiddenSize(hiddenSize)
                .setHeads(List.of(
                        head(NEXT_ACTION_HEAD, HeadActivation.SOFTMAX, NEXT_ACTION_LABELS),
                        head(CHURN_HEAD, HeadActivation.SIGMOID, List.of(CHURN_HEAD)),
                        head(FRAUD_HEAD, HeadActivation.SIGMOID, List.of(FRAUD_HEAD))))
                .build();
        return ModelBundle.newBuilder()
                .setName(Objects.requireNonNull(name, "name"))
                .setVersion(Objects.requireNonNull(version, "version"))
                .setFormatVersion(FORMAT_VERSION)
                .setCreatedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setArchitecture(architecture)
                .setFeatureSpec(spec.toJson())
                .setTensors(tensors)
                .setMetrics(new HashMap<>())
                .setProvenance(Objects.requireNonNull(provenance, "provenance"));
    }

    /** Shapes of the standard tensors, in canonical order. */
    public static Map<String, List<Integer>> standardShapes(int inputSize, int hiddenSize) {
        int gates = 4 * hiddenSize;
        int actions = NEXT_ACTION_LABELS.size();
        Map<String, List<Integer>> shapes = new LinkedHashMap<>();
        shapes.put(LSTM_W, List.of(inputSize, gates));
        shapes.put(LSTM_RW, List.of(hiddenSize, gates));
        shapes.put(LSTM_B, List.of(gates));
        shapes.put(NEXT_ACTION_W, List.of(hiddenSize, actions));
        shapes.put(NEXT_ACTION_B, List.of(actions));
        shapes.put(CHURN_W, List.of(hiddenSize, 1));
        shapes.put(CHURN_B, List.of(1));
        shapes.put(FRAUD_W, List.of(hiddenSize, 1));
        shapes.put(FRAUD_B, List.of(1));
        return shapes;
    }

    private static HeadSpec head(String name, HeadActivation activation, List<String> outputs) {
        return HeadSpec.newBuilder().setName(name).setActivation(activation).setOutputs(outputs).build();
    }

    private static String producerVersion() {
        String version = ModelBundles.class.getPackage().getImplementationVersion();
        return version == null ? "pulse-model-dev" : "pulse-model-" + version;
    }

    /** Plain Avro binary with the {@code ModelBundle} schema: the content of bundle files. */
    public static byte[] toBytes(ModelBundle bundle) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(ModelBundle.class).write(bundle, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads {@link #toBytes}'s output.
     *
     * @throws InvalidBundleException if the bytes are not exactly one {@code ModelBundle}
     */
    public static ModelBundle fromBytes(byte[] bytes) {
        Contracts.trustGeneratedClasses();
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        try {
            ModelBundle bundle = new SpecificDatumReader<>(ModelBundle.class).read(null, decoder);
            if (!decoder.isEnd()) {
                throw new InvalidBundleException("bundle bytes have trailing data after the ModelBundle");
            }
            return bundle;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidBundleException invalid) {
                throw invalid;
            }
            throw new InvalidBundleException("bytes are not an Avro ModelBundle: " + e, e);
        }
    }

    /** Writes a bundle file. */
    public static void write(ModelBundle bundle, Path file) throws IOException {
        Files.write(file, toBytes(bundle));
    }

    /** Reads a bundle file. */
    public static ModelBundle read(Path file) throws IOException {
        return fromBytes(Files.readAllBytes(file));
    }
}

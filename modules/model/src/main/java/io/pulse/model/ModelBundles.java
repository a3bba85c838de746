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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
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
 *
 * <p>A version-2 feature spec with entities ({@link FeatureSpec#hasEntities()}) only makes the dense input longer
 * ({@code inputSize} counts the entity features): no tensor is added.
 *
 * <p>A version-2 feature spec with interests (items and categories, see {@link FeatureSpec#hasInterests()}) adds the
 * catalogue and its tables: {@code lstm.W} is then [inputSize + E + C, 4H] (dense features, item embedding,
 * category embedding);
 * {@code embedding.item} [items, E] and {@code head.next_item.W} [H, items] in half precision (so a 55k-item
 * catalogue fits the 16 MiB {@code model-weights} message), {@code head.next_item.b} [items],
 * {@code embedding.category} [categories, C], {@code embedding.item_fallback} [categories, E] (each category's mean
 * item embedding, for unknown items; computed here), {@code catalogue.item_category} [items] (each item's category
 * row), {@code head.next_category.W} [H, categories], {@code head.next_category.b} [categories]. The item ids are the
 * {@code next_item} head's outputs and the category ids the {@code next_category} head's, by row (row 0 is the
 * out-of-vocabulary item and the unknown category).
 *
 * <p>Optionally, a version-2 bundle carries an {@link ItemCooccurrence} prior for the next-item head:
 * {@code cooccurrence.row_start} [items + 1], {@code cooccurrence.columns} [entries] (neighbour rows; integers, exact
 * in float), {@code cooccurrence.counts} [entries] (half precision) and {@code cooccurrence.settings} [3] (recent items, decay, blend);
 * see {@link #withCooccurrence}. Bundles without them score with the head alone. Likewise optional,
 * {@code category_history.blend} [1] weighs the user's category history into the next-category distribution
 * ({@link #withCategoryHistory}), {@code category_affinity.blend} [1] the user's categories into the next-item
 * ranking ({@link #withCategoryAffinity}), and {@code brand_affinity.item_brand} [items] (each item's brand number, 0
 * for none; integers exact in float) with {@code brand_affinity.blend} [1] the user's brands into it
 * ({@link #withBrandAffinity}).
 *
 * <p>Optionally (format 2), a bundle carries {@link FraudTrees}, a gradient-boosted ensemble that replaces the linear
 * fraud head ({@link #withFraudTrees}): {@code fraud_trees.nodes} [nodes, 5] (per node: split feature or -1 for a
 * leaf, threshold or leaf value, left child, right child, 1 if a NaN goes left; integers exact in float),
 * {@code fraud_trees.roots} [trees] and {@code fraud_trees.settings} [3] (base margin, dense inputs, hidden size), or
 * [4] with the count of {@link AmountHistory} features the trees read after the hidden state (written only when
 * it is not 0, so trees without them stay readable by builds that predate them, and trees with them are refused
 * there rather than served with features missing). The
 * format number goes up with them so that an older build refuses the bundle instead of silently serving the linear
 * head it no longer replaces.
 */
public final class ModelBundles {

    /** The bundle layout version this code writes for bundles without fraud trees. */
    public static final int FORMAT_VERSION = 1;
    /** The layout version of bundles with {@link FraudTrees}, and the newest this code reads. */
    public static final int FORMAT_WITH_FRAUD_TREES = 2;
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
    /** Version 2: softmax over the catalogue's categories at the model's level. */
    public static final String NEXT_CATEGORY_HEAD = "next_category";
    /** Version 2: a score per catalogue item (softmax in training). */
    public static final String NEXT_ITEM_HEAD = "next_item";
    /** Every head of a version-1 model, in the order of the bundle's architecture and the DL4J network's outputs. */
    public static final List<String> HEADS = List.of(NEXT_ACTION_HEAD, CHURN_HEAD, FRAUD_HEAD);
    /** The heads a version-2 model adds after {@link #HEADS}, in the same order everywhere. */
    public static final List<String> INTEREST_HEADS = List.of(NEXT_CATEGORY_HEAD, NEXT_ITEM_HEAD);
    public static final String NEXT_CATEGORY_W = weightsTensor(NEXT_CATEGORY_HEAD);
    public static final String NEXT_CATEGORY_B = biasTensor(NEXT_CATEGORY_HEAD);
    public static final String NEXT_ITEM_W = weightsTensor(NEXT_ITEM_HEAD);
    public static final String NEXT_ITEM_B = biasTensor(NEXT_ITEM_HEAD);
    /** Item input embedding [items, E], half precision. */
    public static final String ITEM_EMBEDDING = "embedding.item";
    /** Category input embedding [categories, C]. */
    public static final String CATEGORY_EMBEDDING = "embedding.category";
    /** Per category, the mean input embedding of its known items [categories, E]: what an unknown item reads. */
    public static final String ITEM_FALLBACK = "embedding.item_fallback";
    /** Per item row, its category row [items] (small integers, exact in float). */
    public static final String ITEM_CATEGORY = "catalogue.item_category";
    /** Co-occurrence prior, per item row the offset of its neighbours [items + 1]. */
    public static final String COOCCURRENCE_ROW_START = "cooccurrence.row_start";
    /** Co-occurrence prior, the neighbour rows [entries]. */
    public static final String COOCCURRENCE_COLUMNS = "cooccurrence.columns";
    /** Co-occurrence prior, the neighbours' counts [entries]. */
    public static final String COOCCURRENCE_COUNTS = "cooccurrence.counts";
    /** Co-occurrence prior: recent items, decay, blend [3]. */
    public static final String COOCCURRENCE_SETTINGS = "cooccurrence.settings";
    /**
     * The weight w of the user's category history in the next-category distribution [1]: the head's probabilities
     * times {@code (1 + n_c)^w}, renormalised, n_c counting category c among the user's recent items (see
     * {@link LstmModel#nextCategories}). Optional; absent means 0.
     */
    public static final String CATEGORY_HISTORY_BLEND = "category_history.blend";
    /**
     * The weight of the user's category affinity in the next-item ranking [1]: {@code blend × log(1 + n_c)} added to
     * the logit of every item of category c, n_c counting the user's remembered items in c (see
     * {@link GroupAffinity}). Optional; absent means 0. A pipeline older than this tensor ignores it and ranks
     * without the affinity.
     */
    public static final String CATEGORY_AFFINITY_BLEND = "category_affinity.blend";
    /**
     * Each item row's brand number for the brand affinity [items]: 0 for none (and for row 0), brands numbered from 1;
     * integers, exact in float. Present exactly when {@link #BRAND_AFFINITY_BLEND} is. A pipeline older than these
     * tensors ignores them and ranks without the brand affinity.
     */
    public static final String BRAND_AFFINITY_ITEM_BRAND = "brand_affinity.item_brand";
    /**
     * The weight of the user's brand affinity in the next-item ranking [1]: {@code blend × log(1 + n_b)} added to the
     * logit of every item of brand b, n_b counting the user's remembered items of brand b (see {@link GroupAffinity}).
     * Optional; absent means 0.
     */
    public static final String BRAND_AFFINITY_BLEND = "brand_affinity.blend";
    /** Fraud trees' nodes [nodes, 5]: feature (-1 for a leaf), threshold or leaf value, left, right, NaN goes left. */
    public static final String FRAUD_TREES_NODES = "fraud_trees.nodes";
    /** Fraud trees' root node per tree [trees]. */
    public static final String FRAUD_TREES_ROOTS = "fraud_trees.roots";
    /** Fraud trees' settings [3]: base margin, dense input size, hidden size. */
    public static final String FRAUD_TREES_SETTINGS = "fraud_trees.settings";
    /** Tensors stored in half precision: the two item tables and the co-occurrence counts. */
    public static final List<String> HALF_TENSORS = List.of(ITEM_EMBEDDING, NEXT_ITEM_W, COOCCURRENCE_COUNTS);
    public static final String NEXT_ACTION_W = weightsTensor(NEXT_ACTION_HEAD);
    public static final String NEXT_ACTION_B = biasTensor(NEXT_ACTION_HEAD);
    public static final String CHURN_W = weightsTensor(CHURN_HEAD);
    public static final String CHURN_B = biasTensor(CHURN_HEAD);
    public static final String FRAUD_W = weightsTensor(FRAUD_HEAD);
    public static final String FRAUD_B = biasTensor(FRAUD_HEAD);

    private static final String CELL = "lstm";
    /** Avro single-object encoding marker. */
    private static final int MAGIC_0 = 0xC3;
    private static final int MAGIC_1 = 0x01;
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
        if (bundle.getFormatVersion() > FORMAT_WITH_FRAUD_TREES || bundle.getFormatVersion() < 1) {
            throw new InvalidBundleException(where + "format version " + bundle.getFormatVersion()
                    + " is not supported; this build reads format 1 to " + FORMAT_WITH_FRAUD_TREES);
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
        if (inputSize != spec.lstmInputSize()) {
            throw new InvalidBundleException(where + "architecture inputSize " + inputSize
                    + " differs from its feature spec's " + spec.lstmInputSize());
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

        InterestWeights interests = spec.hasInterests() ? interests(where, architecture, spec, tensors) : null;
        int categories = interests == null ? 0 : interests.catalogue().categories();
        float[] categoryW = interests == null ? new float[0]
                : tensor(where, tensors, NEXT_CATEGORY_W, hidden, categories);
        float[] categoryB = interests == null ? new float[0] : tensor(where, tensors, NEXT_CATEGORY_B, categories);

        // One head matrix: next action, churn, fraud, then (version 2) the next category.
        int outputs = actions + 2 + categories;
        float[] headW = new float[hidden * outputs];
        for (int k = 0; k < hidden; k++) {
            System.arraycopy(nextW, k * actions, headW, k * outputs, actions);
            headW[k * outputs + actions] = churnW[k];
            headW[k * outputs + actions + 1] = fraudW[k];
            System.arraycopy(categoryW, k * categories, headW, k * outputs + actions + 2, categories);
        }
        float[] headB = new float[outputs];
        System.arraycopy(nextB, 0, headB, 0, actions);
        headB[actions] = churnB[0];
        headB[actions + 1] = fraudB[0];
        System.arraycopy(categoryB, 0, headB, actions + 2, categories);

        FraudTrees trees = fraudTrees(where, tensors, spec.inputSize(), hidden);
        if (trees != null && bundle.getFormatVersion() < FORMAT_WITH_FRAUD_TREES) {
            throw new InvalidBundleException(where + "fraud trees need format version " + FORMAT_WITH_FRAUD_TREES
                    + ", the bundle says " + bundle.getFormatVersion());
        }
        boolean randomInit = SEEDED_RANDOM_PRODUCER.equals(bundle.getProvenance().getProducer());
        return new LstmModel(bundle.getName(), bundle.getVersion(), spec, NEXT_ACTION_LABELS, randomInit,
                new RawWeights(inputSize, hidden, w, rw, b, headW, headB), interests, trees,
                LstmModel.defaultKernel());
    }

    /** The bundle's fraud trees, or null when it has none. */
    private static FraudTrees fraudTrees(String where, Map<String, Tensor> tensors, int inputs, int hidden) {
        Tensor nodesTensor = tensors.get(FRAUD_TREES_NODES);
        if (nodesTensor == null && !tensors.containsKey(FRAUD_TREES_ROOTS)
                && !tensors.containsKey(FRAUD_TREES_SETTINGS)) {
            return null;
        }
        if (nodesTensor == null || nodesTensor.getShape().size() != 2 || nodesTensor.getShape().get(1) != 5) {
            throw new InvalidBundleException(where + "tensor " + FRAUD_TREES_NODES + " must be [nodes, 5]");
        }
        int nodes = nodesTensor.getShape().get(0);
        Tensor rootsTensor = tensors.get(FRAUD_TREES_ROOTS);
        if (nodes < 1 || nodes > FraudTrees.MAX_NODES || rootsTensor == null || rootsTensor.getShape().size() != 1) {
            throw new InvalidBundleException(where + "fraud trees need 1 to " + FraudTrees.MAX_NODES + " nodes and a "
                    + FRAUD_TREES_ROOTS + " vector");
        }
        float[] table = tensor(where, tensors, FRAUD_TREES_NODES, nodes, 5);
        int[] roots = integers(where, FRAUD_TREES_ROOTS,
                tensor(where, tensors, FRAUD_TREES_ROOTS, rootsTensor.getShape().get(0)));
        Tensor settingsTensor = tensors.get(FRAUD_TREES_SETTINGS);
        boolean withAmounts = settingsTensor != null && settingsTensor.getShape().equals(List.of(4));
        float[] settings = tensor(where, tensors, FRAUD_TREES_SETTINGS, withAmounts ? 4 : 3);
        int amountHistory = withAmounts ? integer(where, FRAUD_TREES_SETTINGS, settings[3], 3) : 0;
        if (integer(where, FRAUD_TREES_SETTINGS, settings[1], 1) != inputs
                || integer(where, FRAUD_TREES_SETTINGS, settings[2], 2) != hidden) {
            throw new InvalidBundleException(where + "fraud trees read " + settings[1] + " inputs and " + settings[2]
                    + " hidden units; the model has " + inputs + " and " + hidden);
        }
        int[] feature = new int[nodes];
        float[] value = new float[nodes];
        int[] left = new int[nodes];
        int[] right = new int[nodes];
        boolean[] defaultLeft = new boolean[nodes];
        for (int n = 0; n < nodes; n++) {
            feature[n] = integer(where, FRAUD_TREES_NODES, table[5 * n], 5 * n);
            value[n] = table[5 * n + 1];
            left[n] = integer(where, FRAUD_TREES_NODES, table[5 * n + 2], 5 * n + 2);
            right[n] = integer(where, FRAUD_TREES_NODES, table[5 * n + 3], 5 * n + 3);
            defaultLeft[n] = table[5 * n + 4] != 0f;
        }
        try {
            return new FraudTrees(inputs, hidden, amountHistory, settings[0], roots, feature, value, left, right,
                    defaultLeft);
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(where + "invalid fraud trees: " + e.getMessage(), e);
        }
    }

    /**
     * {@code bundle} with {@code trees} scoring fraud instead of its linear fraud head (replacing any trees it had),
     * in format {@link #FORMAT_WITH_FRAUD_TREES}; the linear head's tensors stay (the trees read its hidden state).
     *
     * @throws IllegalArgumentException if the trees read another input or hidden size than the bundle's
     */
    public static ModelBundle withFraudTrees(ModelBundle bundle, FraudTrees trees) {
        FeatureSpec spec = FeatureSpec.fromJson(bundle.getFeatureSpec());
        if (trees.inputs() != spec.inputSize() || trees.hidden() != bundle.getArchitecture().getHiddenSize()) {
            throw new IllegalArgumentException("fraud trees over " + trees.inputs() + " inputs and " + trees.hidden()
                    + " hidden units do not fit a bundle with " + spec.inputSize() + " and "
                    + bundle.getArchitecture().getHiddenSize());
        }
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor tensor : bundle.getTensors()) {
            if (!tensor.getName().startsWith("fraud_trees.")) {
                tensors.add(tensor);
            }
        }
        int nodes = trees.nodes();
        int[] feature = trees.feature();
        float[] value = trees.value();
        int[] left = trees.left();
        int[] right = trees.right();
        boolean[] defaultLeft = trees.defaultLeft();
        float[] table = new float[5 * nodes];
        for (int n = 0; n < nodes; n++) {
            table[5 * n] = feature[n];
            table[5 * n + 1] = value[n];
            table[5 * n + 2] = left[n];
            table[5 * n + 3] = right[n];
            table[5 * n + 4] = defaultLeft[n] ? 1f : 0f;
        }
        tensors.add(tensor(FRAUD_TREES_NODES, List.of(nodes, 5), table));
        tensors.add(tensor(FRAUD_TREES_ROOTS, List.of(trees.trees()), floats(trees.roots())));
        tensors.add(trees.amountHistory() == 0
                ? tensor(FRAUD_TREES_SETTINGS, List.of(3), new float[] {trees.baseMargin(), trees.inputs(),
                        trees.hidden()})
                : tensor(FRAUD_TREES_SETTINGS, List.of(4), new float[] {trees.baseMargin(), trees.inputs(),
                        trees.hidden(), trees.amountHistory()}));
        ModelBundle withTrees = withTensors(bundle, tensors);
        withTrees.setFormatVersion(FORMAT_WITH_FRAUD_TREES);
        return withTrees;
    }

    private static InterestWeights interests(String where, Architecture architecture, FeatureSpec spec,
            Map<String, Tensor> tensors) {
        List<String> itemIds = outputsOf(where, architecture, NEXT_ITEM_HEAD, HeadActivation.SOFTMAX);
        List<String> categoryIds = outputsOf(where, architecture, NEXT_CATEGORY_HEAD, HeadActivation.SOFTMAX);
        int items = itemIds.size();
        int categories = categoryIds.size();
        int hidden = architecture.getHiddenSize();
        float[] itemCategory = tensor(where, tensors, ITEM_CATEGORY, items);
        int[] rows = new int[items];
        for (int i = 0; i < items; i++) {
            rows[i] = (int) itemCategory[i];
            if (rows[i] != itemCategory[i]) {
                throw new InvalidBundleException(where + "tensor " + ITEM_CATEGORY + " has a non-integer row at " + i);
            }
        }
        Catalogue catalogue;
        try {
            catalogue = new Catalogue(itemIds, categoryIds, rows, spec.categoryLevel());
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(where + "invalid catalogue: " + e.getMessage(), e);
        }
        int itemDim = spec.itemEmbedding();
        int categoryDim = spec.categoryEmbedding();
        return new InterestWeights(catalogue, itemDim, categoryDim,
                tensor(where, tensors, ITEM_EMBEDDING, items, itemDim),
                tensor(where, tensors, CATEGORY_EMBEDDING, categories, categoryDim),
                tensor(where, tensors, ITEM_FALLBACK, categories, itemDim),
                tensor(where, tensors, NEXT_ITEM_W, hidden, items),
                tensor(where, tensors, NEXT_ITEM_B, items),
                cooccurrence(where, tensors, items),
                tensors.containsKey(CATEGORY_HISTORY_BLEND) ? blend(where, tensors, CATEGORY_HISTORY_BLEND) : 0f,
                tensors.containsKey(CATEGORY_AFFINITY_BLEND) ? blend(where, tensors, CATEGORY_AFFINITY_BLEND) : 0f,
                itemBrands(where, tensors, items),
                tensors.containsKey(BRAND_AFFINITY_BLEND) ? blend(where, tensors, BRAND_AFFINITY_BLEND) : 0f);
    }

    /** The bundle's item brands for the brand affinity, or null when it has none. */
    private static int[] itemBrands(String where, Map<String, Tensor> tensors, int items) {
        if (tensors.containsKey(BRAND_AFFINITY_ITEM_BRAND) != tensors.containsKey(BRAND_AFFINITY_BLEND)) {
            throw new InvalidBundleException(where + "tensors " + BRAND_AFFINITY_ITEM_BRAND + " and "
                    + BRAND_AFFINITY_BLEND + " come together; the bundle has only one of them");
        }
        if (!tensors.containsKey(BRAND_AFFINITY_ITEM_BRAND)) {
            return null;
        }
        float[] values = tensor(where, tensors, BRAND_AFFINITY_ITEM_BRAND, items);
        int[] brands = new int[items];
        for (int i = 0; i < items; i++) {
            brands[i] = (int) values[i];
            if (brands[i] != values[i] || brands[i] < 0 || brands[i] > items || (i == 0 && brands[i] != 0)) {
                throw new InvalidBundleException(where + "tensor " + BRAND_AFFINITY_ITEM_BRAND + " has "
                        + values[i] + " at row " + i + "; brands are integers 0.." + items + ", 0 at row 0");
            }
        }
        return brands;
    }

    private static float blend(String where, Map<String, Tensor> tensors, String name) {
        float blend = tensor(where, tensors, name, 1)[0];
        if (!(blend >= 0) || !Float.isFinite(blend)) {
            throw new InvalidBundleException(where + "tensor " + name + " must be finite and >= 0, not " + blend);
        }
        return blend;
    }

    /** The bundle's co-occurrence prior, or null when it has none. */
    private static ItemCooccurrence cooccurrence(String where, Map<String, Tensor> tensors, int items) {
        Tensor columnsTensor = tensors.get(COOCCURRENCE_COLUMNS);
        if (columnsTensor == null && !tensors.containsKey(COOCCURRENCE_ROW_START)) {
            return null;
        }
        if (columnsTensor == null || columnsTensor.getShape().size() != 1) {
            throw new InvalidBundleException(where + "tensor " + COOCCURRENCE_COLUMNS + " must be a vector");
        }
        int entries = columnsTensor.getShape().get(0);
        if (entries < 0 || entries > ItemCooccurrence.MAX_ENTRIES) {
            throw new InvalidBundleException(where + "co-occurrence table of " + entries + " entries; at most "
                    + ItemCooccurrence.MAX_ENTRIES);
        }
        float[] settings = tensor(where, tensors, COOCCURRENCE_SETTINGS, 3);
        try {
            return new ItemCooccurrence(items, integers(where, COOCCURRENCE_ROW_START,
                    tensor(where, tensors, COOCCURRENCE_ROW_START, items + 1)),
                    integers(where, COOCCURRENCE_COLUMNS, tensor(where, tensors, COOCCURRENCE_COLUMNS, entries)),
                    tensor(where, tensors, COOCCURRENCE_COUNTS, entries), integer(where, COOCCURRENCE_SETTINGS,
                            settings[0], 0), settings[1], settings[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(where + "invalid co-occurrence prior: " + e.getMessage(), e);
        }
    }

    private static int[] integers(String where, String name, float[] values) {
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = integer(where, name, values[i], i);
        }
        return ints;
    }

    private static int integer(String where, String name, float value, int at) {
        int exact = (int) value;
        if (exact != value) {
            throw new InvalidBundleException(where + "tensor " + name + " has a non-integer value " + value + " at "
                    + at);
        }
        return exact;
    }

    /**
     * {@code bundle} with {@code prior} as its next-item co-occurrence prior (replacing any it had): the tensors
     * described in the class comment, appended after the others. The bundle must have interest heads with the same
     * number of catalogue rows.
     *
     * @throws IllegalArgumentException if the bundle has no catalogue of {@code prior.items()} rows, or the table is
     *                                  too large for exact integer rows
     */
    public static ModelBundle withCooccurrence(ModelBundle bundle, ItemCooccurrence prior) {
        FeatureSpec spec = FeatureSpec.fromJson(bundle.getFeatureSpec());
        int items = bundle.getArchitecture().getHeads().stream().filter(h -> NEXT_ITEM_HEAD.equals(h.getName()))
                .findFirst().map(h -> h.getOutputs().size()).orElse(-1);
        if (!spec.hasInterests() || items != prior.items()) {
            throw new IllegalArgumentException("a co-occurrence prior over " + prior.items()
                    + " items needs a bundle with a next_item head of as many rows, not " + items);
        }
        if (prior.entries() > ItemCooccurrence.MAX_ENTRIES) {
            throw new IllegalArgumentException("co-occurrence table of " + prior.entries() + " entries; at most "
                    + ItemCooccurrence.MAX_ENTRIES + " (keep fewer neighbours per item)");
        }
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor tensor : bundle.getTensors()) {
            if (!tensor.getName().startsWith("cooccurrence.")) {
                tensors.add(tensor);
            }
        }
        tensors.add(tensor(COOCCURRENCE_ROW_START, List.of(items + 1), floats(prior.rowStart())));
        tensors.add(tensor(COOCCURRENCE_COLUMNS, List.of(prior.entries()), floats(prior.columns())));
        tensors.add(tensor(COOCCURRENCE_COUNTS, List.of(prior.entries()), prior.counts()));
        tensors.add(tensor(COOCCURRENCE_SETTINGS, List.of(3),
                new float[] {prior.recentItems(), prior.decay(), prior.blend()}));
        return withTensors(bundle, tensors);
    }

    /** {@code bundle} with other tensors, everything else shared. */
    private static ModelBundle withTensors(ModelBundle bundle, List<Tensor> tensors) {
        // field by field: Avro's copying builder deep-copies through reflection its class validator refuses
        return ModelBundle.newBuilder()
                .setName(bundle.getName())
                .setVersion(bundle.getVersion())
                .setFormatVersion(bundle.getFormatVersion())
                .setCreatedAt(bundle.getCreatedAt())
                .setArchitecture(bundle.getArchitecture())
                .setFeatureSpec(bundle.getFeatureSpec())
                .setTensors(tensors)
                .setMetrics(new HashMap<>(bundle.getMetrics()))
                .setProvenance(bundle.getProvenance())
                .build();
    }

    /**
     * {@code bundle} with {@code blend} as the weight of the user's category history in the next-category
     * distribution (replacing any it had).
     *
     * @throws IllegalArgumentException if the bundle has no interest heads or the blend is negative or not finite
     */
    public static ModelBundle withCategoryHistory(ModelBundle bundle, float blend) {
        return withBlend(bundle, CATEGORY_HISTORY_BLEND, "category-history", blend);
    }

    /**
     * {@code bundle} with the weight of the user's category affinity in the next-item ranking
     * ({@link GroupAffinity}) set to {@code blend} (0 turns it off); everything else unchanged.
     *
     * @throws IllegalArgumentException if the bundle has no interest heads or the blend is negative or not finite
     */
    public static ModelBundle withCategoryAffinity(ModelBundle bundle, float blend) {
        return withBlend(bundle, CATEGORY_AFFINITY_BLEND, "category-affinity", blend);
    }

    /**
     * {@code bundle} with the user's brand affinity in the next-item ranking ({@link GroupAffinity}): each item row's
     * brand number {@code itemBrand} (0 for none, brands numbered from 1; row 0 has none) and the weight
     * {@code blend}. A weight of 0, or no brands ({@code itemBrand} null), removes the affinity; everything else
     * unchanged.
     *
     * @throws IllegalArgumentException if the bundle has no interest heads, {@code itemBrand} is not one number per
     *                                  catalogue row in {@code 0..items} (0 at row 0), or the blend is negative or not
     *                                  finite
     */
    public static ModelBundle withBrandAffinity(ModelBundle bundle, int[] itemBrand, float blend) {
        int items = bundle.getArchitecture().getHeads().stream().filter(h -> NEXT_ITEM_HEAD.equals(h.getName()))
                .findFirst().map(h -> h.getOutputs().size()).orElse(-1);
        if (!FeatureSpec.fromJson(bundle.getFeatureSpec()).hasInterests() || !(blend >= 0)
                || !Float.isFinite(blend)) {
            throw new IllegalArgumentException("a brand-affinity blend needs a bundle with interest heads and a"
                    + " finite weight >= 0, got " + blend);
        }
        if (itemBrand != null && (itemBrand.length != items || itemBrand[0] != 0
                || Arrays.stream(itemBrand).anyMatch(b -> b < 0 || b > items))) {
            throw new IllegalArgumentException("item brands must be one number 0.." + items + " per catalogue row ("
                    + items + "), 0 at row 0; got " + itemBrand.length);
        }
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor tensor : bundle.getTensors()) {
            if (!tensor.getName().startsWith("brand_affinity.")) {
                tensors.add(tensor);
            }
        }
        if (itemBrand != null && blend > 0) {
            tensors.add(tensor(BRAND_AFFINITY_ITEM_BRAND, List.of(items), floats(itemBrand)));
            tensors.add(tensor(BRAND_AFFINITY_BLEND, List.of(1), new float[] {blend}));
        }
        return withTensors(bundle, tensors);
    }

    private static ModelBundle withBlend(ModelBundle bundle, String name, String what, float blend) {
        if (!FeatureSpec.fromJson(bundle.getFeatureSpec()).hasInterests() || !(blend >= 0)
                || !Float.isFinite(blend)) {
            throw new IllegalArgumentException("a " + what + " blend needs a bundle with interest heads and a"
                    + " finite weight >= 0, got " + blend);
        }
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor tensor : bundle.getTensors()) {
            if (!tensor.getName().equals(name)) {
                tensors.add(tensor);
            }
        }
        tensors.add(tensor(name, List.of(1), new float[] {blend}));
        return withTensors(bundle, tensors);
    }

    private static float[] floats(int[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = values[i];
        }
        return floats;
    }

    private static List<String> outputsOf(String where, Architecture architecture, String name,
            HeadActivation activation) {
        HeadSpec head = architecture.getHeads().stream().filter(h -> name.equals(h.getName())).findFirst()
                .orElseThrow(() -> new InvalidBundleException(where + "head " + name + " is missing"));
        if (head.getActivation() != activation) {
            throw new InvalidBundleException(where + "head " + name + " must use " + activation + ", not "
                    + head.getActivation());
        }
        return head.getOutputs();
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
        int size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        float[] array = values(tensor);
        if (array.length != size) {
            throw new InvalidBundleException(where + "tensor " + name + " has " + array.length
                    + " values for shape " + expected);
        }
        for (int i = 0; i < size; i++) {
            float value = array[i];
            if (!Float.isFinite(value)) {
                throw new InvalidBundleException(where + "tensor " + name + " has non-finite value " + value
                        + " at " + i);
            }
        }
        return array;
    }

    /**
     * A tensor's values, row-major, whichever way they are stored: {@code values}, or {@code half} (binary16,
     * little-endian) when that is not empty.
     */
    public static float[] values(Tensor tensor) {
        ByteBuffer half = tensor.getHalf();
        if (half != null && half.remaining() > 0) {
            ByteBuffer bytes = half.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            float[] array = new float[bytes.remaining() / 2];
            for (int i = 0; i < array.length; i++) {
                array[i] = Half.toFloat(bytes.getShort());
            }
            return array;
        }
        List<Float> values = tensor.getValues();
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    /** {@code values} rounded to half precision, as a bundle stores {@link #HALF_TENSORS}. */
    public static float[] roundToHalf(float[] values) {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = Half.toFloat(Half.fromFloat(values[i]));
        }
        return rounded;
    }

    /**
     * Untrained weights for a pipeline with no trained model yet, a pure function of its arguments: Xavier-uniform
     * matrices, small random biases, forget-gate bias 1 (as DL4J initialises it). Version {@code random-<seed>-h<H>},
     * producer {@value #SEEDED_RANDOM_PRODUCER}, created at the epoch so the same call gives the same bytes.
     */
    public static ModelBundle seededRandom(String name, long seed, int hiddenSize) {
        return seededRandomStandard(name, seed, hiddenSize, FeatureSpec.v1(), "");
    }

    /** The standard tensors of {@code spec} (no interest block), random as {@link #seededRandom(String, long, int)}. */
    private static ModelBundle seededRandomStandard(String name, long seed, int hiddenSize, FeatureSpec spec,
            String versionSuffix) {
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hiddenSize must be >= 1, got " + hiddenSize);
        }
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
        return fromWeights(name, "random-" + seed + "-h" + hiddenSize + versionSuffix, spec, hiddenSize, tensors,
                provenance)
                .setCreatedAt(Instant.EPOCH)
                .build();
    }

    /**
     * {@link #seededRandom(String, long, int)} for any spec: with interests, every tensor of {@link #interestShapes}
     * for the spec and its catalogue random (embeddings uniform in +-0.5); without, the standard tensors for the
     * spec's input (the catalogue is ignored), version suffixed {@code -in<inputSize>} when the spec declares
     * entities. A pure function of the arguments.
     */
    public static ModelBundle seededRandom(String name, long seed, int hiddenSize, FeatureSpec spec,
            Catalogue catalogue) {
        if (!spec.hasInterests()) {
            return spec.hasEntities() ? seededRandomStandard(name, seed, hiddenSize, spec, "-in" + spec.inputSize())
                    : seededRandom(name, seed, hiddenSize);
        }
        Random random = new Random(seed);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        interestShapes(spec, hiddenSize, catalogue).forEach((tensor, shape) -> {
            int size = shape.stream().reduce(1, Math::multiplyExact);
            float limit = shape.size() == 1 ? 0.1f
                    : tensor.startsWith("embedding.") ? 0.5f : xavier(shape.get(0), shape.get(1));
            tensors.put(tensor, uniform(random, size, limit));
        });
        for (int u = 0; u < hiddenSize; u++) {
            tensors.get(LSTM_B)[hiddenSize + u] += 1f;
        }
        tensors.remove(ITEM_FALLBACK);
        tensors.remove(ITEM_CATEGORY);
        Provenance provenance = Provenance.newBuilder()
                .setProducer(SEEDED_RANDOM_PRODUCER)
                .setProducerVersion(producerVersion())
                .setSeed(seed)
                .setNotes("Untrained: seeded random weights with item and category embeddings.")
                .build();
        String entitySuffix = spec.hasEntities() ? "-in" + spec.inputSize() : "";
        return fromWeights(name, "random-" + seed + "-h" + hiddenSize + "-items" + (catalogue.items() - 1)
                + entitySuffix, spec,
                hiddenSize, catalogue, tensors, provenance)
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
        if (spec.hasInterests()) {
            throw new IllegalArgumentException("a version-2 feature spec needs a catalogue: use the overload with one");
        }
        return fromWeights(name, version, spec, hiddenSize, null, rowMajorTensors, provenance);
    }

    /**
     * {@link #fromWeights(String, String, FeatureSpec, int, Map, Provenance)} for a version-2 spec: the tensors also
     * hold the interest tensors (see the class comment) except {@link #ITEM_FALLBACK}, computed here from the
     * half-precision item embedding and the catalogue (the mean over each category's known items; row 0 and
     * categories without items get the OOV row).
     */
    public static ModelBundle.Builder fromWeights(String name, String version, FeatureSpec spec, int hiddenSize,
            Catalogue catalogue, Map<String, float[]> rowMajorTensors, Provenance provenance) {
        Objects.requireNonNull(spec, "spec");
        if (spec.hasInterests() != (catalogue != null)) {
            throw new IllegalArgumentException("a catalogue goes with a version-2 feature spec, and only with one");
        }
        if (catalogue != null && catalogue.level() != spec.categoryLevel()) {
            throw new IllegalArgumentException("catalogue level " + catalogue.level() + " differs from the spec's "
                    + spec.categoryLevel());
        }
        Map<String, List<Integer>> shapes = catalogue == null ? standardShapes(spec.inputSize(), hiddenSize)
                : interestShapes(spec, hiddenSize, catalogue);
        Map<String, float[]> given = new LinkedHashMap<>(rowMajorTensors);
        if (catalogue != null) {
            Map<String, float[]> withFallback = given;
            float[] itemEmbedding = rowMajorTensors.get(ITEM_EMBEDDING);
            if (itemEmbedding != null) {
                withFallback.put(ITEM_FALLBACK, fallbacks(catalogue, roundToHalf(itemEmbedding),
                        spec.itemEmbedding()));
            }
            float[] categoryRows = new float[catalogue.items()];
            for (int i = 0; i < categoryRows.length; i++) {
                categoryRows[i] = catalogue.itemCategory(i);
            }
            withFallback.put(ITEM_CATEGORY, categoryRows);
        }
        for (String tensorName : given.keySet()) {
            if (!shapes.containsKey(tensorName)) {
                throw new IllegalArgumentException("unknown tensor " + tensorName + "; expected " + shapes.keySet());
            }
        }
        List<Tensor> tensors = new ArrayList<>();
        shapes.forEach((tensorName, shape) -> {
            float[] values = given.get(tensorName);
            int size = shape.stream().reduce(1, Math::multiplyExact);
            if (values == null || values.length != size) {
                throw new IllegalArgumentException("tensor " + tensorName + " needs " + size + " values (shape "
                        + shape + "), got " + (values == null ? "none" : values.length));
            }
            for (float value : values) {
                if (!Float.isFinite(value)) {
                    throw new IllegalArgumentException("tensor " + tensorName + " has a non-finite value " + value);
                }
            }
            tensors.add(tensor(tensorName, shape, values));
        });
        Architecture architecture = Architecture.newBuilder()
                .setCell(CELL)
                .setInputSize(spec.lstmInputSize())
                .setHiddenSize(hiddenSize)
                .setHeads(heads(catalogue))
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

    private static List<HeadSpec> heads(Catalogue catalogue) {
        List<HeadSpec> heads = new ArrayList<>(List.of(
                head(NEXT_ACTION_HEAD, HeadActivation.SOFTMAX, NEXT_ACTION_LABELS),
                head(CHURN_HEAD, HeadActivation.SIGMOID, List.of(CHURN_HEAD)),
                head(FRAUD_HEAD, HeadActivation.SIGMOID, List.of(FRAUD_HEAD))));
        if (catalogue != null) {
            heads.add(head(NEXT_CATEGORY_HEAD, HeadActivation.SOFTMAX, catalogue.categoryIds()));
            heads.add(head(NEXT_ITEM_HEAD, HeadActivation.SOFTMAX, catalogue.itemIds()));
        }
        return heads;
    }

    private static Tensor tensor(String name, List<Integer> shape, float[] values) {
        Tensor.Builder tensor = Tensor.newBuilder().setName(name).setShape(shape);
        if (HALF_TENSORS.contains(name)) {
            ByteBuffer half = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float value : values) {
                half.putShort(Half.fromFloat(value));
            }
            half.flip();
            return tensor.setValues(List.of()).setHalf(half).build();
        }
        List<Float> boxed = new ArrayList<>(values.length);
        for (float value : values) {
            boxed.add(value);
        }
        return tensor.setValues(boxed).build();
    }

    /** Per category row, the mean of its items' embeddings; the OOV row for row 0 and for empty categories. */
    static float[] fallbacks(Catalogue catalogue, float[] itemEmbedding, int dim) {
        int categories = catalogue.categories();
        float[] sums = new float[categories * dim];
        int[] counts = new int[categories];
        for (int item = 1; item < catalogue.items(); item++) {
            int category = catalogue.itemCategory(item);
            if (category > 0) {
                counts[category]++;
                for (int d = 0; d < dim; d++) {
                    sums[category * dim + d] += itemEmbedding[item * dim + d];
                }
            }
        }
        for (int category = 0; category < categories; category++) {
            for (int d = 0; d < dim; d++) {
                sums[category * dim + d] = counts[category] == 0 || category == 0 ? itemEmbedding[d]
                        : sums[category * dim + d] / counts[category];
            }
        }
        return sums;
    }

    /**
     * Shapes of a version-2 model's tensors, in canonical order: the standard ones (with the LSTM's longer input),
     * then the interest tensors.
     */
    public static Map<String, List<Integer>> interestShapes(FeatureSpec spec, int hiddenSize, Catalogue catalogue) {
        Map<String, List<Integer>> shapes = standardShapes(spec.lstmInputSize(), hiddenSize);
        int items = catalogue.items();
        int categories = catalogue.categories();
        shapes.put(ITEM_EMBEDDING, List.of(items, spec.itemEmbedding()));
        shapes.put(CATEGORY_EMBEDDING, List.of(categories, spec.categoryEmbedding()));
        shapes.put(ITEM_FALLBACK, List.of(categories, spec.itemEmbedding()));
        shapes.put(ITEM_CATEGORY, List.of(items));
        shapes.put(NEXT_CATEGORY_W, List.of(hiddenSize, categories));
        shapes.put(NEXT_CATEGORY_B, List.of(categories));
        shapes.put(NEXT_ITEM_W, List.of(hiddenSize, items));
        shapes.put(NEXT_ITEM_B, List.of(items));
        return shapes;
    }

    private static HeadSpec head(String name, HeadActivation activation, List<String> outputs) {
        return HeadSpec.newBuilder().setName(name).setActivation(activation).setOutputs(outputs).build();
    }

    private static String producerVersion() {
        String version = ModelBundles.class.getPackage().getImplementationVersion();
        return version == null ? "pulse-model-dev" : "pulse-model-" + version;
    }

    /**
     * The content of bundle files: Avro's single-object encoding (the two bytes {@code C3 01}, the writer schema's
     * 8-byte CRC-64-AVRO fingerprint, little-endian, then Avro binary with the current {@code ModelBundle} schema),
     * so a later build can resolve it against its own schema. Files from before the schema carried a fingerprint
     * (plain Avro binary, contract v1) still load: see {@link #fromBytes}.
     */
    public static byte[] toBytes(ModelBundle bundle) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        out.write(MAGIC_0);
        out.write(MAGIC_1);
        long fingerprint = SchemaNormalization.parsingFingerprint64(ModelBundle.getClassSchema());
        for (int i = 0; i < 8; i++) {
            out.write((int) (fingerprint >>> (8 * i)) & 0xFF);
        }
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
     * Reads {@link #toBytes}'s output, written by this build or an earlier one: with the fingerprint's schema (the
     * current one or a released version's) resolved against the current one, or, without the header, as plain Avro
     * binary of contract v1 (the first bundle files).
     *
     * @throws InvalidBundleException if the bytes are not exactly one {@code ModelBundle}
     */
    public static ModelBundle fromBytes(byte[] bytes) {
        Contracts.trustGeneratedClasses();
        Schema writer = Contracts.released("v1", "ModelBundle");
        int offset = 0;
        if (bytes.length >= 10 && bytes[0] == (byte) MAGIC_0 && bytes[1] == (byte) MAGIC_1) {
            long fingerprint = 0;
            for (int i = 0; i < 8; i++) {
                fingerprint |= (bytes[2 + i] & 0xFFL) << (8 * i);
            }
            writer = writerSchema(fingerprint);
            offset = 10;
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null);
        try {
            ModelBundle bundle = new SpecificDatumReader<ModelBundle>(writer, ModelBundle.getClassSchema())
                    .read(null, decoder);
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

    private static Schema writerSchema(long fingerprint) {
        if (fingerprint == SchemaNormalization.parsingFingerprint64(ModelBundle.getClassSchema())) {
            return ModelBundle.getClassSchema();
        }
        for (Schema released : Contracts.releasedHistory("ModelBundle")) {
            if (fingerprint == SchemaNormalization.parsingFingerprint64(released)) {
                return released;
            }
        }
        throw new InvalidBundleException("bundle bytes were written with an unknown ModelBundle schema (fingerprint "
                + Long.toHexString(fingerprint) + "): written by a newer build?");
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

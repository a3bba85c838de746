package io.pulse.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.contracts.EventType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The feature specification carried in every {@code ModelBundle}: which features the encoder produces, in which
 * order, and the per-feature normalisation ({@code (raw - mean) / std}) the model was trained with. Immutable.
 *
 * <p>A spec is a promise that {@link FeatureEncoder} can reproduce the model's inputs exactly: {@link #fromJson}
 * refuses versions and feature lists this code does not produce, so the pipeline never feeds a model inputs it was
 * not trained on.
 */
public final class FeatureSpec {

    /** The dense features of every event. */
    public static final int VERSION_1 = 1;
    /**
     * Version 1's dense features plus an item embedding and a category embedding looked up by the model (item and
     * category rows of the bundle's catalogue); the encoder's output is the same, the LSTM's input is longer.
     */
    public static final int VERSION_2 = 2;

    /** Decimals parsed as BigDecimal so every float survives the text round trip exactly (no double rounding). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final List<String> V1_NAMES = buildV1Names();
    private static final FeatureSpec V1 = new FeatureSpec(VERSION_1, V1_NAMES, zeros(V1_NAMES.size()),
            ones(V1_NAMES.size()), 0, 0, 0);

    private final int version;
    private final List<String> names;
    private final float[] mean;
    private final float[] std;
    /** 1/std, so normalising is a multiply; fromJson/withNormalisation always rebuild it from std. */
    private final float[] inverseStd;
    private final int itemEmbedding;
    private final int categoryEmbedding;
    private final int categoryLevel;

    private FeatureSpec(int version, List<String> names, float[] mean, float[] std, int itemEmbedding,
            int categoryEmbedding, int categoryLevel) {
        this.version = version;
        this.itemEmbedding = itemEmbedding;
        this.categoryEmbedding = categoryEmbedding;
        this.categoryLevel = categoryLevel;
        this.names = names;
        this.mean = mean;
        this.std = std;
        this.inverseStd = new float[std.length];
        for (int i = 0; i < std.length; i++) {
            inverseStd[i] = 1f / std[i];
        }
    }

    /** Version 1 with identity normalisation (mean 0, std 1). */
    public static FeatureSpec v1() {
        return V1;
    }

    /**
     * Version 2 with identity normalisation: the v1 features plus embeddings of the event's item
     * ({@code itemEmbedding} values) and of its category cut at {@code categoryLevel} ({@code categoryEmbedding}).
     *
     * @throws IllegalArgumentException unless all three are at least 1
     */
    public static FeatureSpec v2(int itemEmbedding, int categoryEmbedding, int categoryLevel) {
        if (itemEmbedding < 1 || categoryEmbedding < 1 || categoryLevel < 1) {
            throw new IllegalArgumentException("item and category embedding sizes and the category level must be at"
                    + " least 1, got " + itemEmbedding + ", " + categoryEmbedding + ", " + categoryLevel);
        }
        return new FeatureSpec(VERSION_2, V1_NAMES, zeros(V1_NAMES.size()), ones(V1_NAMES.size()), itemEmbedding,
                categoryEmbedding, categoryLevel);
    }

    private static List<String> buildV1Names() {
        List<String> names = new ArrayList<>(32);
        for (EventType type : EventType.values()) {
            names.add("type_" + type.name().toLowerCase(Locale.ROOT));
        }
        names.addAll(List.of("log_amount", "has_amount", "rating", "has_rating", "log_gap", "first_event",
                "hour_sin", "hour_cos", "dow_sin", "dow_cos"));
        for (Horizon h : Horizon.values()) {
            names.add("events_" + h.label());
        }
        for (Horizon h : Horizon.values()) {
            names.add("amount_" + h.label());
        }
        names.addAll(List.of("payments_1h", "payments_24h", "purchases_7d", "gap_z", "log_events_seen",
                "out_of_order"));
        return List.copyOf(names);
    }

    /**
     * This spec with the given normalisation statistics (typically the training set's per-feature mean and std).
     *
     * @throws IllegalArgumentException unless both arrays have {@link #inputSize()} finite values and every std > 0
     */
    public FeatureSpec withNormalisation(float[] mean, float[] std) {
        validateNormalisation(mean, std, names.size());
        return new FeatureSpec(version, names, mean.clone(), std.clone(), itemEmbedding, categoryEmbedding,
                categoryLevel);
    }

    private static void validateNormalisation(float[] mean, float[] std, int size) {
        if (mean == null || std == null || mean.length != size || std.length != size) {
            throw new IllegalArgumentException("normalisation needs mean and std of length " + size);
        }
        for (int i = 0; i < size; i++) {
            if (!Float.isFinite(mean[i]) || !Float.isFinite(std[i]) || !(std[i] > 0f)) {
                throw new IllegalArgumentException("normalisation of feature " + i + " must be finite with std > 0,"
                        + " got mean " + mean[i] + ", std " + std[i]);
            }
        }
    }

    /** Length of the encoded (dense) input vector the encoder writes: 32 in versions 1 and 2. */
    public int inputSize() {
        return names.size();
    }

    /** Whether the model also reads the event's item and category (version 2). */
    public boolean hasInterests() {
        return version == VERSION_2;
    }

    /** Length of the item embedding, 0 in version 1. */
    public int itemEmbedding() {
        return itemEmbedding;
    }

    /** Length of the category embedding, 0 in version 1. */
    public int categoryEmbedding() {
        return categoryEmbedding;
    }

    /** The category path level the model reads and predicts (1 = top level), 0 in version 1. */
    public int categoryLevel() {
        return categoryLevel;
    }

    /** Length of the LSTM's input: the dense features, then the item embedding, then the category embedding. */
    public int lstmInputSize() {
        return names.size() + itemEmbedding + categoryEmbedding;
    }

    /** Feature names in input order. */
    public List<String> names() {
        return names;
    }

    /** Encoder version. */
    public int version() {
        return version;
    }

    /** Per-feature normalisation mean (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-feature normalisation standard deviation (a copy). */
    public float[] std() {
        return std.clone();
    }

    /** {@code out[i] = (raw[i] - mean[i]) / std[i]}; {@code out} may be {@code raw}. Allocation-free. */
    public void normalise(float[] raw, float[] out) {
        for (int i = 0; i < inverseStd.length; i++) {
            out[i] = (raw[i] - mean[i]) * inverseStd[i];
        }
    }

    /** The JSON stored in {@code ModelBundle.featureSpec}: version, input size, names, mean, std. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", version);
        root.put("inputSize", inputSize());
        ArrayNode nameArray = root.putArray("names");
        names.forEach(nameArray::add);
        ArrayNode meanArray = root.putArray("mean");
        for (float m : mean) {
            meanArray.add(m);
        }
        ArrayNode stdArray = root.putArray("std");
        for (float s : std) {
            stdArray.add(s);
        }
        if (hasInterests()) {
            root.put("itemEmbedding", itemEmbedding);
            root.put("categoryEmbedding", categoryEmbedding);
            root.put("categoryLevel", categoryLevel);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write feature spec JSON", e);
        }
    }

    /**
     * Parses {@link #toJson()}'s output.
     *
     * @throws IllegalArgumentException if the JSON is malformed, of an unknown version, or lists features this
     *                                  encoder does not produce in exactly this order
     */
    public static FeatureSpec fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("feature spec is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("feature spec must be a JSON object");
        }
        JsonNode versionNode = root.get("version");
        if (versionNode == null || !versionNode.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("feature spec has no integer \"version\"");
        }
        int version = versionNode.intValue();
        if (version != VERSION_1 && version != VERSION_2) {
            throw new IllegalArgumentException("feature spec version " + version + " cannot be reproduced: this"
                    + " encoder implements versions " + VERSION_1 + " and " + VERSION_2 + " only");
        }
        int itemEmbedding = 0;
        int categoryEmbedding = 0;
        int categoryLevel = 0;
        if (version == VERSION_2) {
            itemEmbedding = positive(root, "itemEmbedding");
            categoryEmbedding = positive(root, "categoryEmbedding");
            categoryLevel = positive(root, "categoryLevel");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : array(root, "names")) {
            names.add(name.asText());
        }
        if (!names.equals(V1_NAMES)) {
            throw new IllegalArgumentException("feature spec names differ from what encoder version 1 produces;"
                    + " expected " + V1_NAMES + " but got " + names);
        }
        JsonNode inputSize = root.get("inputSize");
        if (inputSize != null && inputSize.asInt(-1) != names.size()) {
            throw new IllegalArgumentException("feature spec inputSize " + inputSize + " disagrees with its "
                    + names.size() + " names");
        }
        float[] mean = floats(root, "mean", names.size());
        float[] std = floats(root, "std", names.size());
        validateNormalisation(mean, std, names.size());
        return new FeatureSpec(version, V1_NAMES, mean, std, itemEmbedding, categoryEmbedding, categoryLevel);
    }

    private static int positive(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.canConvertToExactIntegral() || node.intValue() < 1) {
            throw new IllegalArgumentException("feature spec version 2 cannot be reproduced: \"" + field
                    + "\" must be an integer of at least 1, got " + node);
        }
        return node.intValue();
    }

    private static JsonNode array(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("feature spec has no \"" + field + "\" array");
        }
        return node;
    }

    private static float[] floats(JsonNode root, String field, int size) {
        JsonNode node = root.get(field);
        if (node == null) {
            return field.equals("std") ? ones(size) : zeros(size);
        }
        node = array(root, field);
        if (node.size() != size) {
            throw new IllegalArgumentException("feature spec \"" + field + "\" has " + node.size() + " values, expected "
                    + size);
        }
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            JsonNode value = node.get(i);
            if (!value.isNumber()) {
                throw new IllegalArgumentException("feature spec \"" + field + "\"[" + i + "] is not a number");
            }
            values[i] = Float.parseFloat(value.decimalValue().toString());
        }
        return values;
    }

    private static float[] zeros(int size) {
        return new float[size];
    }

    private static float[] ones(int size) {
        float[] ones = new float[size];
        Arrays.fill(ones, 1f);
        return ones;
    }

    /** Specs are equal when they have the same version, names and normalisation. */
    @Override
    public boolean equals(Object other) {
        return other instanceof FeatureSpec that && version == that.version && names.equals(that.names)
                && Arrays.equals(mean, that.mean) && Arrays.equals(std, that.std)
                && itemEmbedding == that.itemEmbedding && categoryEmbedding == that.categoryEmbedding
                && categoryLevel == that.categoryLevel;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * names.hashCode() + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "FeatureSpec[version=" + version + ", inputSize=" + inputSize()
                + (hasInterests() ? ", item " + itemEmbedding + ", category " + categoryEmbedding + " at level "
                        + categoryLevel : "") + "]";
    }
}

package io.pulse.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.contracts.EventType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The feature specification carried in every {@code ModelBundle}: which features the encoder produces, in which
 * order, and the per-feature normalisation ({@code (raw - mean) / std}) the model was trained with. Immutable.
 *
 * <p>A spec is a promise that {@link FeatureEncoder} can reproduce the model's inputs exactly: {@link #fromJson}
 * refuses versions and feature lists this code does not produce, so the pipeline never feeds a model inputs it was
 * not trained on.
 *
 * <p>Version 2 carries up to two optional blocks, at least one of them: <em>interests</em> (item and category
 * embeddings looked up by the model, {@link #hasInterests()}) and <em>entities</em> (declared entity types, each
 * adding its {@link EntityWindowSpec#featureNames()} after the version-1 features, {@link #entities()}). The dense
 * feature names are derived from the declared entities; a JSON whose names differ is refused.
 */
public final class FeatureSpec {

    /** The dense features of every event. */
    public static final int VERSION_1 = 1;
    /**
     * Version 1's dense features plus an optional interest block (an item embedding and a category embedding looked
     * up by the model from the bundle's catalogue: the LSTM's input is longer, the encoder's output the same) and an
     * optional entity block (per declared entity type, its window features appended to the encoder's output).
     */
    public static final int VERSION_2 = 2;

    /** Decimals parsed as BigDecimal so every float survives the text round trip exactly (no double rounding). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final List<String> V1_NAMES = buildV1Names();
    private static final FeatureSpec V1 = new FeatureSpec(VERSION_1, V1_NAMES, zeros(V1_NAMES.size()),
            ones(V1_NAMES.size()), 0, 0, 0, List.of());

    private final int version;
    private final List<String> names;
    private final float[] mean;
    private final float[] std;
    /** 1/std, so normalising is a multiply; fromJson/withNormalisation always rebuild it from std. */
    private final float[] inverseStd;
    private final int itemEmbedding;
    private final int categoryEmbedding;
    private final int categoryLevel;
    private final List<EntityWindowSpec> entities;

    private FeatureSpec(int version, List<String> names, float[] mean, float[] std, int itemEmbedding,
            int categoryEmbedding, int categoryLevel, List<EntityWindowSpec> entities) {
        this.version = version;
        this.entities = entities;
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
                categoryEmbedding, categoryLevel, List.of());
    }

    /**
     * A version-2 spec with this spec's interest block (if any) and the given entity types in this order, replacing
     * any declared here; identity normalisation (the input changes, so the old statistics no longer fit). Without
     * entity types: {@link #v1()} for a spec without interests, else the interest block alone.
     *
     * @throws IllegalArgumentException if two entity types share a name
     */
    public FeatureSpec withEntities(List<EntityWindowSpec> entityTypes) {
        List<EntityWindowSpec> declared = List.copyOf(entityTypes);
        if (declared.isEmpty() && !hasInterests()) {
            return V1;
        }
        List<String> expected = expectedNames(declared);
        return new FeatureSpec(VERSION_2, expected, zeros(expected.size()), ones(expected.size()), itemEmbedding,
                categoryEmbedding, categoryLevel, declared);
    }

    /** V1's names followed, per entity type in declaration order, by its feature names. */
    private static List<String> expectedNames(List<EntityWindowSpec> entities) {
        if (entities.isEmpty()) {
            return V1_NAMES;
        }
        Set<String> types = new HashSet<>();
        List<String> names = new ArrayList<>(V1_NAMES);
        for (EntityWindowSpec entity : entities) {
            if (!types.add(entity.type())) {
                throw new IllegalArgumentException("entity type \"" + entity.type() + "\" is declared twice");
            }
            names.addAll(entity.featureNames());
        }
        return List.copyOf(names);
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
                categoryLevel, entities);
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

    /**
     * Length of the encoded (dense) input vector the encoder writes: the 32 version-1 features, then
     * {@link #entityFeatureCount()} entity features.
     */
    public int inputSize() {
        return names.size();
    }

    /** Whether the model also reads the event's item and category (version 2 with the interest block). */
    public boolean hasInterests() {
        return itemEmbedding > 0;
    }

    /** The declared entity types in input order; empty without the entity block (always in version 1). */
    public List<EntityWindowSpec> entities() {
        return entities;
    }

    /** Whether the encoder appends entity window features (version 2 with the entity block). */
    public boolean hasEntities() {
        return !entities.isEmpty();
    }

    /** Index of the first entity feature in the encoded input: the number of version-1 features. */
    public int entityOffset() {
        return V1_NAMES.size();
    }

    /** Number of entity features: the sum of the declared types' {@link EntityWindowSpec#featureCount()}. */
    public int entityFeatureCount() {
        return names.size() - V1_NAMES.size();
    }

    /** Length of the item embedding, 0 without the interest block. */
    public int itemEmbedding() {
        return itemEmbedding;
    }

    /** Length of the category embedding, 0 without the interest block. */
    public int categoryEmbedding() {
        return categoryEmbedding;
    }

    /** The category path level the model reads and predicts (1 = top level), 0 without the interest block. */
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

    /** Feature {@code i}'s raw value back from the normalised input {@code x} (what {@link #normalise} undoes). */
    public float denormalise(float[] x, int i) {
        return x[i] * std[i] + mean[i];
    }

    /** {@code out[i] = (raw[i] - mean[i]) / std[i]}; {@code out} may be {@code raw}. Allocation-free. */
    public void normalise(float[] raw, float[] out) {
        for (int i = 0; i < inverseStd.length; i++) {
            out[i] = (raw[i] - mean[i]) * inverseStd[i];
        }
    }

    /**
     * The JSON stored in {@code ModelBundle.featureSpec}: version, input size, names, mean, std, then the interest
     * block and the entity block when present (durations in ISO-8601, e.g. {@code PT24H}).
     */
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
        if (hasEntities()) {
            ArrayNode entityArray = root.putArray("entities");
            for (EntityWindowSpec entity : entities) {
                ObjectNode node = entityArray.addObject();
                node.put("type", entity.type());
                node.put("key", entity.key());
                ArrayNode horizons = node.putArray("horizons");
                entity.horizons().forEach(h -> horizons.add(h.toString()));
                node.put("labelDelay", entity.labelDelay().toString());
                node.put("bucket", entity.bucket().toString());
            }
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
     * @throws IllegalArgumentException if the JSON is malformed, of an unknown version, has a partial interest
     *                                  block, declares entities in version 1, is a version 2 without either block,
     *                                  or lists features this encoder does not produce in exactly this order
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
        List<EntityWindowSpec> entities = List.of();
        if (version == VERSION_2) {
            // the interest block is all three fields or none: a partial block is a spec this code did not write
            if (root.has("itemEmbedding") || root.has("categoryEmbedding") || root.has("categoryLevel")) {
                itemEmbedding = positive(root, "itemEmbedding");
                categoryEmbedding = positive(root, "categoryEmbedding");
                categoryLevel = positive(root, "categoryLevel");
            }
            entities = entities(root);
            if (itemEmbedding == 0 && entities.isEmpty()) {
                throw new IllegalArgumentException("feature spec version 2 cannot be reproduced: it declares"
                        + " neither interests (itemEmbedding, categoryEmbedding, categoryLevel) nor entities");
            }
        } else if (root.has("entities")) {
            throw new IllegalArgumentException("feature spec version 1 cannot declare entities: they need version "
                    + VERSION_2);
        }
        List<String> expected = expectedNames(entities);
        List<String> names = new ArrayList<>();
        for (JsonNode name : array(root, "names")) {
            names.add(name.asText());
        }
        if (!names.equals(expected)) {
            throw new IllegalArgumentException("feature spec names differ from what encoder version " + version
                    + " produces" + (entities.isEmpty() ? "" : " for the declared entities") + "; expected "
                    + expected + " but got " + names);
        }
        JsonNode inputSize = root.get("inputSize");
        if (inputSize != null && inputSize.asInt(-1) != names.size()) {
            throw new IllegalArgumentException("feature spec inputSize " + inputSize + " disagrees with its "
                    + names.size() + " names");
        }
        float[] mean = floats(root, "mean", names.size());
        float[] std = floats(root, "std", names.size());
        validateNormalisation(mean, std, names.size());
        return new FeatureSpec(version, expected, mean, std, itemEmbedding, categoryEmbedding, categoryLevel,
                entities);
    }

    private static List<EntityWindowSpec> entities(JsonNode root) {
        if (!root.has("entities")) {
            return List.of();
        }
        List<EntityWindowSpec> entities = new ArrayList<>();
        for (JsonNode node : array(root, "entities")) {
            try {
                List<Duration> horizons = new ArrayList<>();
                for (JsonNode horizon : array(node, "horizons")) {
                    horizons.add(Duration.parse(horizon.asText()));
                }
                entities.add(new EntityWindowSpec(text(node, "type"), text(node, "key"), horizons,
                        Duration.parse(text(node, "labelDelay")), Duration.parse(text(node, "bucket"))));
            } catch (DateTimeParseException | ArithmeticException | IllegalArgumentException e) {
                throw new IllegalArgumentException("feature spec entity " + node + " cannot be reproduced: "
                        + e.getMessage(), e);
            }
        }
        if (entities.isEmpty()) {
            throw new IllegalArgumentException("feature spec \"entities\" is empty: leave the block out instead");
        }
        return List.copyOf(entities);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return value.textValue();
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
        JsonNode node = root == null ? null : root.get(field);
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

    /** Specs are equal when they have the same version, names, normalisation, interest block and entities. */
    @Override
    public boolean equals(Object other) {
        return other instanceof FeatureSpec that && version == that.version && names.equals(that.names)
                && Arrays.equals(mean, that.mean) && Arrays.equals(std, that.std)
                && itemEmbedding == that.itemEmbedding && categoryEmbedding == that.categoryEmbedding
                && categoryLevel == that.categoryLevel && entities.equals(that.entities);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * names.hashCode() + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "FeatureSpec[version=" + version + ", inputSize=" + inputSize()
                + (hasInterests() ? ", item " + itemEmbedding + ", category " + categoryEmbedding + " at level "
                        + categoryLevel : "")
                + (hasEntities() ? ", entities " + entities.stream().map(e -> e.type() + "=" + e.key()).toList() : "")
                + "]";
    }
}

package io.pulse.benchmarks.e2e;

import io.pulse.benchmarks.BenchCatalogue;
import io.pulse.model.FeatureSpec;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.processing.InterestSettings;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The topologies measured side by side on the same input bytes, and the one definition of what distinguishes them:
 * the topology, the model and the Pulse settings each runs with.
 */
public enum Variant {
    /** (a) source → sink of the same bytes: the cost of Kafka Streams and the broker alone. */
    PASS_THROUGH("a", "pass-through", false, Map.of()),
    /** (b) a RocksDB get + put of a Pulse-sized per-user state (changelogged), a small output record; no model. */
    STATEFUL("b", "stateful, no model", false, Map.of()),
    /**
     * (b′) issue 15: (c)'s topology, settings and model with a kernel that computes nothing ({@link NoOpKernel}: the
     * LSTM step leaves the state as it is, the heads get zero logits), so that c/b′ is the model's share of the
     * pipeline and b′ the framework's and Pulse's own work around it. Its letter on the command line is {@code n}.
     */
    NO_OP_MODEL("n", "Pulse topology, no-op model (b′)", false, Map.of()),
    /** (c) the full {@code PulseTopology}: validation, dedup, state, LSTM step, heads, prediction log, alerts. */
    FULL("c", "full Pulse pipeline", false, Map.of()),
    /**
     * (d) the same {@code PulseTopology} with a version-2 interest model ({@code BenchCatalogue}: 12,000 items, 50
     * categories) and the default {@code interests.*} settings: per event the next categories, the top-10
     * recommendations over the whole catalogue without the user's seen items, and the interest shift, in the
     * prediction and in a {@code user-interests} record.
     */
    INTERESTS("d", "full pipeline, interest model, recommendations per event", true, Map.of()),
    /**
     * (e) (d) with {@code interests.recommendations.k=0}: per event the next categories and the interest shift (in
     * the prediction and in a {@code user-interests} record), no recommendations; those are computed on request
     * ({@code GET /users/{id}/recommendations}), which this benchmark does not call.
     */
    INTERESTS_ON_REQUEST("e", "full pipeline, interest model, recommendations on request", true,
            Map.of(PulseConfig.INTERESTS_RECOMMENDATIONS_K, "0")),
    /**
     * (f) issue 14: (c)'s topology with one entity type, {@code entities.types=terminal} (the default window shape:
     * horizons 1/7/30 days, label delay 7 days, daily buckets), serving a version-1 model of (c)'s hidden size whose
     * feature spec declares the terminal ({@link #entityModel}): every event takes the inline round trip through the
     * terminal's repartition topics and store before it is scored. Only run with {@code --entities}, whose input
     * events carry {@code attr.terminal} ({@link BenchTerminals}).
     */
    ENTITIES("f", "full pipeline, one entity type (terminal)", false,
            Map.of(PulseConfig.ENTITIES_TYPES, BenchTerminals.TYPE)),
    /**
     * (g) (f) with broadcast delivery ({@code entities.delivery=broadcast}): each instance keeps every terminal's
     * windows in a global store read from the terminal store's changelog (on the heap: the default
     * {@code entities.snapshots.store}), and the user's task scores the event with
     * the snapshot it has, without the way back. Only run with {@code --entities}.
     */
    ENTITIES_BROADCAST("g", "full pipeline, one entity type (terminal), broadcast", false,
            Map.of(PulseConfig.ENTITIES_TYPES, BenchTerminals.TYPE, PulseConfig.ENTITIES_DELIVERY,
                    PulseConfig.DELIVERY_BROADCAST));

    private final String letter;
    private final String label;
    private final boolean interestModel;
    private final Map<String, String> settings;

    Variant(String letter, String label, boolean interestModel, Map<String, String> settings) {
        this.letter = letter;
        this.label = label;
        this.interestModel = interestModel;
        this.settings = settings;
    }

    public String letter() {
        return letter;
    }

    public String label() {
        return label;
    }

    /** Whether this is Pulse's own topology (with a version-1 or a version-2 model, with or without entities). */
    public boolean isPulse() {
        return this == FULL || this == NO_OP_MODEL || usesEntities() || interestModel;
    }

    /** Whether Pulse computes entity state in this variant (and serves a model whose features include it). */
    public boolean usesEntities() {
        return this == ENTITIES || this == ENTITIES_BROADCAST;
    }

    /** The variants with entity state, in the order they are reported (each against (c)). */
    public static List<Variant> withEntities() {
        return Arrays.stream(values()).filter(Variant::usesEntities).toList();
    }

    /** The variants a run measures unless told otherwise: all but (f) and (g), whose input needs terminals. */
    public static Set<Variant> standard() {
        return EnumSet.complementOf(EnumSet.of(ENTITIES, ENTITIES_BROADCAST));
    }

    /**
     * (f)'s model: the seeded-random version-1 model (c) serves ({@code PulseTopology.fallbackModel}: same name, seed
     * and hidden size), with the terminal's entity block appended to its input ({@code FeatureSpec.v1().withEntities}).
     */
    public static LstmModel entityModel(PulseConfig config) {
        return ModelBundles.toModel(ModelBundles.seededRandom(config.getString(PulseConfig.MODEL_NAME),
                config.getLong(PulseConfig.MODEL_FALLBACK_SEED), config.getInt(PulseConfig.MODEL_FALLBACK_HIDDEN_SIZE),
                FeatureSpec.v1().withEntities(config.entities()), null));
    }

    /** The variant of {@code letter} ("a" … "g", "n" for (b′)). */
    public static Variant ofLetter(String letter) {
        for (Variant v : values()) {
            if (v.letter.equalsIgnoreCase(letter.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant " + letter + "; variants: a b n c d e f g (n is b′, the"
                + " no-op model)");
    }

    /** Whether Pulse runs with the version-2 interest model of {@code BenchCatalogue} rather than a version-1 one. */
    public boolean usesInterestModel() {
        return interestModel;
    }

    /** The Pulse settings this variant runs with on top of the benchmark's own (topics, guarantee, threads). */
    public Map<String, String> settings() {
        return settings;
    }

    /** The variants with the interest model, in the order they are reported (each against (c)). */
    public static List<Variant> withInterestModel() {
        return Arrays.stream(values()).filter(Variant::usesInterestModel).toList();
    }

    /** The interest settings a variant with the interest model runs with (the defaults plus its own). */
    public InterestSettings interestSettings() {
        return InterestSettings.from(new PulseConfig(settings));
    }

    /**
     * What a variant with the interest model computes per event on top of (c), in words, from its settings: e.g.
     * "the top-3 next categories, the top-10 recommendations over all 12,000 items without the user's last 50 seen
     * items, the interest shift".
     */
    public String perEventInterests() {
        InterestSettings s = interestSettings();
        String recommendations = s.recommendationsK() == 0
                ? "no recommendations (`" + PulseConfig.INTERESTS_RECOMMENDATIONS_K + "=0`: on request only), the"
                        + " seen set still kept"
                : String.format(Locale.ROOT, "the top-%d recommendations over all %,d items%s", s.recommendationsK(),
                        BenchCatalogue.ITEMS, s.seenFilter() ? String.format(Locale.ROOT,
                                " without the user's last %d seen items", s.seenSize()) : "");
        return String.format(Locale.ROOT, "the top-%d next categories, %s, the interest shift", s.categoriesK(),
                recommendations);
    }
}

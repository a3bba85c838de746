package io.pulse.trainer.interest;

import io.pulse.contracts.ModelBundle;
import io.pulse.model.Catalogue;
import io.pulse.model.ItemCooccurrence;
import io.pulse.model.ModelBundles;
import io.pulse.simulator.sequences.ItemAttributes;
import io.pulse.trainer.eval.RankingMetrics;
import io.pulse.trainer.interest.NextItemServing.BlendTrial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The next-item ranking's weights besides the network — the {@link ItemCooccurrence} prior's blend, the user's
 * category affinity and the user's brand affinity ({@code GroupAffinity} in the model) — and how both trainers choose
 * them on validation targets: coordinate ascent by validation NDCG@10. The blend among
 * {@link CooccurrencePriors#blends()} with no affinity, then the category affinity among
 * {@link CooccurrencePriors#affinities()} at that blend, then (when the catalogue has brands) the brand affinity
 * among {@link #BRAND_AFFINITIES} at those, and then the blend once more at the chosen affinities, since a strong
 * affinity moves the best blend. A tie keeps the earlier (smaller) candidate, so a weight that does not help stays 0.
 *
 * @param blend    the co-occurrence prior's blend (0: the head alone)
 * @param affinity the category affinity's weight (0: none)
 * @param brand    the brand affinity's weight (0: none)
 */
public record RankingWeights(float blend, float affinity, float brand) {

    /**
     * The brand-affinity weights tried, none (0) first: logit units like the category affinity's; on Amazon Beauty a
     * user's brand is worth more than their category (the search there ends at 8 to 16).
     */
    static final float[] BRAND_AFFINITIES = {0f, 1f, 2f, 4f, 8f, 16f, 32f};

    /** The brand-affinity weights tried, none (0) first. */
    public static float[] brandAffinities() {
        return BRAND_AFFINITIES.clone();
    }

    /** No prior and no affinities: the head alone. */
    public static final RankingWeights NONE = new RankingWeights(0f, 0f, 0f);

    /** Which weight a search step varies, with its name for reports. */
    public enum Weight {
        BLEND("co-occurrence blend"), CATEGORY_AFFINITY("category affinity"), BRAND_AFFINITY("brand affinity");

        private final String label;

        Weight(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One step of the search: {@code weight} tried at each candidate, the others held at {@code from}'s values.
     *
     * @param trials every candidate's validation result, in candidate order
     * @param chosen the weights after this step
     */
    public record Step(Weight weight, RankingWeights from, List<BlendTrial> trials, RankingWeights chosen) {

        public Step {
            trials = List.copyOf(trials);
        }

        /** The chosen candidate's validation result. */
        public BlendTrial best() {
            float value = chosen.value(weight);
            return trials.stream().filter(t -> t.blend() == value).findFirst().orElseThrow();
        }
    }

    /**
     * The search's result.
     *
     * @param chosen the served weights
     * @param steps  every step in order; the last one's {@link Step#best()} is the served ranking's validation result
     */
    public record Search(RankingWeights chosen, List<Step> steps) {

        public Search {
            steps = List.copyOf(steps);
        }

        /** The served ranking's validation result. */
        public BlendTrial served() {
            return steps.get(steps.size() - 1).best();
        }

        /** The first step that varied {@code weight}, if any. */
        public Optional<Step> first(Weight weight) {
            return steps.stream().filter(s -> s.weight() == weight).findFirst();
        }
    }

    /**
     * Chooses the weights as described above.
     *
     * @param validate the validation metrics (at 10 at least) of the ranking with some weights
     * @param brands   whether the catalogue has brands (otherwise the brand affinity stays 0 and the blend is not
     *                 searched again)
     */
    public static Search choose(Function<RankingWeights, RankingMetrics> validate, boolean brands) {
        List<Step> steps = new ArrayList<>();
        RankingWeights at = NONE;
        at = step(Weight.BLEND, CooccurrencePriors.blends(), at, validate, steps);
        at = step(Weight.CATEGORY_AFFINITY, CooccurrencePriors.affinities(), at, validate, steps);
        if (brands) {
            at = step(Weight.BRAND_AFFINITY, BRAND_AFFINITIES.clone(), at, validate, steps);
            at = step(Weight.BLEND, CooccurrencePriors.blends(), at, validate, steps);
        }
        return new Search(at, steps);
    }

    private static RankingWeights step(Weight weight, float[] candidates, RankingWeights from,
            Function<RankingWeights, RankingMetrics> validate, List<Step> steps) {
        List<BlendTrial> trials = new ArrayList<>(candidates.length);
        BlendTrial best = null;
        for (float candidate : candidates) {
            BlendTrial trial = new BlendTrial(candidate, validate.apply(from.with(weight, candidate)));
            trials.add(trial);
            // NaN (no validation targets) is never greater: the first candidate is kept
            if (best == null || trial.validation().ndcg(10) > best.validation().ndcg(10)) {
                best = trial;
            }
        }
        RankingWeights chosen = from.with(weight, best.blend());
        steps.add(new Step(weight, from, trials, chosen));
        return chosen;
    }

    /**
     * Each catalogue row's brand number for the brand affinity, from the item file's brands ({@code brandOfItem}:
     * item id to brand, items without one absent): brands numbered from 1 in the order of their first row, 0 for an
     * item without one (and row 0); null when no catalogue item has a brand (the brand affinity is then neither
     * searched nor served).
     */
    public static int[] itemBrands(Catalogue catalogue, Map<String, String> brandOfItem) {
        List<String> itemIds = catalogue.itemIds();
        int[] brands = new int[itemIds.size()];
        Map<String, Integer> numbers = new HashMap<>();
        for (int row = 1; row < brands.length; row++) {
            String brand = brandOfItem.get(itemIds.get(row));
            if (brand != null) {
                brands[row] = numbers.computeIfAbsent(brand, b -> numbers.size() + 1);
            }
        }
        return numbers.isEmpty() ? null : brands;
    }

    /** Item id to brand, for the items of {@code attributes} that have one ({@link #itemBrands}'s input). */
    public static Map<String, String> brands(Map<String, ItemAttributes> attributes) {
        Map<String, String> brands = new HashMap<>();
        attributes.forEach((id, item) -> item.brand().ifPresent(brand -> brands.put(id, brand)));
        return brands;
    }

    /** This with {@code weight} set to {@code value}. */
    public RankingWeights with(Weight weight, float value) {
        return switch (weight) {
            case BLEND -> new RankingWeights(value, affinity, brand);
            case CATEGORY_AFFINITY -> new RankingWeights(blend, value, brand);
            case BRAND_AFFINITY -> new RankingWeights(blend, affinity, value);
        };
    }

    /** The value of {@code weight}. */
    public float value(Weight weight) {
        return switch (weight) {
            case BLEND -> blend;
            case CATEGORY_AFFINITY -> affinity;
            case BRAND_AFFINITY -> brand;
        };
    }

    /**
     * {@code bundle} ranking with these weights: {@code prior} (any blend) at {@link #blend}, the category affinity,
     * and the brand affinity over {@code itemBrand} (null: no brands).
     */
    public ModelBundle applyTo(ModelBundle bundle, ItemCooccurrence prior, int[] itemBrand) {
        ModelBundle ranked = ModelBundles.withCategoryAffinity(ModelBundles.withCooccurrence(bundle,
                prior.withBlend(blend)), affinity);
        return ModelBundles.withBrandAffinity(ranked, itemBrand, brand);
    }
}

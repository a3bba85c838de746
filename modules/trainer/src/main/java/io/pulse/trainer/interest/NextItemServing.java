package io.pulse.trainer.interest;

import io.pulse.contracts.ModelBundle;
import io.pulse.model.Catalogue;
import io.pulse.model.FeatureSpec;
import io.pulse.model.Half;
import io.pulse.model.ItemCooccurrence;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.model.Scores;
import io.pulse.simulator.sequences.ItemAttributes;
import io.pulse.simulator.sequences.UserSequence;
import io.pulse.trainer.eval.RankingMetrics;
import io.pulse.trainer.interest.NextItemModelReport.Prepared;
import io.pulse.trainer.interest.NextItemModelReport.Settings;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Trains the next-item model Pulse serves from a public sequence file under the {@link LeaveOneOut} protocol, and
 * ranks with it exactly as the pipeline does, for the offline side of {@code ./pulse evaluate next-item}.
 *
 * <p>Training: Pulse's network on the training prefixes ({@link NextItemModelReport}: full softmax over the catalogue,
 * epoch chosen on validation NDCG@10, within a time budget), then the {@link ItemCooccurrence} prior counted on the
 * same prefixes as the production trainer counts it ({@link CooccurrencePriors}: followers within a few positions,
 * the most frequent few per item, the last {@link ItemCooccurrence#MAX_RECENT_ITEMS} items voting with decay); then
 * the prior's blend and the weights of the user's category and brand affinities in the next-item ranking chosen on
 * validation NDCG@10 as the production trainer chooses them ({@link RankingWeights#choose}; brands from the item
 * file); then the weight of the user's category history in the next-category distribution
 * ({@link LstmModel#nextCategories}) on validation category HR@3 from {@link #CATEGORY_BLENDS}. The users' states
 * are computed once for the whole search, which only varies weights applied after the network. The test targets
 * are not read.
 *
 * <p>Ranking ({@link #rank}): each evaluated user's history (before the target) through the kernel as the pipeline
 * runs it — the same dense features (purchases one hour apart), item and category rows — then
 * {@link LstmModel#nextItems} with the user's last items voting, the history's categories and brands weighing and the
 * history excluded, and the top categories of
 * {@link LstmModel#nextCategories} given the history (ties to the lower row, as the pipeline's).
 */
public final class NextItemServing {

    /** Blend weights tried on the validation targets (0: the head alone). */
    static final float[] BLENDS = CooccurrencePriors.blends();
    /** Category-history weights tried on the validation targets (0: the next-category head alone). */
    static final float[] CATEGORY_BLENDS = CooccurrencePriors.CATEGORY_BLENDS;
    /** Category-affinity weights tried on the validation targets (0: none). */
    static final float[] AFFINITIES = CooccurrencePriors.AFFINITIES;

    private final Prepared prepared;

    /**
     * The trained model and how it was chosen.
     *
     * @param ranking how the next-item ranking's weights (blend, category and brand affinity) were chosen
     */
    public record Model(ModelBundle bundle, Settings settings, int bestEpoch, int epochsRun, double secondsPerEpoch,
            RankingWeights.Search ranking, int priorEntries, float categoryBlend,
            List<BlendTrial> categoryBlendSearch) {

        /** The served co-occurrence blend. */
        public float blend() {
            return ranking.chosen().blend();
        }

        /** The served category-affinity weight. */
        public float affinity() {
            return ranking.chosen().affinity();
        }

        /** The served brand-affinity weight (0 without brands). */
        public float brand() {
            return ranking.chosen().brand();
        }
    }

    /** One blend weight's validation result. */
    public record BlendTrial(float blend, RankingMetrics validation) {
    }

    /**
     * Rankings of the evaluated users (in the sequence file's order): metrics, and per user the top item rows and top
     * category rows as ranked.
     */
    public record Ranking(RankingMetrics items, RankingMetrics categories, List<int[]> topItems,
            List<int[]> topCategories) {
    }

    /**
     * @param users      the sequence file's users, in file order
     * @param attributes item id to attributes (category paths); may be empty
     * @param level      the category level predicted
     */
    public NextItemServing(List<UserSequence> users, Map<String, ItemAttributes> attributes, int level) {
        this.prepared = NextItemModelReport.prepare(users, attributes, level);
    }

    /** The catalogue built from the sequence file (every item, in order of first appearance) and the attributes. */
    public Catalogue catalogue() {
        return prepared.catalogue;
    }

    /** Users with at least {@link LeaveOneOut#MIN_ITEMS} items, who have validation and test targets. */
    public int evaluatedUsers() {
        return prepared.evaluated.size();
    }

    /** Item rows of evaluated user {@code user}'s whole sequence. */
    public int[] itemRows(int user) {
        int[] sequence = prepared.evaluated.get(user);
        int[] rows = new int[sequence.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = sequence[i] + 1;
        }
        return rows;
    }

    /**
     * The event time the model was trained with for a user's {@code position}-th item (0-based): every user's events
     * are purchases one hour apart from the same start, so the dense features depend on the position only. Replaying
     * a user into the pipeline must use these times for the pipeline to compute the features trained on.
     */
    public static long eventTime(int position) {
        return NextItemModelReport.eventTime(position);
    }

    /**
     * Trains the network with {@code settings}, then fits the co-occurrence prior and chooses its blend on the
     * validation targets; progress to {@code log}.
     */
    public Model train(Settings settings, PrintStream log) {
        NextItemModelReport.Trained trained = NextItemModelReport.train(prepared, settings, log);
        ItemCooccurrence prior = CooccurrencePriors.fitIndices(prepared.training, prepared.items);
        // the search varies only weights applied after the network, so every user's state is computed once
        List<State> validation = states(ModelBundles.toModel(trained.bundle()), LeaveOneOut.Target.VALIDATION, false);
        RankingWeights.Search ranking = RankingWeights.choose(weights -> {
            RankingMetrics metrics = rank(ModelBundles.toModel(weights.applyTo(trained.bundle(), prior,
                    prepared.itemBrand)), validation, 20, 0).items();
            log.printf(Locale.ROOT, "blend %s, category affinity %s, brand affinity %s: valid HR@10 %.4f NDCG@10"
                    + " %.4f%n", weights.blend(), weights.affinity(), weights.brand(), metrics.hitRate(10),
                    metrics.ndcg(10));
            return metrics;
        }, prepared.itemBrand != null);
        ModelBundle withPrior = ranking.chosen().applyTo(trained.bundle(), prior, prepared.itemBrand);
        List<BlendTrial> categoryTrials = search(CATEGORY_BLENDS, blend -> {
            RankingMetrics metrics = rank(ModelBundles.toModel(ModelBundles.withCategoryHistory(withPrior, blend)),
                    validation, 0, 3).categories();
            log.printf(Locale.ROOT, "category-history blend %s: valid HR@1 %.4f HR@3 %.4f%n", blend,
                    metrics.hitRate(1), metrics.hitRate(3));
            return metrics;
        });
        float categoryBlend = best(categoryTrials, metrics -> metrics.hitRate(3));
        ModelBundle served = ModelBundles.withCategoryHistory(withPrior, categoryBlend);
        return new Model(served, settings, trained.bestEpoch(), trained.epochsRun(), trained.secondsPerEpoch(),
                ranking, prior.entries(), categoryBlend, categoryTrials);
    }

    /**
     * {@code model}'s bundle with its co-occurrence prior counted again on the training prefixes plus each evaluated
     * user's validation item, everything else unchanged (network, blend and category weight as chosen on the
     * validation targets). What a running pipeline would serve at test time if it recounted its prior from every
     * event it has seen; not the published protocol, whose models are fitted on the training prefixes.
     */
    public ModelBundle recountedWithValidation(Model model) {
        ItemCooccurrence recounted = CooccurrencePriors.fitIndices(prepared.split.trainingWithValidation(),
                prepared.items);
        return ModelBundles.withCooccurrence(model.bundle(), recounted.withBlend(model.blend()));
    }

    /** Each candidate weight with its validation metrics. */
    private static List<BlendTrial> search(float[] candidates, Function<Float, RankingMetrics> validate) {
        List<BlendTrial> trials = new ArrayList<>();
        for (float blend : candidates) {
            trials.add(new BlendTrial(blend, validate.apply(blend)));
        }
        return List.copyOf(trials);
    }

    /** The weight of the best trial by {@code criterion}; the first (smallest) of equals. */
    private static float best(List<BlendTrial> trials, ToDoubleFunction<RankingMetrics> criterion) {
        BlendTrial best = trials.get(0);
        for (BlendTrial trial : trials) {
            if (criterion.applyAsDouble(trial.validation()) > criterion.applyAsDouble(best.validation())) {
                best = trial;
            }
        }
        return best.blend();
    }

    /**
     * Ranks every evaluated user's {@code target} with {@code bundle} as the pipeline would after the user's last
     * history event: the top {@code k} items (history excluded, recent items voting through the bundle's prior if
     * it has one) and the top {@code categoriesK} categories. Metrics at 10 and 20 (items; a target outside the top
     * k is a miss) and 1 and 3 (categories; users whose target has no category are not counted).
     */
    public Ranking rank(ModelBundle bundle, LeaveOneOut.Target target, int k, int categoriesK) {
        return rank(bundle, target, k, categoriesK, false);
    }

    /**
     * {@link #rank(ModelBundle, LeaveOneOut.Target, int, int)}, optionally with the user's state stored between
     * events as the pipeline's state store keeps it: the behaviour windows in their compact form and the recurrent
     * state h, c rounded to half precision (the pipeline's user-state format). The pipeline's published lists should
     * then equal these exactly; without the rounding they differ only where near-ties reorder.
     */
    public Ranking rank(ModelBundle bundle, LeaveOneOut.Target target, int k, int categoriesK, boolean asStored) {
        LstmModel model = ModelBundles.toModel(bundle);
        return rank(model, states(model, target, asStored), k, categoriesK);
    }

    /**
     * Every evaluated user's state after their history before {@code target}, with what ranking reads besides it.
     *
     * @param h       the hidden state after the last history event
     * @param history the history's item rows, in order (the exclusions)
     * @param target  the target's item row
     */
    private record State(float[] h, int[] history, int target) {
    }

    /** The evaluated users' {@link State}s, in order. */
    private List<State> states(LstmModel model, LeaveOneOut.Target target, boolean asStored) {
        List<State> users = new ArrayList<>(prepared.evaluated.size());
        float[] c = new float[model.hiddenSize()];
        float[] x = new float[model.inputSize()];
        FeatureSpec spec = model.featureSpec();
        for (int user = 0; user < prepared.evaluated.size(); user++) {
            int[] sequence = prepared.evaluated.get(user);
            int historyLength = sequence.length - (target == LeaveOneOut.Target.TEST ? 1 : 2);
            float[][] raw = asStored ? NextItemModelReport.raw(historyLength, true)
                    : prepared.evaluatedRaw.get(user);
            float[] h = new float[model.hiddenSize()];
            Arrays.fill(c, 0f);
            int[] history = new int[historyLength];
            for (int i = 0; i < historyLength; i++) {
                spec.normalise(raw[i], x);
                if (asStored) { // the state as stored after the previous event; the last step's is scored as is
                    roundToHalf(h);
                    roundToHalf(c);
                }
                model.step(x, sequence[i] + 1, prepared.categoryOfIndex[sequence[i]], h, c);
                history[i] = sequence[i] + 1;
            }
            users.add(new State(h, history, sequence[historyLength] + 1));
        }
        return users;
    }

    /**
     * Ranks every state with {@code model} (whose network must be the one that computed the states): the top
     * {@code k} items (none at 0) and the top {@code categoriesK} categories (none at 0).
     */
    private Ranking rank(LstmModel model, List<State> states, int k, int categoriesK) {
        RankingMetrics itemMetrics = new RankingMetrics(10, 20);
        RankingMetrics categoryMetrics = new RankingMetrics(1, 3);
        List<int[]> topItems = new ArrayList<>(states.size());
        List<int[]> topCategories = new ArrayList<>(states.size());
        Scores scores = Scores.forModel(model);
        float[] categoryDistribution = new float[model.categoryCount()];
        int[] recent = new int[ItemCooccurrence.MAX_RECENT_ITEMS];
        int[] rows = new int[k];
        float[] itemScores = new float[k];
        for (State state : states) {
            int[] history = state.history();
            int historyLength = history.length;
            int[] seen = distinct(history); // the pipeline's seen items: each item once, sized to hold them all
            if (k > 0) {
                int recentCount = Math.min(recent.length, historyLength);
                for (int l = 0; l < recentCount; l++) {
                    recent[l] = history[historyLength - 1 - l];
                }
                int found = model.nextItems(state.h(), recent, recentCount, seen, seen.length, k, history,
                        historyLength, rows, itemScores);
                int[] top = Arrays.copyOf(rows, found);
                topItems.add(top);
                add(itemMetrics, top, state.target());
            }
            if (categoriesK > 0) {
                model.heads(state.h(), scores);
                model.nextCategories(scores.nextCategory, seen, seen.length, categoryDistribution);
                int[] categories = topRows(categoryDistribution, categoriesK);
                topCategories.add(categories);
                int targetCategory = prepared.categoryOfIndex[state.target() - 1];
                if (targetCategory > 0) {
                    add(categoryMetrics, categories, targetCategory);
                }
            }
        }
        return new Ranking(itemMetrics, categoryMetrics, topItems, topCategories);
    }

    /** The distinct rows of {@code rows}, oldest first by their last occurrence (as the pipeline's seen items). */
    static int[] distinct(int[] rows) {
        LinkedHashSet<Integer> seen = new LinkedHashSet<>();
        for (int row : rows) {
            seen.remove(row);
            seen.add(row);
        }
        return seen.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void roundToHalf(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Half.toFloat(Half.fromFloat(values[i]));
        }
    }

    /** Adds one user whose ranked list is {@code top}: the target's 1-based position, or a miss. */
    public static void add(RankingMetrics metrics, int[] top, int targetRow) {
        for (int i = 0; i < top.length; i++) {
            if (top[i] == targetRow) {
                metrics.add(i + 1);
                return;
            }
        }
        metrics.addMiss();
    }

    /** The {@code k} most probable rows except row 0, most probable first, ties to the lower row. */
    static int[] topRows(float[] probabilities, int k) {
        Integer[] order = new Integer[probabilities.length - 1];
        for (int i = 0; i < order.length; i++) {
            order[i] = i + 1;
        }
        Arrays.sort(order, (a, b) -> probabilities[a] != probabilities[b]
                ? Float.compare(probabilities[b], probabilities[a]) : Integer.compare(a, b));
        int[] top = new int[Math.min(k, order.length)];
        for (int i = 0; i < top.length; i++) {
            top[i] = order[i];
        }
        return top;
    }
}

package io.pulse.trainer.interest;

import io.pulse.contracts.ModelBundle;
import io.pulse.model.Catalogue;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ItemCooccurrence;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.model.Scores;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.data.UserSequence;
import io.pulse.trainer.eval.Evaluator;
import io.pulse.trainer.eval.RankingMetrics;
import io.pulse.trainer.interest.NextItemServing.BlendTrial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The next-item {@link ItemCooccurrence} prior Pulse ships in interest bundles, fitted one way by both trainers — the
 * production round ({@code TrainJob}, through {@link #select}) and the benchmark's ({@link NextItemServing}): j
 * weighs 1/d as a follower of i when it comes d positions after i in a user's training sequence, up to
 * {@value #WINDOW} ({@link FollowerCounts#byDistance}), plus {@value #SIMILARITY} times the items' cosine similarity
 * over pairs a user had within {@value #SIMILARITY_REACH} positions in either order ({@link FollowerCounts#together});
 * the {@value #NEIGHBOURS} heaviest neighbours are kept per item (as many as fit when the table would exceed
 * {@link ItemCooccurrence#MAX_ENTRIES}), the user's last
 * {@link ItemCooccurrence#MAX_RECENT_ITEMS} items vote with decay {@value #DECAY} (the co-occurrence baseline's
 * setting chosen on Amazon Beauty's validation targets by {@link BaselineReport}, capped by what the pipeline's
 * re-warm ring keeps), and the blend weight is chosen on validation NDCG@10 among {@link #blends()} (0: the head
 * alone; a tie keeps the smaller blend) together with the weights of the user's category and brand affinities in the
 * next-item ranking ({@link RankingWeights#choose}; the category affinity's among {@link #AFFINITIES}; in a
 * production round the user's last {@value #CATEGORY_HISTORY_ITEMS} distinct items counting). A production round
 * ({@link #select}) also chooses, on the same validation steps, the weight of the user's category history in the
 * next-category distribution
 * ({@link LstmModel#nextCategories}) among {@link #CATEGORY_BLENDS}, by HR@3.
 */
public final class CooccurrencePriors {

    /** Positions after an item that count as following it. */
    public static final int WINDOW = 8;
    /** The weight of the item-to-item similarity relative to the follower weights. */
    public static final float SIMILARITY = 4f;
    /** How many positions apart two items of a user may be and still count towards their similarity. */
    public static final int SIMILARITY_REACH = 20;
    /** Followers kept per item. */
    public static final int NEIGHBOURS = 64;
    /** Weight of each older recent item's vote relative to the next newer one. */
    public static final float DECAY = 0.5f;
    /**
     * At most this many validation steps (every n-th eligible one) rank each blend in {@link #select}: the item
     * scores cost a pass over the catalogue per step and blend, and the demo trains at startup.
     */
    public static final int MAX_VALIDATION_STEPS = 2000;
    /** The cut-off of the validation figures (HR@10, NDCG@10). */
    public static final int CUTOFF = 10;
    private static final float[] BLENDS = {0f, 0.25f, 0.5f, 1f, 2f, 4f, 8f, 16f, 32f};
    /** The category-history weights tried, the head alone (0) first. */
    static final float[] CATEGORY_BLENDS = {0f, 0.5f, 1f, 2f, 4f, 8f};
    /**
     * The category-affinity weights tried at the chosen blend, none (0) first: logit units, so that at Amazon Beauty's
     * blend of 16 (one vote from the last item adds about 11) a user's category with a few items adds up to a vote's
     * worth.
     */
    static final float[] AFFINITIES = {0f, 0.5f, 1f, 2f, 4f, 8f};
    /**
     * The user's most recent distinct items whose categories weight the next-category distribution at validation:
     * the pipeline's default {@code interests.seen.size} (its seen items are what it weights them with).
     */
    public static final int CATEGORY_HISTORY_ITEMS = Evaluator.SEEN_ITEMS;

    private CooccurrencePriors() {
    }

    /**
     * A production round's prior and how its ranking weights were chosen.
     *
     * @param prior          the prior with the chosen blend
     * @param ranking        how the blend and the category and brand affinities were chosen
     *                       ({@link RankingWeights#choose})
     * @param itemBrand      each catalogue row's brand number for the brand affinity; null without brands
     * @param validationSteps validation steps ranked per weight
     * @param eligibleSteps  validation steps with a next item the catalogue knows (sampled down to at most
     *                       {@link #MAX_VALIDATION_STEPS})
     * @param categoryBlend  the category-history weight chosen ({@link LstmModel#nextCategories}; 0: the head alone)
     * @param categoryTrials every category-history weight's validation HR@1 and HR@3 over the sampled steps whose
     *                       next item has a category, in {@link #CATEGORY_BLENDS} order
     */
    public record Selection(ItemCooccurrence prior, RankingWeights.Search ranking, int[] itemBrand,
            long validationSteps, long eligibleSteps, float categoryBlend, List<BlendTrial> categoryTrials) {

        public Selection {
            categoryTrials = List.copyOf(categoryTrials);
        }

        /** The served ranking's validation result: the chosen blend with the chosen affinities. */
        public BlendTrial served() {
            return ranking.served();
        }

        /** The chosen blend weight. */
        public float blend() {
            return prior.blend();
        }

        /** Every blend's validation HR@10 and NDCG@10 without affinities, in {@link #blends()} order. */
        public List<BlendTrial> trials() {
            return ranking.first(RankingWeights.Weight.BLEND).orElseThrow().trials();
        }

        /** The best blend without affinities (the first step of the search) and its validation result. */
        public BlendTrial chosen() {
            return ranking.first(RankingWeights.Weight.BLEND).orElseThrow().best();
        }

        /** The chosen category-affinity weight (0: none). */
        public float affinity() {
            return ranking.chosen().affinity();
        }

        /**
         * Every category-affinity weight's validation HR@10 and NDCG@10 at the first step's blend, in
         * {@link #AFFINITIES} order.
         */
        public List<BlendTrial> affinityTrials() {
            return ranking.first(RankingWeights.Weight.CATEGORY_AFFINITY).orElseThrow().trials();
        }

        /** The chosen brand-affinity weight (0: none, or no brands). */
        public float brand() {
            return ranking.chosen().brand();
        }

        /** The served bundle's ranking: {@code bundle} with the prior, the category and the brand affinity. */
        public ModelBundle applyTo(ModelBundle bundle) {
            return ranking.chosen().applyTo(bundle, prior, itemBrand);
        }

        /** The chosen category-history weight's validation result. */
        public BlendTrial chosenCategory() {
            return categoryTrials.stream().filter(t -> t.blend() == categoryBlend).findFirst().orElseThrow();
        }
    }

    /** The category-affinity weights tried, none (0) first. */
    public static float[] affinities() {
        return AFFINITIES.clone();
    }

    /** The category-history weights tried, the head alone (0) first. */
    public static float[] categoryBlends() {
        return CATEGORY_BLENDS.clone();
    }

    /** The blend weights tried, the head alone (0) first. */
    public static float[] blends() {
        return BLENDS.clone();
    }

    /**
     * Counts the followers in {@code rowSequences} (catalogue rows of {@code items} rows; row 0, an item the
     * catalogue does not know or an event without one, keeps its position but pairs with nothing, exactly as it
     * takes a place among the recent items at serving time without voting) and returns the prior with blend 0.
     */
    public static ItemCooccurrence fit(List<int[]> rowSequences, int items) {
        List<int[]> indices = new ArrayList<>(rowSequences.size());
        for (int[] rows : rowSequences) {
            int[] sequence = new int[rows.length];
            for (int p = 0; p < rows.length; p++) {
                if (rows[p] < 0 || rows[p] >= items) {
                    throw new IllegalArgumentException("row " + rows[p] + " outside the catalogue's " + items
                            + " rows");
                }
                sequence[p] = rows[p] == 0 ? FollowerCounts.GAP : rows[p] - 1;
            }
            indices.add(sequence);
        }
        return fitIndices(indices, items - 1);
    }

    /** {@link #fit} over item indices {@code 0..vocabulary-1} (row = index + 1), blend 0. */
    static ItemCooccurrence fitIndices(List<int[]> sequences, int vocabulary) {
        FollowerCounts weights = weights(sequences, vocabulary, WINDOW, SIMILARITY);
        return weights.toPrior(neighboursFitting(weights), ItemCooccurrence.MAX_RECENT_ITEMS, DECAY, 0f);
    }

    /**
     * The served family's neighbour weights: followers within {@code window} positions weighing 1/distance, plus
     * {@code similarity} times the items' cosine similarity within {@value #SIMILARITY_REACH} positions (none at 0).
     * The served prior is this at {@value #WINDOW} and {@value #SIMILARITY}; {@link CooccurrenceRanker#weighted}
     * searches the family.
     */
    static FollowerCounts weights(List<int[]> sequences, int vocabulary, int window, double similarity) {
        FollowerCounts byDistance = FollowerCounts.byDistance(sequences, vocabulary, window);
        return similarity == 0 ? byDistance
                : byDistance.plus(FollowerCounts.together(sequences, vocabulary, SIMILARITY_REACH), similarity);
    }

    /** How the served table weighs its neighbours, for reports. */
    public static String describeWeights() {
        return String.format(Locale.ROOT, "followers within %d positions weighing 1/distance, plus %s × the items'"
                + " cosine similarity over pairs a user had within %d positions", WINDOW, SIMILARITY,
                SIMILARITY_REACH);
    }

    /**
     * The most neighbours per item, at most {@value #NEIGHBOURS} and at least 1, whose table fits
     * {@link ItemCooccurrence#MAX_ENTRIES}, so that the bundle fits one model-weights message.
     */
    static int neighboursFitting(FollowerCounts weights) {
        int fits = 1;
        int tooMany = NEIGHBOURS + 1;
        while (tooMany - fits > 1) {
            int middle = (fits + tooMany) >>> 1;
            if (weights.entriesKeeping(middle) <= ItemCooccurrence.MAX_ENTRIES) {
                fits = middle;
            } else {
                tooMany = middle;
            }
        }
        return fits;
    }

    /**
     * The prior of a production round: fitted on the TRAIN period's item rows of every user ({@link #trainingRows}),
     * its blend chosen on the VALIDATION period. A validation step counts when its next event (the next-action
     * label's) is known and has an item the catalogue knows; each is ranked as the pipeline ranks it after the step:
     * the user's state run from their first event, {@link LstmModel#nextItems} with the user's last
     * {@link ItemCooccurrence#MAX_RECENT_ITEMS} item rows voting ({@link Evaluator#recentItemRows}) and, as the
     * evaluation's {@code hr_at_10}, the history kept in (repeat consumption is common in event streams).
     *
     * @param bundle    the trained interest bundle (any prior it has is replaced)
     * @param itemBrand each catalogue row's brand number ({@link RankingWeights#itemBrands}), or null without brands
     */
    public static Selection select(TrainingData data, ModelBundle bundle, int[] itemBrand) {
        LstmModel model = ModelBundles.toModel(bundle);
        Catalogue catalogue = model.catalogue();
        ItemCooccurrence prior = fit(trainingRows(data, catalogue), catalogue.items());

        List<UserSequence> sequences = data.sequences();
        long eligible = 0;
        for (UserSequence sequence : sequences) {
            for (int i = 0; i < sequence.length(); i++) {
                eligible += validationTarget(sequence, i, catalogue) > 0 ? 1 : 0;
            }
        }
        long stride = Math.max(1, (eligible + MAX_VALIDATION_STEPS - 1) / MAX_VALIDATION_STEPS);
        List<float[]> states = new ArrayList<>();
        List<int[]> recents = new ArrayList<>();
        List<int[]> seen = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        FeatureSpec spec = model.featureSpec();
        float[] x = new float[model.inputSize()];
        float[] h = new float[model.hiddenSize()];
        float[] c = new float[model.hiddenSize()];
        long n = 0;
        for (UserSequence sequence : sequences) {
            Arrays.fill(h, 0f);
            Arrays.fill(c, 0f);
            int stepped = -1;
            for (int i = 0; i < sequence.length(); i++) {
                int target = validationTarget(sequence, i, catalogue);
                if (target == 0 || n++ % stride != 0) {
                    continue;
                }
                while (stepped < i) { // a user's events after their last sampled step are never run
                    stepped++;
                    spec.normalise(sequence.raw(stepped), x);
                    model.step(x, catalogue.itemRow(sequence.itemId(stepped)),
                            catalogue.categoryRow(sequence.category(stepped)), h, c);
                }
                int[] recent = new int[ItemCooccurrence.MAX_RECENT_ITEMS];
                int count = Evaluator.recentItemRows(catalogue, sequence, i, recent);
                states.add(h.clone());
                recents.add(Arrays.copyOf(recent, count));
                seen.add(seenRows(catalogue, sequence, i));
                targets.add(target);
            }
        }

        int[] rows = new int[CUTOFF];
        float[] scores = new float[CUTOFF];
        RankingWeights.Search ranking = RankingWeights.choose(weights -> {
            LstmModel ranked = ModelBundles.toModel(weights.applyTo(bundle, prior, itemBrand));
            RankingMetrics metrics = new RankingMetrics(CUTOFF);
            for (int k = 0; k < states.size(); k++) {
                int[] recent = recents.get(k);
                int[] history = seen.get(k);
                int found = ranked.nextItems(states.get(k), recent, recent.length, history, history.length, CUTOFF,
                        null, 0, rows, scores);
                NextItemServing.add(metrics, Arrays.copyOf(rows, found), targets.get(k));
            }
            return metrics;
        }, itemBrand != null);
        List<BlendTrial> categoryTrials = new ArrayList<>(CATEGORY_BLENDS.length);
        BlendTrial bestCategory = null;
        Scores heads = Scores.forModel(model);
        float[] distribution = new float[catalogue.categories()];
        for (float blend : CATEGORY_BLENDS) {
            LstmModel weighted = ModelBundles.toModel(ModelBundles.withCategoryHistory(bundle, blend));
            RankingMetrics metrics = new RankingMetrics(1, 3);
            for (int k = 0; k < states.size(); k++) {
                int category = catalogue.itemCategory(targets.get(k));
                if (category == 0) {
                    continue;
                }
                weighted.heads(states.get(k), heads);
                weighted.nextCategories(heads.nextCategory, seen.get(k), seen.get(k).length, distribution);
                NextItemServing.add(metrics, NextItemServing.topRows(distribution, 3), category);
            }
            BlendTrial trial = new BlendTrial(blend, metrics);
            categoryTrials.add(trial);
            if (bestCategory == null || metrics.hitRate(3) > bestCategory.validation().hitRate(3)) {
                bestCategory = trial;
            }
        }
        return new Selection(prior.withBlend(ranking.chosen().blend()), ranking, itemBrand, states.size(), eligible,
                bestCategory.blend(), categoryTrials);
    }

    /**
     * The rows of the user's distinct known items up to and including step {@code i}, oldest first, at most the
     * {@value #CATEGORY_HISTORY_ITEMS} most recent: what the pipeline's seen items hold after the step (a repeated
     * item moves to the most recent place).
     */
    static int[] seenRows(Catalogue catalogue, UserSequence sequence, int i) {
        int[] all = NextItemServing.distinct(IntStream.rangeClosed(0, i)
                .map(step -> catalogue.itemRow(sequence.itemId(step))).filter(row -> row > 0).toArray());
        return Arrays.copyOfRange(all, Math.max(0, all.length - CATEGORY_HISTORY_ITEMS), all.length);
    }

    /**
     * Per user, the catalogue rows of the items of their TRAIN-period events in event-time order, 0 for an event
     * whose item the catalogue does not know or that has none. Those keep their position rather than being skipped
     * (which would pair items further apart than the window) or splitting the sequence (which would lose the pairs
     * around them): the pipeline's re-warm ring keeps them too, so at serving time they take a place among the recent
     * items and push older items' votes back.
     */
    static List<int[]> trainingRows(TrainingData data, Catalogue catalogue) {
        List<int[]> rows = new ArrayList<>(data.sequences().size());
        for (UserSequence sequence : data.sequences()) {
            int length = 0;
            while (length < sequence.length() && sequence.period(length) == Period.TRAIN) {
                length++; // periods follow event time, so the training steps are a prefix
            }
            if (length < 2) {
                continue;
            }
            int[] user = new int[length];
            for (int i = 0; i < length; i++) {
                user[i] = catalogue.itemRow(sequence.itemId(i));
            }
            rows.add(user);
        }
        return rows;
    }

    /** The next item's row if step i is a validation step whose next event is known and has a known item, else 0. */
    private static int validationTarget(UserSequence sequence, int i, Catalogue catalogue) {
        if (sequence.period(i) != Period.VALIDATION || sequence.nextAction(i) < 0) {
            return 0;
        }
        return catalogue.itemRow(sequence.itemId(i + 1));
    }
}

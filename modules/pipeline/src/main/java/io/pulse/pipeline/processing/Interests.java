package io.pulse.pipeline.processing;

import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.ItemScore;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.model.Catalogue;
import io.pulse.model.LstmModel;
import io.pulse.model.Scores;
import io.pulse.pipeline.state.InputRing;
import io.pulse.pipeline.state.SeenItems;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-event interest logic of a model with interest heads (feature spec version 2), kept apart from the
 * per-event path in {@link ScoreProcessor}: maps the event's item and category to catalogue rows (unknown, missing
 * or over-long ids to the out-of-vocabulary and unknown rows, counted, never rejected), and after the heads adds to
 * the {@link Prediction} the top next categories, the top next items without the user's seen items, and the
 * interest shift: the Jensen–Shannon divergence between the next-category distribution and the user's
 * exponentially averaged profile, which it then updates. One instance per processor (not thread-safe).
 *
 * <p>Recommendations rank every catalogue item by the next-item head's logit plus, when the bundle carries one, the
 * {@link io.pulse.model.ItemCooccurrence} prior of the user's recent items (from the re-warm ring, newest first)
 * and the user's category affinity (the categories of their seen items, when the bundle gives that a weight).
 * The next categories are the head's distribution weighted by the categories of the user's remembered items
 * ({@link LstmModel#nextCategories}, when the bundle gives that a weight); the interest shift compares the head's own
 * distribution with the profile. No separate popularity back-fill is needed: the head scores every item (a full softmax whose bias learnt each
 * item's popularity), so the list is short only when the catalogue has fewer than K unseen items.
 */
final class Interests {

    private final InterestSettings settings;
    private final Telemetry telemetry;
    private int itemRow;
    private int categoryRow;
    private int[] excluded = new int[SeenItems.MAX_CAPACITY];
    private final int[] recent = new int[InputRing.CAPACITY];
    private float[] categories = new float[0];
    private int[] rows = new int[0];
    private float[] itemScores = new float[0];

    Interests(InterestSettings settings, Telemetry telemetry) {
        this.settings = settings;
        this.telemetry = telemetry;
    }

    /**
     * Advances the user's state by one step of {@code model} for {@code event} and remembers the raw input (with the
     * event's item and category rows for a model with interest heads) in the re-warm ring.
     *
     * @param raw   the encoded event
     * @param input {@code raw} normalised
     */
    void step(LstmModel model, UserEvent event, float[] raw, float[] input, UserState state) {
        if (model.hasInterests()) {
            adoptCatalogue(model, state);
            lookUp(model.catalogue(), event);
            model.step(input, itemRow, categoryRow, state.hidden(), state.cell());
            state.recentInputs().add(raw, itemRow, categoryRow);
        } else {
            model.step(input, state.hidden(), state.cell());
            state.recentInputs().add(raw);
        }
    }

    /**
     * Makes the user's interest state (seen items, category profile, the ring's rows) belong to {@code model}'s
     * catalogue: rows from another catalogue are forgotten rather than read as this one's items (a retrained model's
     * catalogue may number items differently); rows from the same catalogue survive a model change.
     */
    static void adoptCatalogue(LstmModel model, UserState state) {
        if (model.hasInterests()) {
            state.adoptCatalogue(model.catalogue().fingerprint());
        }
    }

    /**
     * Replays entry {@code age} of the user's re-warm ring ({@code normalised}: its input, normalised) through
     * {@code model}. The caller has {@link #adoptCatalogue adopted} the model's catalogue, so the rows are this
     * catalogue's (out-of-range rows, which cannot occur then, would read as unknown).
     */
    static void replay(LstmModel model, float[] normalised, UserState state, int age) {
        if (model.hasInterests()) {
            Catalogue catalogue = model.catalogue();
            int item = state.recentInputs().itemRow(age);
            int category = state.recentInputs().categoryRow(age);
            model.step(normalised, item < catalogue.items() ? item : 0, category < catalogue.categories() ? category : 0,
                    state.hidden(), state.cell());
        } else {
            model.step(normalised, state.hidden(), state.cell());
        }
    }

    /** Looks the event's item and category up in {@code catalogue}. */
    private void lookUp(Catalogue catalogue, UserEvent event) {
        itemRow = catalogue.itemRow(event.getItemId());
        categoryRow = catalogue.categoryRow(event.getCategory());
        if (itemRow == 0) {
            telemetry.itemOutOfVocabulary();
        }
        if (categoryRow == 0) {
            telemetry.categoryUnknown();
        }
    }

    /**
     * Adds the interest fields to {@code prediction} for the event last {@link #lookUp looked up}, and updates the
     * user's seen items and category profile. Call after {@link #step} and the heads.
     */
    void complete(Prediction prediction, LstmModel model, UserState state, Scores scores) {
        Catalogue catalogue = model.catalogue();
        if (itemRow != 0) {
            state.seenItems().add(itemRow, settings.seenSize());
        }
        float[] nextCategories = scores.nextCategory;
        if (model.categoryHistoryBlend() > 0) {
            if (categories.length != nextCategories.length) {
                categories = new float[nextCategories.length];
            }
            int recentCount = state.seenItems().copyTo(excluded);
            model.nextCategories(scores.nextCategory, excluded, recentCount, categories);
            nextCategories = categories;
        }
        prediction.setNextCategories(topCategories(catalogue, nextCategories, settings.categoriesK()));
        prediction.setRecommendations(recommendations(model, catalogue, state));
        float[] profile = state.categoryProfile();
        float[] current = scores.nextCategory;
        if (profile == null || profile.length != current.length) {
            profile = current.clone(); // the first view of the user (or a new category list): no shift yet
        }
        prediction.setInterestShift(jensenShannon(current, profile));
        float decay = (float) settings.profileDecay();
        for (int i = 0; i < profile.length; i++) {
            profile[i] = decay * profile[i] + (1f - decay) * current[i];
        }
        state.setCategoryProfile(profile);
    }

    /**
     * The top {@code recommendations.k} next items for the user's current hidden state, best first, without the
     * user's seen items when the seen filter is on: every prediction's recommendations (none when k is 0:
     * recommendations on request only), and (through {@link Recommender}, with k from the request) those of
     * {@code GET /users/{id}/recommendations}.
     */
    List<ItemScore> recommendations(LstmModel model, Catalogue catalogue, UserState state) {
        int k = settings.recommendationsK();
        if (k == 0) {
            return new ArrayList<>(0); // recommendations on request only: nothing to rank per event
        }
        if (rows.length < k) {
            rows = new int[k];
            itemScores = new float[k];
        }
        // the seen items are the history of the category and brand affinities, and the exclusions when the filter is on
        int seenCount = settings.seenFilter() || model.ranksWithHistory()
                ? state.seenItems().copyTo(excluded) : 0;
        int excludedCount = settings.seenFilter() ? seenCount : 0;
        InputRing ring = state.recentInputs();
        int recentCount = ring.size();
        for (int l = 0; l < recentCount; l++) {
            recent[l] = ring.itemRow(recentCount - 1 - l); // newest first
        }
        int found = model.nextItems(state.hidden(), recent, recentCount, excluded, seenCount, k, excluded,
                excludedCount, rows, itemScores);
        List<ItemScore> items = new ArrayList<>(found);
        for (int i = 0; i < found; i++) {
            items.add(new ItemScore(catalogue.itemIds().get(rows[i]), (double) itemScores[i]));
        }
        return items;
    }

    /** The {@code k} most probable categories (never the unknown row 0), most probable first, ties to the lower row. */
    static List<CategoryProbability> topCategories(Catalogue catalogue, float[] probabilities, int k) {
        List<CategoryProbability> top = new ArrayList<>(k);
        int last = -1; // each round takes the best row that ranks strictly below the one taken before it
        for (int n = 0; n < k; n++) {
            int best = -1;
            for (int i = 1; i < probabilities.length; i++) {
                if ((last < 0 || ranksBelow(probabilities, i, last))
                        && (best < 0 || ranksBelow(probabilities, best, i))) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            last = best;
            top.add(new CategoryProbability(catalogue.categoryIds().get(best), (double) probabilities[best]));
        }
        return top;
    }

    /** Whether row {@code a} ranks below row {@code b}: a lower probability, or an equal one and a higher row. */
    private static boolean ranksBelow(float[] probabilities, int a, int b) {
        return probabilities[a] < probabilities[b] || (probabilities[a] == probabilities[b] && a > b);
    }

    /** Jensen–Shannon divergence of two distributions in bits: 0 for equal ones, at most 1. */
    static double jensenShannon(float[] p, float[] q) {
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double m = 0.5 * (p[i] + q[i]);
            divergence += 0.5 * term(p[i], m) + 0.5 * term(q[i], m);
        }
        return Math.max(0.0, Math.min(1.0, divergence / Math.log(2)));
    }

    private static double term(double x, double m) {
        return x <= 0 ? 0 : x * Math.log(x / m);
    }
}

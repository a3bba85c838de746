package io.pulse.pipeline.processing;

import io.pulse.contracts.ItemScore;
import io.pulse.model.LstmModel;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.telemetry.Telemetry;
import java.util.List;

/**
 * Recommendations for a user's current state, computed on request ({@code GET /users/{id}/recommendations}) by the
 * very code that computes every prediction's ({@link Interests}): the next-item top-K of the stored hidden state,
 * with the user's seen items filtered as configured. A state produced by an earlier model is first re-warmed from its
 * recent inputs, as the next event would (on the caller's copy; nothing is saved). Thread-safe: every call works on
 * its own scratch space.
 */
public final class Recommender {

    /** The largest k a request may ask for. */
    public static final int MAX_K = 1000;
    /**
     * The k of a request that names none while {@code interests.recommendations.k} is 0 (no recommendations per
     * event): recommendations are then computed only on request, and an answer of nothing would help no one.
     */
    public static final int DEFAULT_K = 10;

    private final InterestSettings settings;
    private final Telemetry telemetry;

    /**
     * @param settings  the pipeline's interest settings (the seen filter applies on request as per event)
     * @param telemetry where out-of-vocabulary lookups would be counted (none happen on request)
     */
    public Recommender(InterestSettings settings, Telemetry telemetry) {
        this.settings = settings;
        this.telemetry = telemetry;
    }

    /** A recommender with the default interest settings, until the pipeline supplies its configured one. */
    public static Recommender withDefaults(Telemetry telemetry) {
        return new Recommender(InterestSettings.defaults(), telemetry);
    }

    /**
     * The default k of a request: the configured number of recommendations per prediction, or {@value #DEFAULT_K}
     * when that is 0 (recommendations on request only).
     */
    public int defaultK() {
        return settings.recommendationsK() > 0 ? settings.recommendationsK() : DEFAULT_K;
    }

    /**
     * The top {@code k} next items for {@code state} under {@code model}, best first.
     *
     * @param state a decoded copy of the user's stored state (re-warmed in place if another model produced it)
     * @throws IllegalArgumentException if the model has no interest heads, or {@code k} is outside 1..{@value MAX_K}
     */
    public List<ItemScore> recommend(LstmModel model, UserState state, int k) {
        if (!model.hasInterests()) {
            throw new IllegalArgumentException("model " + model.version() + " has no interest heads");
        }
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k must be in 1.." + MAX_K + ", was " + k);
        }
        UserState current = isCurrent(model, state) ? state : rewarmed(model, state);
        InterestSettings onRequest = new InterestSettings(settings.categoriesK(), k, settings.seenSize(),
                settings.seenFilter(), settings.profileDecay());
        return new Interests(onRequest, telemetry).recommendations(model, model.catalogue(), current);
    }

    /** Whether {@code model} produced {@code state} (otherwise {@link #recommend} re-warms it first). */
    public static boolean isCurrent(LstmModel model, UserState state) {
        return state.producedBy(model.version()) && state.hidden().length == model.hiddenSize();
    }

    private static UserState rewarmed(LstmModel model, UserState state) {
        UserState resized = state.hidden().length == model.hiddenSize() ? state
                : state.withHiddenSize(model.hiddenSize(), model.featureSpec());
        ScoreProcessor.rewarm(resized, model);
        return resized;
    }
}

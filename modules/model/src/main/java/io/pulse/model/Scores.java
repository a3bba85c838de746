package io.pulse.model;

/**
 * The heads' outputs for one step, reusable from event to event so scoring allocates nothing. Mutable, not
 * thread-safe: one instance per processing thread.
 */
public final class Scores {

    /** Next-action probabilities in {@link LstmModel#nextActionLabels()} order; they sum to 1. */
    public final float[] nextAction;
    /** Probability that the user shows no activity within the churn horizon the model was trained for. */
    public float churn;
    /** Probability that the event is fraudulent. */
    public float fraud;
    /**
     * Next-category probabilities by catalogue category row (row 0: unknown) for a version-2 model; empty for
     * version 1.
     */
    public final float[] nextCategory;

    private Scores(int nextActions, int categories) {
        this.nextAction = new float[nextActions];
        this.nextCategory = new float[categories];
    }

    /** Scores sized for {@code model}'s heads. */
    public static Scores forModel(LstmModel model) {
        return new Scores(model.nextActionLabels().size(), model.categoryCount());
    }

    /** Index of the most probable next action. */
    public int mostLikelyNextAction() {
        int best = 0;
        for (int i = 1; i < nextAction.length; i++) {
            if (nextAction[i] > nextAction[best]) {
                best = i;
            }
        }
        return best;
    }
}

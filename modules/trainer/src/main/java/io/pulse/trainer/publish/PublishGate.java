package io.pulse.trainer.publish;

import io.pulse.trainer.eval.Evaluation;
import java.util.Locale;

/**
 * Decides whether a new model replaces the current one. The rule: the new model is published if there is no current
 * model, if the current one is incompatible (it cannot run on this build's feature encoding or shapes, or predicts
 * churn for another horizon), or if its <b>mean test log-loss over the heads that have labels</b> (next action, churn,
 * and fraud when the data has fraud labels) is strictly lower than the current model's on the same held-out steps,
 * both run by the plain-Java kernel over each user's whole history. A tie keeps the current model. With interest heads
 * (feature spec version 2) their test log-losses (next category, next item) join the mean; a new model with them
 * replaces a current one without them.
 */
public final class PublishGate {

    /** Scorer name of the new model in the evaluation. */
    public static final String CANDIDATE = "model";
    /** Scorer name of the current model in the evaluation. */
    public static final String CURRENT = "current";

    private PublishGate() {
    }

    /**
     * @param test an evaluation of the test period holding {@value #CANDIDATE} and, when {@code current} is
     *             comparable, {@value #CURRENT}
     */
    public static Verdict decide(Evaluation test, CurrentModel current) {
        double candidate = test.meanLogLoss(CANDIDATE);
        if (!current.exists()) {
            return new Verdict(true, "no current model (" + current.origin() + "): the new model is the first",
                    candidate, Double.NaN, null);
        }
        if (!current.comparable()) {
            return new Verdict(true, "current model " + current.version() + " is incompatible ("
                    + current.incompatibility() + "), so the new model replaces it", candidate, Double.NaN,
                    current.version());
        }
        if (test.lacksInterestHeads(CURRENT) && !test.lacksInterestHeads(CANDIDATE)) {
            return new Verdict(true, "current model " + current.version() + " has no next-category and next-item"
                    + " heads, which the new model adds", candidate, test.meanLogLoss(CURRENT), current.version());
        }
        double incumbent = test.meanLogLoss(CURRENT);
        if (Double.isNaN(candidate)) {
            return new Verdict(false, "the test period has no labelled steps: nothing to compare on", candidate,
                    incumbent, current.version());
        }
        boolean better = candidate < incumbent;
        String comparison = String.format(Locale.ROOT, "mean test log-loss %.5f vs current %s's %.5f", candidate,
                current.version(), incumbent);
        return new Verdict(better, better ? "the new model beats the current one: " + comparison
                : "the new model does not beat the current one: " + comparison, candidate, incumbent,
                current.version());
    }
}

package io.pulse.trainer.eval;

import io.pulse.trainer.data.Period;

/**
 * Every head's metrics on one period. {@code fraud} is null when the history has no fraud labels.
 */
public record Evaluation(Period period, HeadEvaluation nextAction, HeadEvaluation churn, HeadEvaluation fraud) {

    /**
     * The publishing criterion: the mean of a scorer's log-loss over the heads that have labelled steps in this
     * period; NaN if the scorer has no log-loss on some such head or no head has labels.
     */
    public double meanLogLoss(String scorer) {
        double sum = 0;
        int heads = 0;
        for (HeadEvaluation head : new HeadEvaluation[] {nextAction, churn, fraud}) {
            if (head == null || head.labelled() == 0) {
                continue;
            }
            double loss = head.metric(scorer, Evaluator.LOG_LOSS);
            if (Double.isNaN(loss)) {
                return Double.NaN;
            }
            sum += loss;
            heads++;
        }
        return heads == 0 ? Double.NaN : sum / heads;
    }
}

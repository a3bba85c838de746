package io.pulse.trainer.eval;

import io.pulse.trainer.data.Period;

import java.util.ArrayList;
import java.util.List;

/**
 * Every head's metrics on one period. {@code fraud} is null when the history has no fraud labels;
 * {@code nextCategory} and {@code nextItem} are null unless the evaluated model has interest heads (feature spec
 * version 2).
 */
public record Evaluation(Period period, HeadEvaluation nextAction, HeadEvaluation churn, HeadEvaluation fraud,
        HeadEvaluation nextCategory, HeadEvaluation nextItem) {

    /** An evaluation without interest heads. */
    public Evaluation(Period period, HeadEvaluation nextAction, HeadEvaluation churn, HeadEvaluation fraud) {
        this(period, nextAction, churn, fraud, null, null);
    }

    /** Every head that was evaluated, in the bundle's head order (null heads left out). */
    public List<HeadEvaluation> heads() {
        List<HeadEvaluation> heads = new ArrayList<>();
        for (HeadEvaluation head : new HeadEvaluation[] {nextAction, churn, fraud, nextCategory, nextItem}) {
            if (head != null) {
                heads.add(head);
            }
        }
        return heads;
    }

    /** Whether the interest heads have labelled steps but {@code scorer} has no log-loss on them. */
    public boolean lacksInterestHeads(String scorer) {
        for (HeadEvaluation head : new HeadEvaluation[] {nextCategory, nextItem}) {
            if (head != null && head.labelled() > 0 && Double.isNaN(head.metric(scorer, Evaluator.LOG_LOSS))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The publishing criterion: the mean of a scorer's log-loss over the heads that have labelled steps in this
     * period; NaN if the scorer has no log-loss on some such head or no head has labels.
     */
    public double meanLogLoss(String scorer) {
        double sum = 0;
        int heads = 0;
        for (HeadEvaluation head : heads()) {
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

package io.pulse.trainer.baseline;

import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.eval.BinaryPredictor;
import io.pulse.trainer.eval.NextActionPredictor;
import java.util.ArrayList;
import java.util.List;

/**
 * Every baseline, fitted on the training period only: majority and first-order Markov for next action, recency and
 * RFM logistic regression for churn, a windowed-feature logistic regression for fraud (when there are fraud labels).
 */
public record Baselines(List<NextActionPredictor> nextAction, List<BinaryPredictor> churn,
        List<BinaryPredictor> fraud) {

    public Baselines {
        nextAction = List.copyOf(nextAction);
        churn = List.copyOf(churn);
        fraud = List.copyOf(fraud);
    }

    /** Fits the baselines whose head has labels in the training period. */
    public static Baselines fit(TrainingData data) {
        TrainingData.PeriodSummary train = data.summary(Period.TRAIN);
        List<NextActionPredictor> next = new ArrayList<>();
        if (train.nextActionLabels() > 0) {
            next.add(MajorityNextAction.fit(data));
            next.add(MarkovNextAction.fit(data));
        }
        List<BinaryPredictor> churn = new ArrayList<>();
        if (train.churnLabels() > 0) {
            churn.add(RecencyChurn.fit(data));
            churn.add(WindowedLogistic.rfmChurn(data));
        }
        List<BinaryPredictor> fraud = new ArrayList<>();
        if (data.fraudLabelled() && train.fraudLabels() > 0) {
            fraud.add(WindowedLogistic.windowedFraud(data));
        }
        return new Baselines(next, churn, fraud);
    }
}

package io.pulse.pipeline.processing;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.UserInterests;
import io.pulse.model.LstmModel;
import io.pulse.model.Scores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds the {@link Prediction} written for a scored event, from the model's heads and plain inputs, and the
 * {@link UserInterests} record that repeats its interest fields.
 */
final class Predictions {

    private Predictions() {
    }

    /**
     * @param event              the scored event
     * @param model              the model that scored it (name, version, next-action labels)
     * @param scores             the heads' output for the event
     * @param eventsSeen         the user's events so far, this one included
     * @param predictedAtMillis  when the prediction is written
     * @param churnHorizonMillis the horizon the churn probability is about
     * @return the prediction, next actions most probable first
     */
    static Prediction of(UserEvent event, LstmModel model, Scores scores, int eventsSeen, long predictedAtMillis,
            long churnHorizonMillis) {
        List<String> labels = model.nextActionLabels();
        List<ActionProbability> next = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            next.add(new ActionProbability(labels.get(i), (double) scores.nextAction[i]));
        }
        next.sort(Comparator.comparingDouble(ActionProbability::getProbability).reversed());
        return Prediction.newBuilder()
                .setEventId(event.getEventId())
                .setUserId(event.getUserId())
                .setEventTime(event.getEventTime())
                .setPredictedAt(Instant.ofEpochMilli(predictedAtMillis))
                .setModelName(model.name())
                .setModelVersion(model.version())
                .setNextAction(next)
                .setChurnProbability(scores.churn)
                .setChurnHorizonMillis(churnHorizonMillis)
                .setFraudScore(scores.fraud)
                .setEventsSeen(eventsSeen)
                .build();
    }

    /**
     * The user's latest interests as {@code prediction} (of a model with interest heads) states them. The lists are
     * the prediction's own (never modified after it is built), so this costs one small record per event.
     */
    static UserInterests interestsOf(Prediction prediction) {
        return new UserInterests(prediction.getUserId(), prediction.getPredictedAt(), prediction.getModelVersion(),
                prediction.getNextCategories(), prediction.getRecommendations(), prediction.getInterestShift());
    }
}

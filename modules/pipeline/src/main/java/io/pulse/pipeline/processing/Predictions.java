package io.pulse.pipeline.processing;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.UserInterests;
import io.pulse.model.LstmModel;
import io.pulse.model.Scores;
import java.time.Instant;
import java.util.ArrayList;
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
        float[] probabilities = scores.nextAction;
        int[] order = mostProbableFirst(probabilities, labels.size());
        List<ActionProbability> next = new ArrayList<>(order.length);
        for (int i : order) {
            next.add(new ActionProbability(labels.get(i), (double) probabilities[i]));
        }
        // the all-arguments constructor: a builder deep-copies the schema's defaults of the fields left unset on every
        // call (and needs the contract classes trusted by Avro to do so); the interest fields start empty and
        // Interests.complete() replaces them for a model with interest heads
        return new Prediction(event.getEventId(), event.getUserId(), event.getEventTime(),
                Instant.ofEpochMilli(predictedAtMillis), model.name(), model.version(), next, (double) scores.churn,
                churnHorizonMillis, (double) scores.fraud, (long) eventsSeen, new ArrayList<>(0), new ArrayList<>(0),
                null);
    }

    /**
     * The indices {@code 0..count-1} ordered by {@code probabilities}, largest first; equal probabilities keep their
     * index order, in {@link Float#compare}'s order (as the earlier sort of the records by
     * {@link Double#compare}): a stable insertion sort over a handful of actions, without boxing.
     */
    static int[] mostProbableFirst(float[] probabilities, int count) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            int at = i;
            while (at > 0 && Float.compare(probabilities[order[at - 1]], probabilities[i]) < 0) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = i;
        }
        return order;
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

package io.pulse.pipeline.alerts;

import io.pulse.contracts.AlertReason;
import io.pulse.model.LstmModel;
import io.pulse.model.Scores;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Says which inputs moved a score, by occlusion: the step that produced the score is repeated from the same previous
 * state with one group of inputs set to its training mean (0 after normalisation), and the change in the score is
 * that group's contribution. Exact for this step, model-agnostic, and cheap enough because it runs only when an alert
 * is raised (one extra step per group, about twenty).
 */
public final class Explainer {

    private final Map<String, int[]> groups;
    private final List<String> names;

    public Explainer(List<String> featureNames) {
        this.names = featureNames;
        this.groups = groupsOf(featureNames);
    }

    /**
     * @param model     the model that scored the event
     * @param raw       the event's raw input vector
     * @param hidden    the hidden state BEFORE the step
     * @param cell      the cell state BEFORE the step
     * @param score     which score to explain, e.g. {@code s -> s.fraud}
     * @param scored    the score the full input produced
     * @param top       how many reasons to return
     * @return the strongest contributors towards the score, largest first
     */
    public List<AlertReason> explain(LstmModel model, float[] raw, float[] hidden, float[] cell,
            ToDoubleFunction<Scores> score, double scored, int top) {
        int n = raw.length;
        float[] normalised = new float[n];
        model.featureSpec().normalise(raw, normalised);
        float[] h = new float[hidden.length];
        float[] c = new float[cell.length];
        Scores scores = Scores.forModel(model);
        List<AlertReason> reasons = new ArrayList<>();
        for (Map.Entry<String, int[]> group : groups.entrySet()) {
            float[] occluded = normalised.clone();
            for (int index : group.getValue()) {
                occluded[index] = 0f;
            }
            System.arraycopy(hidden, 0, h, 0, h.length);
            System.arraycopy(cell, 0, c, 0, c.length);
            model.step(occluded, h, c);
            model.heads(occluded, h, scores);
            double contribution = scored - score.applyAsDouble(scores);
            reasons.add(AlertReason.newBuilder()
                    .setFeature(group.getKey())
                    .setValue(raw[group.getValue()[0]])
                    .setContribution(contribution)
                    .build());
        }
        reasons.sort(Comparator.comparingDouble(AlertReason::getContribution).reversed());
        return List.copyOf(reasons.subList(0, Math.min(top, reasons.size())));
    }

    /** Feature groups: one-hot blocks and value/flag pairs move together; windows are explained one by one. */
    private static Map<String, int[]> groupsOf(List<String> names) {
        Map<String, List<Integer>> grouped = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            grouped.computeIfAbsent(groupName(names.get(i)), k -> new ArrayList<>()).add(i);
        }
        Map<String, int[]> result = new LinkedHashMap<>();
        grouped.forEach((name, indexes) -> result.put(name, indexes.stream().mapToInt(Integer::intValue).toArray()));
        return result;
    }

    private static String groupName(String feature) {
        if (feature.startsWith("type_")) {
            return "event_type";
        }
        if (feature.equals("has_amount") || feature.equals("log_amount")) {
            return "amount";
        }
        if (feature.equals("has_rating") || feature.equals("rating")) {
            return "rating";
        }
        if (feature.equals("log_gap") || feature.equals("first_event") || feature.equals("gap_z")) {
            return "time_since_last_event";
        }
        if (feature.startsWith("hour_")) {
            return "hour_of_day";
        }
        if (feature.startsWith("dow_")) {
            return "day_of_week";
        }
        return feature;
    }

    List<String> names() {
        return names;
    }
}

package io.pulse.trainer.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics of one head on one period, for every scorer (the model, other models, baselines, the simulator's truth),
 * all on exactly the same labelled steps.
 *
 * @param head      {@code next_action}, {@code churn} or {@code fraud}
 * @param labelled  labelled steps evaluated
 * @param positives positive labels (binary heads; 0 for next action)
 * @param metrics   scorer name to metric name to value, in insertion order
 * @param roc       ROC curve per scorer (binary heads with both classes)
 * @param pr        precision-recall curve per scorer (binary heads with positives)
 */
public record HeadEvaluation(String head, long labelled, long positives, Map<String, Map<String, Double>> metrics,
        Map<String, Curve> roc, Map<String, Curve> pr) {

    public HeadEvaluation {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        roc = Collections.unmodifiableMap(new LinkedHashMap<>(roc));
        pr = Collections.unmodifiableMap(new LinkedHashMap<>(pr));
    }

    /** A metric of a scorer, NaN if absent. */
    public double metric(String scorer, String metric) {
        Map<String, Double> values = metrics.get(scorer);
        Double value = values == null ? null : values.get(metric);
        return value == null ? Double.NaN : value;
    }
}

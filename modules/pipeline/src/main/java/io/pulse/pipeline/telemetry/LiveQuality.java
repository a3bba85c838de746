package io.pulse.pipeline.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rolling quality per (model version, head) of this instance's labelled predictions, exported as gauges
 * {@code pulse_live_auc}, {@code pulse_live_logloss} and {@code pulse_live_labels} with tags {@code model_version}
 * and {@code head}. Each instance sees the labels of its own partitions; Prometheus aggregates across instances.
 */
public final class LiveQuality {

    /** Heads with labels: fraud (per event) and churn (per event, known after the horizon). */
    public enum Head { FRAUD, CHURN }

    private final MeterRegistry registry;
    private final int window;
    private final Map<String, RollingQuality> byVersionAndHead = new ConcurrentHashMap<>();

    public LiveQuality(MeterRegistry registry, int window) {
        this.registry = registry;
        this.window = window;
    }

    public void record(String modelVersion, Head head, double score, boolean positive) {
        quality(modelVersion, head).record(score, positive);
    }

    public RollingQuality quality(String modelVersion, Head head) {
        return byVersionAndHead.computeIfAbsent(modelVersion + "/" + head, key -> {
            RollingQuality quality = new RollingQuality(window);
            String tagHead = head.name().toLowerCase(Locale.ROOT);
            Gauge.builder("pulse.live.auc", quality, RollingQuality::auc)
                    .tag("model_version", modelVersion).tag("head", tagHead)
                    .description("ROC AUC of the last labelled predictions").register(registry);
            Gauge.builder("pulse.live.logloss", quality, RollingQuality::logLoss)
                    .tag("model_version", modelVersion).tag("head", tagHead)
                    .description("Log-loss of the last labelled predictions").register(registry);
            Gauge.builder("pulse.live.labels", quality, q -> (double) q.total())
                    .tag("model_version", modelVersion).tag("head", tagHead)
                    .description("Labels joined with a prediction").register(registry);
            return quality;
        });
    }

    /** A snapshot for the dashboard: version/head → [labels, auc, logloss]. */
    public Map<String, double[]> snapshot() {
        Map<String, double[]> snapshot = new TreeMap<>();
        byVersionAndHead.forEach((key, q) -> snapshot.put(key, new double[] {q.total(), q.auc(), q.logLoss()}));
        return snapshot;
    }
}

package io.pulse.deployment;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulse.contracts.AlertKind;
import io.pulse.contracts.AlertTrigger;
import io.pulse.contracts.schema.Contracts;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.processing.ModelHolder;
import io.pulse.pipeline.telemetry.LiveQuality;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The names of the metrics a pipeline instance exports on {@code /metrics}, found the way {@code PulsePipeline}
 * wires them: Pulse's {@link PipelineMetrics} (with the lazily registered alert and live-quality meters touched once),
 * the JVM binders, and Kafka Streams' own metrics of the real topology, built and not started (no broker needed).
 */
final class ExportedMetrics {

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

    private ExportedMetrics() {
    }

    /** Every exported sample name with the label names it carries. */
    static Map<String, Set<String>> labelsByName(Path stateDir) {
        Contracts.trustGeneratedClasses();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PipelineMetrics metrics = new PipelineMetrics(registry);
        metrics.alertRaised(AlertKind.FRAUD, AlertTrigger.EVENT);
        metrics.alertRaised(AlertKind.CHURN, AlertTrigger.INACTIVITY);
        metrics.liveQuality().record("v1", LiveQuality.Head.FRAUD, 0.9, true);
        metrics.stepTook(2_000);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);

        PulseConfig config = PulseConfig.load(null, Map.of(), Map.of(
                PulseConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9",
                PulseConfig.SCHEMA_REGISTRY_URL, "mock://exported-metrics",
                PulseConfig.STATE_DIR, stateDir.toString(),
                PulseConfig.APPLICATION_ID, "exported-metrics"));
        ModelHolder models = PulseTopology.fallbackModel(config);
        KafkaStreams streams = new KafkaStreams(PulseTopology.build(config, models, metrics),
                config.streamsProperties());
        try (KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams)) {
            streamsMetrics.bindTo(registry);
            return parse(registry.scrape());
        } finally {
            streams.close(Duration.ofSeconds(10));
        }
    }

    /** Sample names of a Prometheus text exposition, each with the union of its samples' label names. */
    static Map<String, Set<String>> parse(String exposition) {
        Map<String, Set<String>> names = new TreeMap<>();
        exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            Set<String> labels = names.computeIfAbsent(line.substring(0, end), name -> new TreeSet<>());
            if (end < line.length() && line.charAt(end) == '{') {
                Matcher label = LABEL.matcher(line.substring(end + 1, line.lastIndexOf('}')));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        });
        return names;
    }
}

/**
 * What the pipeline tells people about itself, at the bottom of the package plan: the processors write through the
 * narrow {@link io.pulse.pipeline.telemetry.Telemetry} interface, and the HTTP layer reads from
 * {@link io.pulse.pipeline.telemetry.PipelineMetrics} (Micrometer counters and timers exported on {@code /metrics}),
 * its {@link io.pulse.pipeline.telemetry.LiveFeed} (the dashboard's in-memory view of recent activity) and its
 * {@link io.pulse.pipeline.telemetry.LiveQuality} (delayed ground truth joined with earlier predictions, summarised
 * per model version and head as rolling AUC and log-loss). Nothing here writes to Kafka or changes what the topology
 * outputs; this package imports no other pipeline package but the validation reasons it counts by.
 */
package io.pulse.pipeline.telemetry;

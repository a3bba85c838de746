/**
 * Live model quality: delayed ground truth from {@code user-labels} joined with the predictions Pulse made earlier,
 * summarised per model version and head as rolling AUC and log-loss metrics.
 */
package io.pulse.pipeline.quality;

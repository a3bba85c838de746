/**
 * When to alert and how to say why: thresholds with cooldowns and the inactivity score for users who went silent
 * ({@link io.pulse.pipeline.alerts.AlertSettings}), explanations that name the inputs or windows that moved a score
 * most ({@link io.pulse.pipeline.alerts.Explainer}), and the {@code Alert} values themselves, built from plain inputs
 * ({@link io.pulse.pipeline.alerts.AlertFactory}).
 */
package io.pulse.pipeline.alerts;

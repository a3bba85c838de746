/**
 * When to alert and how to say why: thresholds with cooldowns, the inactivity score for users who went silent, and
 * explanations that name the inputs or windows that moved a score most.
 */
package io.pulse.pipeline.alerts;

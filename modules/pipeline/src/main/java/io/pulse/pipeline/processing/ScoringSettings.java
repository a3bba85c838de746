package io.pulse.pipeline.processing;

import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.alerts.AlertSettings;
import java.time.Duration;

/**
 * What the scoring processor needs besides its stores.
 *
 * @param dedupRetention          how long an eventId is remembered
 * @param inactivityCheckInterval wall-clock interval of the inactivity punctuation
 * @param maxChecksPerPunctuation bound on the work of one punctuation
 * @param alerts                  alert thresholds, cooldowns and inactivity parameters
 * @param interests               what a model with interest heads adds to each prediction
 */
public record ScoringSettings(Duration dedupRetention, Duration inactivityCheckInterval,
        int maxChecksPerPunctuation, AlertSettings alerts, InterestSettings interests) {

    public static ScoringSettings from(PulseConfig config) {
        return new ScoringSettings(
                Duration.ofMillis(config.getLong(PulseConfig.DEDUP_RETENTION_MS)),
                Duration.ofMillis(config.getLong(PulseConfig.INACTIVITY_CHECK_INTERVAL_MS)),
                config.getInt(PulseConfig.INACTIVITY_MAX_CHECKS),
                AlertSettings.from(config),
                InterestSettings.from(config));
    }
}

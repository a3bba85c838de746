package io.pulse.pipeline.alerts;

import io.pulse.pipeline.PulseConfig;

/**
 * Thresholds, cooldowns and inactivity parameters, read once from the configuration.
 *
 * @param fraudThreshold    fraud score at which an event raises a fraud alert
 * @param fraudCooldownMillis fraud alerts for one user are at least this far apart
 * @param churnThreshold    churn probability (or inactivity score) at which a churn alert is raised
 * @param churnCooldownMillis churn alerts for one user are at least this far apart
 * @param churnHorizonMillis the horizon the churn head predicts over
 * @param reasons           how many reasons an alert lists
 * @param minSilenceMillis  earliest inactivity check after a user's last event
 * @param silenceFactor     first check after this many typical gaps
 * @param patience          how many typical gaps of extra silence raise the inactivity score by a factor e
 */
public record AlertSettings(double fraudThreshold, long fraudCooldownMillis, double churnThreshold,
        long churnCooldownMillis, long churnHorizonMillis, int reasons, long minSilenceMillis, double silenceFactor,
        double patience) {

    public static AlertSettings from(PulseConfig config) {
        return new AlertSettings(
                config.getDouble(PulseConfig.FRAUD_ALERT_THRESHOLD),
                config.getLong(PulseConfig.FRAUD_ALERT_COOLDOWN_MS),
                config.getDouble(PulseConfig.CHURN_ALERT_THRESHOLD),
                config.getLong(PulseConfig.CHURN_ALERT_COOLDOWN_MS),
                config.getLong(PulseConfig.CHURN_HORIZON_MS),
                config.getInt(PulseConfig.ALERT_REASONS),
                config.getLong(PulseConfig.INACTIVITY_MIN_SILENCE_MS),
                config.getDouble(PulseConfig.INACTIVITY_SILENCE_FACTOR),
                config.getDouble(PulseConfig.INACTIVITY_PATIENCE));
    }

    /** When a user last seen at {@code lastSeenMillis} with a typical gap should first be checked for silence. */
    public long firstInactivityCheck(long lastSeenMillis, double typicalGapMillis) {
        return lastSeenMillis + Math.max(minSilenceMillis, (long) (silenceFactor * typicalGapMillis));
    }

    /**
     * How alarming a silence is: the churn probability the model gave at the user's last event, pushed towards 1 as
     * the silence exceeds the user's typical gap: {@code 1 - (1 - p) * exp(-max(0, silence/gap - 1) / patience)}.
     * Equal to {@code p} while the user is within their rhythm, approaching 1 as the silence grows.
     */
    public double inactivityScore(double lastChurnProbability, long silenceMillis, double typicalGapMillis) {
        double gaps = silenceMillis / Math.max(1.0, typicalGapMillis);
        double excess = Math.max(0.0, gaps - 1.0);
        return 1.0 - (1.0 - lastChurnProbability) * Math.exp(-excess / patience);
    }

    /**
     * The silence after which a user is no longer checked: twice the churn horizon, or twenty of the user's typical
     * gaps for users with a slow rhythm. By then the inactivity score is within a few percent of 1, so a threshold
     * below that has fired; with a threshold of 1 this bounds the checks per silence.
     */
    public long giveUpAfterMillis(double typicalGapMillis) {
        return Math.max(2 * churnHorizonMillis, (long) (20 * typicalGapMillis));
    }

    /** True if a cooldown that started at {@code lastAlertMillis} (0 = never) has passed at {@code nowMillis}. */
    public static boolean cooledDown(long lastAlertMillis, long cooldownMillis, long nowMillis) {
        return lastAlertMillis == 0 || nowMillis - lastAlertMillis >= cooldownMillis;
    }
}

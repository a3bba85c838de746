package io.pulse.pipeline.alerts;

import io.pulse.model.BehaviourWindows;
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
 * @param silenceFactor     first check after this many of the user's usual longest gaps ({@link #rhythmMillis})
 * @param patience          how many such gaps of extra silence raise the inactivity score by a factor e
 * @param interestThreshold interest shift at which an event raises an interest-shift alert
 * @param interestCooldownMillis interest-shift alerts for one user are at least this far apart
 */
public record AlertSettings(double fraudThreshold, long fraudCooldownMillis, double churnThreshold,
        long churnCooldownMillis, long churnHorizonMillis, int reasons, long minSilenceMillis, double silenceFactor,
        double patience, double interestThreshold, long interestCooldownMillis) {

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
                config.getDouble(PulseConfig.INACTIVITY_PATIENCE),
                config.getDouble(PulseConfig.INTEREST_ALERT_THRESHOLD),
                config.getLong(PulseConfig.INTEREST_ALERT_COOLDOWN_MS));
    }

    /** A threshold of 1 switches fraud alerts off (scores saturate at 1.0 in floating point). */
    public boolean fraudAlertsEnabled() {
        return fraudThreshold < 1.0;
    }

    /** A threshold of 1 switches churn alerts off, event-driven and inactivity alike. */
    public boolean churnAlertsEnabled() {
        return churnThreshold < 1.0;
    }

    /** A threshold of 1 (the default) switches interest-shift alerts off (a divergence of 1 bit needs disjoint
     * distributions, which softmax heads never give). */
    public boolean interestAlertsEnabled() {
        return interestThreshold < 1.0;
    }

    /**
     * The user's rhythm for judging silence: the long end of their usual gaps between events, {@code exp(mean + 2 sd)}
     * of the log gaps. Gaps within a session are short and frequent, gaps between visits long and rare; the mean alone
     * would be dominated by the former, and every ordinary pause between two visits would look alarming. Capped at the
     * churn horizon: a user whose usual pauses are longer than that is, by the model's definition, churning anyway.
     */
    public double rhythmMillis(BehaviourWindows windows) {
        double rhythm = windows.typicalGapMillis();
        if (windows.hasGapStats()) {
            double seconds = Math.expm1(windows.meanLogGap() + 2 * windows.stdLogGap());
            rhythm = Math.max(rhythm, seconds * 1000.0);
        }
        return Math.min(rhythm, churnHorizonMillis);
    }

    /** When a user last seen at {@code lastSeenMillis} with the given rhythm should first be checked for silence. */
    public long firstInactivityCheck(long lastSeenMillis, double rhythmMillis) {
        return lastSeenMillis + Math.max(minSilenceMillis, (long) (silenceFactor * rhythmMillis));
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

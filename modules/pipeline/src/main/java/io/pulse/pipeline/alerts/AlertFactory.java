package io.pulse.pipeline.alerts;

import io.pulse.contracts.Alert;
import io.pulse.contracts.AlertKind;
import io.pulse.contracts.AlertReason;
import io.pulse.contracts.AlertTrigger;
import io.pulse.contracts.UserEvent;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Builds the {@link Alert}s Pulse writes from plain inputs: the id, score, threshold, human summary and reasons of a
 * fraud or churn alert raised by an event, and of a churn alert raised by a silence. Pure (no store, no clock, no
 * Kafka): the same inputs give the same alert, which is what makes a replay write the same alerts. Whether an alert
 * is due at all (thresholds, cooldowns) is decided by the caller with {@link AlertSettings}.
 */
public final class AlertFactory {

    private final AlertSettings settings;

    public AlertFactory(AlertSettings settings) {
        this.settings = settings;
    }

    /**
     * A score an event produced, with what an alert about it says.
     *
     * @param event          the scored event
     * @param score          the head's score for it
     * @param lastSeenMillis the user's last-seen time after the event ({@link Long#MIN_VALUE}: unknown)
     * @param modelVersion   the version of the model that scored it
     * @param reasons        the strongest contributors to the score (from the {@link Explainer}), largest first
     */
    public record EventScore(UserEvent event, double score, long lastSeenMillis, String modelVersion,
            List<AlertReason> reasons) {
    }

    /**
     * A silence judged alarming.
     *
     * @param userId         the silent user
     * @param score          the inactivity score ({@link AlertSettings#inactivityScore})
     * @param nowMillis      when it was judged, by the task's event clock
     * @param lastSeenMillis the user's last event time
     * @param rhythmMillis   the user's usual longest gap ({@link AlertSettings#rhythmMillis})
     * @param lastChurn      the churn probability after the user's last event
     * @param events30d      the user's events in the 30 days before the last one
     * @param modelVersion   the version of the model now scoring
     */
    public record Silence(String userId, double score, long nowMillis, long lastSeenMillis, double rhythmMillis,
            double lastChurn, double events30d, String modelVersion) {
    }

    /** The fraud alert for {@code scored} (its id: the event id with {@code :fraud}). */
    public Alert fraud(EventScore scored) {
        UserEvent event = scored.event();
        String amount = event.getAmount() == null ? "" : String.format(Locale.ROOT, " of %.2f", event.getAmount());
        return raisedBy(scored, AlertKind.FRAUD, settings.fraudThreshold())
                .setSummary(String.format(Locale.ROOT, "fraud score %.2f >= %.2f on %s%s; strongest inputs: %s",
                        scored.score(), settings.fraudThreshold(), event.getType(), amount,
                        featureList(scored.reasons())))
                .build();
    }

    /** The churn alert raised by an event for {@code scored} (its id: the event id with {@code :churn}). */
    public Alert churn(EventScore scored) {
        return raisedBy(scored, AlertKind.CHURN, settings.churnThreshold())
                .setSummary(String.format(Locale.ROOT, "churn probability rose to %.2f (threshold %.2f) after a %s"
                        + " event; strongest inputs: %s", scored.score(), settings.churnThreshold(),
                        scored.event().getType(), featureList(scored.reasons())))
                .build();
    }

    /**
     * The churn alert for an alarming silence (its id: the user id, {@code :inactivity:} and the last-seen time, so
     * one silence gives one alert id). Its reasons are the silence in usual gaps, the churn probability at the last
     * event and the recent event count, at most {@link AlertSettings#reasons()} of them.
     */
    public Alert inactivity(Silence silence) {
        long silent = silence.nowMillis() - silence.lastSeenMillis();
        double gaps = silent / Math.max(1.0, silence.rhythmMillis());
        List<AlertReason> reasons = List.of(
                reason("silence_in_usual_gaps", gaps, silence.score() - silence.lastChurn()),
                reason("churn_probability_at_last_event", silence.lastChurn(), silence.lastChurn()),
                reason("events_30d", silence.events30d(), 0.0));
        return Alert.newBuilder()
                .setAlertId(silence.userId() + ":inactivity:" + silence.lastSeenMillis())
                .setUserId(silence.userId())
                .setKind(AlertKind.CHURN)
                .setTrigger(AlertTrigger.INACTIVITY)
                .setScore(silence.score())
                .setThreshold(settings.churnThreshold())
                .setRaisedAt(Instant.ofEpochMilli(silence.nowMillis()))
                .setEventId(null)
                .setLastSeen(instantOrNull(silence.lastSeenMillis()))
                .setModelVersion(silence.modelVersion())
                .setSummary(String.format(Locale.ROOT, "silent for %s, %.1f times the user's usual longest gap of %s;"
                        + " churn score %.2f (threshold %.2f)", duration(silent), gaps,
                        duration((long) silence.rhythmMillis()), silence.score(), settings.churnThreshold()))
                .setReasons(reasons.subList(0, Math.min(settings.reasons(), reasons.size())))
                .build();
    }

    /** Everything but the summary of an alert raised by an event, at the event's time. */
    private static Alert.Builder raisedBy(EventScore scored, AlertKind kind, double threshold) {
        UserEvent event = scored.event();
        return Alert.newBuilder()
                .setAlertId(event.getEventId() + ":" + kind.name().toLowerCase(Locale.ROOT))
                .setUserId(event.getUserId())
                .setKind(kind)
                .setTrigger(AlertTrigger.EVENT)
                .setScore(scored.score())
                .setThreshold(threshold)
                .setRaisedAt(Instant.ofEpochMilli(event.getEventTime().toEpochMilli()))
                .setEventId(event.getEventId())
                .setLastSeen(instantOrNull(scored.lastSeenMillis()))
                .setModelVersion(scored.modelVersion())
                .setReasons(scored.reasons());
    }

    private static Instant instantOrNull(long millis) {
        return millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
    }

    private static AlertReason reason(String feature, double value, double contribution) {
        return AlertReason.newBuilder().setFeature(feature).setValue(value).setContribution(contribution).build();
    }

    private static String featureList(List<AlertReason> reasons) {
        return reasons.isEmpty() ? "-" : String.join(", ", reasons.stream().map(AlertReason::getFeature).toList());
    }

    private static String duration(long millis) {
        double hours = millis / 3_600_000.0;
        return hours >= 48 ? String.format(Locale.ROOT, "%.1f days", hours / 24)
                : hours >= 1 ? String.format(Locale.ROOT, "%.1f h", hours)
                : String.format(Locale.ROOT, "%d min", millis / 60_000);
    }
}

package io.pulse.pipeline.alerts;

import io.pulse.contracts.Alert;
import io.pulse.contracts.AlertKind;
import io.pulse.contracts.AlertReason;
import io.pulse.contracts.AlertTrigger;
import io.pulse.contracts.UserEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Builds the {@link Alert}s Pulse writes from plain inputs: the id, score, threshold, human summary and reasons of a
 * fraud, churn or interest-shift alert raised by an event, and of a churn alert raised by a silence. Pure (no store,
 * no clock, no Kafka): the same inputs give the same alert, which is what makes a replay write the same alerts. Whether an alert
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

    /**
     * An interest shift an event produced: the next-category distribution after the event against the user's
     * profile before it.
     *
     * @param scored     the event and its interest shift ({@link EventScore#reasons()} is not read: the reasons are
     *                   the categories that gained most)
     * @param categories category id by row of the model's catalogue (row 0, the unknown category, is never named)
     * @param current    the next-category distribution after the event, by category row
     * @param profile    the user's category profile before the event, by category row
     */
    public record InterestShift(EventScore scored, List<String> categories, float[] current, float[] profile) {
    }

    /**
     * The interest-shift alert for {@code shift} (its id: the event id with {@code :interest_shift}). Its summary
     * names the categories the user moved from (the profile's most probable) and to (the current distribution's);
     * its reasons are the categories whose probability grew most over the profile (feature {@code category:<id>},
     * value the current probability, contribution the growth), at most {@link AlertSettings#reasons()} of them.
     */
    public Alert interestShift(InterestShift shift) {
        EventScore scored = shift.scored();
        String from = shift.categories().get(topRow(shift.profile()));
        String to = shift.categories().get(topRow(shift.current()));
        String moved = from.equals(to)
                ? String.format(Locale.ROOT, "interests moved away from the user's profile (top category still %s)",
                        to)
                : String.format(Locale.ROOT, "interests moved from %s to %s", from, to);
        return raisedBy(scored, AlertKind.INTEREST_SHIFT, settings.interestThreshold())
                .setSummary(String.format(Locale.ROOT, "%s: interest shift %.2f >= %.2f after a %s event%s", moved,
                        scored.score(), settings.interestThreshold(), scored.event().getType(),
                        scored.event().getItemId() == null ? "" : " on " + scored.event().getItemId()))
                .setReasons(gainedMost(shift))
                .build();
    }

    /** Categories (never row 0) whose probability grew most from the profile to the current distribution. */
    private List<AlertReason> gainedMost(InterestShift shift) {
        List<AlertReason> reasons = new ArrayList<>();
        for (int row = 1; row < shift.current().length; row++) {
            double gain = shift.current()[row] - shift.profile()[row];
            if (gain > 0) {
                reasons.add(reason("category:" + shift.categories().get(row), shift.current()[row], gain));
            }
        }
        reasons.sort(Comparator.comparingDouble(AlertReason::getContribution).reversed());
        return List.copyOf(reasons.subList(0, Math.min(settings.reasons(), reasons.size())));
    }

    /** The most probable row other than row 0 (the unknown category); the lower row on ties. */
    private static int topRow(float[] probabilities) {
        int best = 1;
        for (int row = 2; row < probabilities.length; row++) {
            if (probabilities[row] > probabilities[best]) {
                best = row;
            }
        }
        return best;
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
        return reasons.isEmpty() ? "-" : String.join(", ", reasons.stream().map(AlertFactory::describe).toList());
    }

    /**
     * A reason in the summary: its feature, or for an entity's feature the entity and the value
     * ("terminal T-17 risk_7d 0.40").
     */
    private static String describe(AlertReason reason) {
        String entity = reason.getEntity();
        if (entity == null) {
            return reason.getFeature();
        }
        int colon = entity.indexOf(':');
        String type = entity.substring(0, colon);
        String feature = reason.getFeature().startsWith(type + "_")
                ? reason.getFeature().substring(type.length() + 1) : reason.getFeature();
        return String.format(Locale.ROOT, "%s %s %s %.2f", type, entity.substring(colon + 1), feature,
                reason.getValue());
    }

    private static String duration(long millis) {
        double hours = millis / 3_600_000.0;
        return hours >= 48 ? String.format(Locale.ROOT, "%.1f days", hours / 24)
                : hours >= 1 ? String.format(Locale.ROOT, "%.1f h", hours)
                : String.format(Locale.ROOT, "%d min", millis / 60_000);
    }
}

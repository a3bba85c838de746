package io.pulse.pipeline.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.Alert;
import io.pulse.contracts.AlertKind;
import io.pulse.contracts.AlertReason;
import io.pulse.contracts.AlertTrigger;
import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertFactoryTest {

    private static final Instant EVENT_TIME = Instant.parse("2026-03-02T09:00:00Z");
    private static final long DAY = Duration.ofDays(1).toMillis();

    // fraud threshold 0.8, churn threshold 0.7, interest-shift threshold 0.3, at most two reasons
    private final AlertFactory factory = new AlertFactory(new AlertSettings(0.8, DAY, 0.7, 7 * DAY, 30 * DAY, 2,
            DAY, 3.0, 1.0, 0.3, DAY));

    private static UserEvent event(EventType type, Double amount) {
        return UserEvent.newBuilder().setEventId("e-1").setUserId("u-1").setType(type).setEventTime(EVENT_TIME)
                .setAmount(amount).build();
    }

    private static AlertReason reason(String feature, double value, double contribution) {
        return AlertReason.newBuilder().setFeature(feature).setValue(value).setContribution(contribution).build();
    }

    @Test
    void shouldDescribeAFraudAlertByItsEventAmountAndStrongestInputs() {
        List<AlertReason> reasons = List.of(reason("amount", 3.2, 0.4), reason("payments_1h", 5, 0.1));

        Alert alert = factory.fraud(new AlertFactory.EventScore(event(EventType.PAYMENT, 1250.0), 0.913,
                EVENT_TIME.toEpochMilli(), "v7", reasons));

        assertThat(alert.getAlertId()).isEqualTo("e-1:fraud");
        assertThat(alert.getUserId()).isEqualTo("u-1");
        assertThat(alert.getKind()).isEqualTo(AlertKind.FRAUD);
        assertThat(alert.getTrigger()).isEqualTo(AlertTrigger.EVENT);
        assertThat(alert.getScore()).isEqualTo(0.913);
        assertThat(alert.getThreshold()).isEqualTo(0.8);
        assertThat(alert.getRaisedAt()).isEqualTo(EVENT_TIME);
        assertThat(alert.getEventId()).isEqualTo("e-1");
        assertThat(alert.getLastSeen()).isEqualTo(EVENT_TIME);
        assertThat(alert.getModelVersion()).isEqualTo("v7");
        assertThat(alert.getSummary())
                .isEqualTo("fraud score 0.91 >= 0.80 on PAYMENT of 1250.00; strongest inputs: amount, payments_1h");
        assertThat(alert.getReasons()).isEqualTo(reasons);
    }

    @Test
    void shouldNameTheEntityAndItsValueInTheSummaryWhenAReasonIsAnEntityFeature() {
        List<AlertReason> reasons = List.of(AlertReason.newBuilder().setFeature("terminal_risk_7d").setValue(0.4)
                .setContribution(0.3).setEntity("terminal:T-17").build(), reason("amount", 3.2, 0.1));

        Alert alert = factory.fraud(new AlertFactory.EventScore(event(EventType.PAYMENT, 80.0), 0.9,
                EVENT_TIME.toEpochMilli(), "v7", reasons));

        assertThat(alert.getSummary()).isEqualTo("fraud score 0.90 >= 0.80 on PAYMENT of 80.00; strongest inputs:"
                + " terminal T-17 risk_7d 0.40, amount");
    }

    @Test
    void shouldLeaveOutTheAmountAndNameNoInputWhenThereAreNone() {
        Alert alert = factory.fraud(new AlertFactory.EventScore(event(EventType.LOGIN, null), 0.85,
                EVENT_TIME.toEpochMilli(), "v7", List.of()));

        assertThat(alert.getSummary()).isEqualTo("fraud score 0.85 >= 0.80 on LOGIN; strongest inputs: -");
        assertThat(alert.getReasons()).isEmpty();
    }

    @Test
    void shouldNameTheCategoriesAnInterestShiftMovedFromAndTo() {
        UserEvent view = UserEvent.newBuilder(event(EventType.VIEW, null)).setItemId("item-7")
                .setCategory("Electronics>Audio>Headphones").build();
        List<String> categories = List.of("<unknown>", "Beauty>Skin Care", "Electronics>Audio", "Home>Garden");
        float[] profile = {0.0f, 0.7f, 0.1f, 0.2f};
        float[] current = {0.0f, 0.2f, 0.5f, 0.3f};

        Alert alert = factory.interestShift(new AlertFactory.InterestShift(new AlertFactory.EventScore(view, 0.41,
                EVENT_TIME.toEpochMilli(), "v7", List.of()), categories, current, profile));

        assertThat(alert.getAlertId()).isEqualTo("e-1:interest_shift");
        assertThat(alert.getKind()).isEqualTo(AlertKind.INTEREST_SHIFT);
        assertThat(alert.getTrigger()).isEqualTo(AlertTrigger.EVENT);
        assertThat(alert.getScore()).isEqualTo(0.41);
        assertThat(alert.getThreshold()).isEqualTo(0.3);
        assertThat(alert.getEventId()).isEqualTo("e-1");
        assertThat(alert.getSummary()).isEqualTo("interests moved from Beauty>Skin Care to Electronics>Audio:"
                + " interest shift 0.41 >= 0.30 after a VIEW event on item-7");
        // the categories that gained most, at most two reasons; Beauty>Skin Care lost and is no reason
        assertThat(alert.getReasons()).extracting(AlertReason::getFeature)
                .containsExactly("category:Electronics>Audio", "category:Home>Garden");
        assertThat(alert.getReasons().get(0).getValue()).isCloseTo(0.5, within(1e-6));
        assertThat(alert.getReasons().get(0).getContribution()).isCloseTo(0.4, within(1e-6));
    }

    @Test
    void shouldSayWhenTheTopCategoryStayedButTheDistributionMoved() {
        List<String> categories = List.of("<unknown>", "A", "B");
        float[] profile = {0.9f, 0.1f, 0.0f}; // row 0 is never named, however probable
        float[] current = {0.0f, 0.9f, 0.1f};

        Alert alert = factory.interestShift(new AlertFactory.InterestShift(new AlertFactory.EventScore(
                event(EventType.LOGIN, null), 0.5, EVENT_TIME.toEpochMilli(), "v7", List.of()), categories, current,
                profile));

        assertThat(alert.getSummary()).isEqualTo("interests moved away from the user's profile (top category still A):"
                + " interest shift 0.50 >= 0.30 after a LOGIN event");
    }

    @Test
    void shouldDescribeAChurnAlertRaisedByAnEvent() {
        List<AlertReason> reasons = List.of(reason("days_since_purchase", 40, 0.2));

        Alert alert = factory.churn(new AlertFactory.EventScore(event(EventType.VIEW, null), 0.72,
                EVENT_TIME.toEpochMilli(), "v7", reasons));

        assertThat(alert.getAlertId()).isEqualTo("e-1:churn");
        assertThat(alert.getKind()).isEqualTo(AlertKind.CHURN);
        assertThat(alert.getTrigger()).isEqualTo(AlertTrigger.EVENT);
        assertThat(alert.getThreshold()).isEqualTo(0.7);
        assertThat(alert.getEventId()).isEqualTo("e-1");
        assertThat(alert.getSummary()).isEqualTo("churn probability rose to 0.72 (threshold 0.70) after a VIEW event;"
                + " strongest inputs: days_since_purchase");
    }

    @Test
    void shouldLeaveLastSeenUnsetWhenItIsUnknown() {
        Alert alert = factory.churn(new AlertFactory.EventScore(event(EventType.VIEW, null), 0.72, Long.MIN_VALUE,
                "v7", List.of()));

        assertThat(alert.getLastSeen()).isNull();
    }

    @Test
    void shouldDescribeASilenceInTheUsersOwnRhythmWithAtMostTheConfiguredReasons() {
        long lastSeen = EVENT_TIME.toEpochMilli();
        long now = lastSeen + 5 * DAY;

        Alert alert = factory.inactivity(new AlertFactory.Silence("u-1", 0.8, now, lastSeen, DAY, 0.25, 12, "v8"));

        assertThat(alert.getAlertId()).isEqualTo("u-1:inactivity:" + lastSeen);
        assertThat(alert.getUserId()).isEqualTo("u-1");
        assertThat(alert.getKind()).isEqualTo(AlertKind.CHURN);
        assertThat(alert.getTrigger()).isEqualTo(AlertTrigger.INACTIVITY);
        assertThat(alert.getScore()).isEqualTo(0.8);
        assertThat(alert.getThreshold()).isEqualTo(0.7);
        assertThat(alert.getRaisedAt()).isEqualTo(Instant.ofEpochMilli(now));
        assertThat(alert.getEventId()).isNull();
        assertThat(alert.getLastSeen()).isEqualTo(EVENT_TIME);
        assertThat(alert.getModelVersion()).isEqualTo("v8");
        assertThat(alert.getSummary()).isEqualTo("silent for 5.0 days, 5.0 times the user's usual longest gap of"
                + " 24.0 h; churn score 0.80 (threshold 0.70)");
        assertThat(alert.getReasons()).extracting(AlertReason::getFeature)
                .containsExactly("silence_in_usual_gaps", "churn_probability_at_last_event");
        assertThat(alert.getReasons().get(0).getValue()).isEqualTo(5.0);
        assertThat(alert.getReasons().get(0).getContribution()).isCloseTo(0.55, within(1e-12));
        assertThat(alert.getReasons().get(1).getValue()).isEqualTo(0.25);
    }

    @Test
    void shouldGiveAllThreeSilenceReasonsWhenAllowedAndShortSilencesInMinutes() {
        AlertFactory generous = new AlertFactory(new AlertSettings(0.8, DAY, 0.7, 7 * DAY, 30 * DAY, 5, DAY, 3.0,
                1.0, 1.0, DAY));
        long lastSeen = EVENT_TIME.toEpochMilli();

        Alert alert = generous.inactivity(new AlertFactory.Silence("u-1", 0.75, lastSeen + Duration.ofMinutes(45)
                .toMillis(), lastSeen, Duration.ofMinutes(10).toMillis(), 0.5, 12, "v8"));

        assertThat(alert.getSummary()).isEqualTo("silent for 45 min, 4.5 times the user's usual longest gap of"
                + " 10 min; churn score 0.75 (threshold 0.70)");
        assertThat(alert.getReasons()).extracting(AlertReason::getFeature)
                .containsExactly("silence_in_usual_gaps", "churn_probability_at_last_event", "events_30d");
        assertThat(alert.getReasons().get(2).getValue()).isEqualTo(12.0);
    }
}

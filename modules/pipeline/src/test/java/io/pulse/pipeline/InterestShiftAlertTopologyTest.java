package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.Alert;
import io.pulse.contracts.AlertKind;
import io.pulse.contracts.AlertTrigger;
import io.pulse.contracts.EventType;
import io.pulse.contracts.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interest-shift alerts: raised from a prediction's interest shift, with a cooldown, on their own topic. */
class InterestShiftAlertTopologyTest {

    private static final int ITEMS = 30;
    private static final int CATEGORIES = 4;
    private static final double THRESHOLD = 0.0001;
    private static final Duration COOLDOWN = Duration.ofMinutes(10);

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private TopologyFixture startWithInterestModel(Map<String, String> overrides) {
        fixture = TopologyFixture.withInterestModel(stateDir, overrides, ITEMS, CATEGORIES);
        return fixture;
    }

    /** A minute apart: ten views in one category, then twenty in others. */
    private static void browse(TopologyFixture f) {
        for (int minute = 1; minute <= 30; minute++) {
            String category = minute <= 10 ? "1>1" : "1>" + (2 + minute % 3);
            f.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ofMinutes(minute))
                    .setItemId("item-" + minute).setCategory(category + ">leaf").build());
        }
    }

    @Test
    void shouldRaiseAnInterestShiftAlertWhenTheShiftReachesTheThresholdAtMostOncePerCooldown() {
        TopologyFixture f = startWithInterestModel(Map.of(PulseConfig.INTEREST_ALERT_THRESHOLD,
                String.valueOf(THRESHOLD), PulseConfig.INTEREST_ALERT_COOLDOWN_MS, String.valueOf(COOLDOWN.toMillis()),
                // the other alerts stay quiet, so that every alert below is an interest shift
                PulseConfig.FRAUD_ALERT_THRESHOLD, "1", PulseConfig.CHURN_ALERT_THRESHOLD, "1"));

        browse(f);

        List<Prediction> predictions = f.predictions.readValuesToList();
        List<Prediction> expected = new ArrayList<>();
        long lastAlert = Long.MIN_VALUE;
        for (Prediction prediction : predictions) {
            long t = prediction.getEventTime().toEpochMilli();
            if (prediction.getInterestShift() >= THRESHOLD
                    && (lastAlert == Long.MIN_VALUE || t - lastAlert >= COOLDOWN.toMillis())) {
                expected.add(prediction);
                lastAlert = t;
            }
        }
        List<Alert> alerts = f.interestAlerts.readValuesToList();
        assertThat(expected).as("the rule fires more than once over 30 minutes").hasSizeGreaterThanOrEqualTo(2);
        assertThat(predictions.get(0).getInterestShift()).as("no profile yet, no shift").isZero();
        assertThat(alerts).extracting(Alert::getEventId)
                .containsExactlyElementsOf(expected.stream().map(Prediction::getEventId).toList());
        for (int i = 0; i < alerts.size(); i++) {
            Alert alert = alerts.get(i);
            Prediction prediction = expected.get(i);
            assertThat(alert.getKind()).isEqualTo(AlertKind.INTEREST_SHIFT);
            assertThat(alert.getTrigger()).isEqualTo(AlertTrigger.EVENT);
            assertThat(alert.getUserId()).isEqualTo("u-1");
            assertThat(alert.getScore()).isEqualTo(prediction.getInterestShift());
            assertThat(alert.getThreshold()).isEqualTo(THRESHOLD);
            assertThat(alert.getModelVersion()).isEqualTo(prediction.getModelVersion());
            String to = prediction.getNextCategories().get(0).getCategory();
            assertThat(alert.getSummary()).as("names the category moved to").contains(to)
                    .contains("after a VIEW event on item-");
            assertThat(alert.getReasons()).isNotEmpty()
                    .allSatisfy(reason -> assertThat(reason.getFeature()).startsWith("category:"));
        }
        assertThat(f.fraudAlerts.isEmpty()).isTrue();
        assertThat(f.churnAlerts.isEmpty()).isTrue();
        assertThat(f.stateOf("u-1").lastInterestAlertMillis())
                .isEqualTo(expected.get(expected.size() - 1).getEventTime().toEpochMilli());
        assertThat(f.metrics.alertCount(AlertKind.INTEREST_SHIFT)).isEqualTo(alerts.size());
    }

    @Test
    void shouldRaiseNoInterestShiftAlertByDefault() {
        TopologyFixture f = startWithInterestModel(Map.of());

        browse(f);

        assertThat(f.predictions.readValuesToList()).hasSize(30)
                .anySatisfy(p -> assertThat(p.getInterestShift()).isGreaterThan(THRESHOLD));
        assertThat(f.interestAlerts.isEmpty()).isTrue();
        assertThat(f.stateOf("u-1").lastInterestAlertMillis()).isZero();
    }

    @Test
    void shouldRaiseNoInterestShiftAlertForAModelWithoutInterestHeads() {
        fixture = new TopologyFixture(stateDir, Map.of(PulseConfig.INTEREST_ALERT_THRESHOLD, "0"));

        browse(fixture);

        assertThat(fixture.predictions.readValuesToList()).hasSize(30);
        assertThat(fixture.interestAlerts.isEmpty()).isTrue();
    }
}

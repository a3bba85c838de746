package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.Alert;
import io.pulse.contracts.AlertKind;
import io.pulse.contracts.AlertTrigger;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.FeatureSpec;
import io.pulse.model.Horizon;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.state.ScoredEvent;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.state.UserState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring: one prediction per accepted event, state in the stores, deduplication, windows, alerts. */
class ScoringTopologyTest {

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    private TopologyFixture start(Map<String, String> overrides) {
        fixture = new TopologyFixture(stateDir, overrides);
        return fixture;
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }


    @Test
    void shouldPublishOnePredictionPerEventAndKeepTheUsersState() {
        TopologyFixture f = start(Map.of());
        UserEvent view = TopologyFixture.event("u-1", EventType.VIEW, Duration.ZERO).build();
        UserEvent cart = TopologyFixture.event("u-1", EventType.ADD_TO_CART, Duration.ofMinutes(2)).build();

        f.send(view);
        f.send(cart);

        List<Prediction> predictions = f.predictions.readValuesToList();
        assertThat(predictions).extracting(Prediction::getEventId).containsExactly(view.getEventId(),
                cart.getEventId());
        Prediction last = predictions.get(1);
        assertThat(last.getModelVersion()).isEqualTo(f.models.current().version()).startsWith("random-");
        assertThat(last.getEventsSeen()).isEqualTo(2);
        assertThat(last.getNextAction()).hasSize(8)
                .isSortedAccordingTo((a, b) -> Double.compare(b.getProbability(), a.getProbability()));
        assertThat(last.getNextAction().stream().mapToDouble(ActionProbability::getProbability).sum())
                .isCloseTo(1.0, within(1e-5));
        assertThat(last.getChurnProbability()).isBetween(0.0, 1.0);
        assertThat(last.getFraudScore()).isBetween(0.0, 1.0);
        assertThat(last.getChurnHorizonMillis()).isEqualTo(Duration.ofDays(7).toMillis());

        UserState state = fixture.stateOf("u-1");
        assertThat(state.windows().eventsSeen()).isEqualTo(2);
        assertThat(state.windows().lastSeenMillis()).isEqualTo(cart.getEventTime().toEpochMilli());
        assertThat(state.producedBy(f.models.current().version())).isTrue();
        assertThat(state.recentInputs().size()).isEqualTo(2);
        assertThat(state.hidden()).isNotEqualTo(new float[state.hidden().length]);
    }

    @Test
    void shouldDropARepeatedDeliveryOfTheSameEvent() {
        TopologyFixture f = start(Map.of());
        UserEvent payment = TopologyFixture.event("u-1", EventType.PAYMENT, Duration.ZERO).setAmount(42.0).build();

        f.send(payment);
        f.send(payment);

        assertThat(f.predictions.readValuesToList()).hasSize(1);
        assertThat(f.metrics.duplicateCount()).isEqualTo(1.0);
        assertThat(fixture.stateOf("u-1").windows().eventsSeen()).isEqualTo(1);
        WindowStore<String, byte[]> scored = f.windowStore(StateStores.SCORED_EVENTS);
        ScoredEvent remembered = ScoredEvent.decode(
                scored.fetch(ScoredEvent.key("u-1", payment.getEventId()), payment.getEventTime().toEpochMilli()));
        assertThat(remembered.modelVersion()).isEqualTo(f.models.current().version());
    }

    @Test
    void shouldStillDropARepeatThatArrivesAfterNewerEventsOfTheUser() {
        TopologyFixture f = start(Map.of());
        UserEvent view = TopologyFixture.event("u-1", EventType.VIEW, Duration.ofMinutes(-30)).build();
        UserEvent newer = TopologyFixture.event("u-1", EventType.CLICK, Duration.ZERO).build();

        f.send(view);
        f.send(newer);
        f.send(view); // older than the user's last-seen time: the only events that can be repeats, so looked up

        assertThat(f.predictions.readValuesToList()).extracting(Prediction::getEventId)
                .containsExactly(view.getEventId(), newer.getEventId());
        assertThat(f.metrics.duplicateCount()).isEqualTo(1.0);
    }

    /**
     * The rule that lets scoring skip the deduplication lookup (only an event of a user with state, at or before the
     * user's last-seen time, can repeat a scored one, {@code ScoreProcessor.canBeDuplicate}) against a plain
     * reference: over random interleavings of new events, late events and repeats of earlier ones, exactly the first
     * delivery of each (event id, event time) is scored.
     */
    @Test
    void shouldScoreExactlyTheFirstDeliveryOfEachEventWhateverTheOrder() {
        TopologyFixture f = start(Map.of());
        List<UserEvent> sent = Redeliveries.mix(15, 300,
                (user, offset) -> TopologyFixture.event(user, EventType.VIEW, offset).build());
        sent.forEach(f::send);

        java.util.Set<String> scored = Redeliveries.firstDeliveries(sent).keySet();
        assertThat(f.predictions.readValuesToList()).extracting(Redeliveries::key).containsExactlyElementsOf(scored);
        assertThat(f.metrics.duplicateCount()).isEqualTo((double) (sent.size() - scored.size()));
    }

    @Test
    void shouldTreatAnEventIdReusedAtAnotherEventTimeAsANewEvent() {
        TopologyFixture f = start(Map.of());
        UserEvent view = TopologyFixture.event("u-1", EventType.VIEW, Duration.ZERO).build();
        UserEvent sameIdLater = UserEvent.newBuilder(view)
                .setEventTime(view.getEventTime().plusSeconds(30)).build();

        f.send(view);
        f.send(sameIdLater);

        // a duplicate delivery repeats the event, time included; the store is keyed by both for a point lookup
        assertThat(f.predictions.readValuesToList()).hasSize(2);
        assertThat(f.metrics.duplicateCount()).isZero();
    }

    @Test
    void shouldScoreTheSameEventIdAgainAfterTheDeduplicationWindow() {
        TopologyFixture f = start(Map.of(PulseConfig.DEDUP_RETENTION_MS, "60000"));
        UserEvent view = TopologyFixture.event("u-1", EventType.VIEW, Duration.ZERO).build();

        f.send(view);
        // the same id arrives again ten minutes (of arrival time) later: outside the one-minute window
        f.events.pipeInput("u-1".getBytes(), f.bytes(view), TopologyFixture.START.plusSeconds(600).toEpochMilli());

        assertThat(f.predictions.readValuesToList()).hasSize(2);
    }

    @Test
    void shouldDecayTheRollingWindowsWithEventTime() {
        TopologyFixture f = start(Map.of());

        f.send(TopologyFixture.event("u-1", EventType.PAYMENT, Duration.ZERO).setAmount(100.0).build());
        f.send(TopologyFixture.event("u-1", EventType.PAYMENT, Duration.ofHours(1)).setAmount(50.0).build());

        var windows = fixture.stateOf("u-1").windows();
        long at = TopologyFixture.START.plus(Duration.ofHours(1)).toEpochMilli();
        // soft windows: an event one horizon old weighs e^-1 (stored as half floats: 3 significant digits)
        assertThat(windows.count(EventType.PAYMENT, Horizon.HOUR, at)).isCloseTo(1 + Math.exp(-1), within(2e-3));
        assertThat(windows.count(EventType.PAYMENT, Horizon.DAY, at)).isCloseTo(1 + Math.exp(-1.0 / 24),
                within(2e-3));
        assertThat(windows.amountSum(Horizon.HOUR, at)).isCloseTo(50 + 100 * Math.exp(-1), within(0.1));
        assertThat(windows.count(EventType.VIEW, Horizon.MONTH, at)).isZero();
    }

    @Test
    void shouldAddALateEventWithoutMovingLastSeenBack() {
        TopologyFixture f = start(Map.of());
        f.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ZERO).build());

        // an event that happened an hour before the one already seen arrives late
        f.send(TopologyFixture.event("u-1", EventType.CLICK, Duration.ofHours(-1)).build());

        assertThat(f.predictions.readValuesToList()).hasSize(2);
        var windows = fixture.stateOf("u-1").windows();
        long lastSeen = TopologyFixture.START.toEpochMilli();
        assertThat(windows.lastSeenMillis()).isEqualTo(lastSeen);
        assertThat(windows.eventsSeen()).isEqualTo(2);
        assertThat(windows.count(EventType.CLICK, Horizon.HOUR, lastSeen)).isCloseTo(Math.exp(-1), within(2e-3));
    }

    @Test
    void shouldRaiseOneFraudAlertPerCooldown() {
        // threshold 0: every event is suspicious, so only the cooldown decides
        TopologyFixture f = start(Map.of(PulseConfig.FRAUD_ALERT_THRESHOLD, "0",
                PulseConfig.FRAUD_ALERT_COOLDOWN_MS, String.valueOf(Duration.ofMinutes(30).toMillis())));

        f.send(TopologyFixture.event("u-1", EventType.PAYMENT, Duration.ZERO).setAmount(900.0).build());
        f.send(TopologyFixture.event("u-1", EventType.PAYMENT, Duration.ofMinutes(10)).setAmount(900.0).build());
        f.send(TopologyFixture.event("u-1", EventType.PAYMENT, Duration.ofMinutes(31)).setAmount(900.0).build());

        List<Alert> alerts = f.fraudAlerts.readValuesToList();
        assertThat(alerts).hasSize(2);
        Alert first = alerts.get(0);
        assertThat(first.getKind()).isEqualTo(AlertKind.FRAUD);
        assertThat(first.getTrigger()).isEqualTo(AlertTrigger.EVENT);
        assertThat(first.getThreshold()).isZero();
        assertThat(first.getSummary()).contains("fraud score").contains("PAYMENT of 900.00");
        assertThat(first.getReasons()).hasSize(3)
                .isSortedAccordingTo((a, b) -> Double.compare(b.getContribution(), a.getContribution()));
        assertThat(first.getAlertId()).isEqualTo(first.getEventId() + ":fraud");
        assertThat(f.churnAlerts.isEmpty()).isTrue();
    }

    @Test
    void shouldNeverAlertAtThresholdOne() {
        TopologyFixture f = start(Map.of(PulseConfig.FRAUD_ALERT_THRESHOLD, "1", PulseConfig.CHURN_ALERT_THRESHOLD,
                "1"));

        for (int i = 0; i < 20; i++) {
            f.send(TopologyFixture.event("u-1", EventType.PAYMENT, Duration.ofMinutes(i)).setAmount(5.0).build());
        }

        assertThat(f.fraudAlerts.isEmpty()).isTrue();
        assertThat(f.churnAlerts.isEmpty()).isTrue();
    }

    @Test
    void shouldRaiseAChurnAlertWhenTheProbabilityCrossesTheThresholdUpwards() {
        // Given the churn score the model gives a first VIEW (measured with a throw-away pipeline)
        double firstChurn;
        try (TopologyFixture probe = new TopologyFixture(stateDir.resolve("probe"), Map.of())) {
            probe.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ZERO).build());
            firstChurn = probe.predictions.readValue().getChurnProbability();
        }
        // and a threshold just below it, so the first event crosses it from the new user's 0
        TopologyFixture f = start(Map.of(PulseConfig.CHURN_ALERT_THRESHOLD, String.valueOf(firstChurn - 1e-4)));

        f.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ZERO).build());

        List<Alert> alerts = f.churnAlerts.readValuesToList();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).getTrigger()).isEqualTo(AlertTrigger.EVENT);
        assertThat(alerts.get(0).getScore()).isCloseTo(firstChurn, within(1e-6));
        assertThat(alerts.get(0).getSummary()).contains("churn probability rose to");
    }

    @Test
    void shouldAdoptANewModelAndReWarmExistingUsers() {
        TopologyFixture f = start(Map.of());
        f.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ZERO).build());
        f.send(TopologyFixture.event("u-1", EventType.CLICK, Duration.ofMinutes(1)).build());
        f.predictions.readValuesToList();

        // When a new bundle for this model arrives on model-weights
        ModelBundle next = ModelBundles.seededRandom(f.config.getString(PulseConfig.MODEL_NAME), 99L, 64);
        f.modelWeights.pipeInput(next.getName(), next);
        f.send(TopologyFixture.event("u-1", EventType.ADD_TO_CART, Duration.ofMinutes(2)).build());

        // Then the next prediction is made by it, from a state re-warmed through it
        Prediction prediction = f.predictions.readValue();
        assertThat(prediction.getModelVersion()).isEqualTo(next.getVersion());
        assertThat(fixture.stateOf("u-1").producedBy(next.getVersion())).isTrue();
        assertThat(f.metrics.registry().get("pulse.rewarms").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldKeepTheCurrentModelWhenABundleNeedsEntityWindowsThePipelineDoesNotComputeYet() {
        TopologyFixture f = start(Map.of());
        String before = f.models.current().version();
        FeatureSpec withTerminals = FeatureSpec.v1().withEntities(List.of(EntityWindowSpec.daily("terminal")));

        ModelBundle entities = ModelBundles.seededRandom(f.config.getString(PulseConfig.MODEL_NAME), 5L, 16,
                withTerminals, null);
        f.modelWeights.pipeInput(entities.getName(), entities);
        f.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ZERO).build());

        assertThat(f.models.current().version()).isEqualTo(before);
        assertThat(f.metrics.registry().get("pulse.model.rejected").counter().count()).isEqualTo(1.0);
        assertThat(f.predictions.readValue().getModelVersion()).isEqualTo(before);
    }

    @Test
    void shouldIgnoreABundleForAnotherModelName() {
        TopologyFixture f = start(Map.of());
        String before = f.models.current().version();

        ModelBundle other = ModelBundles.seededRandom("someone-elses-model", 5L, 16);
        f.modelWeights.pipeInput(other.getName(), other);

        assertThat(f.models.current().version()).isEqualTo(before);
    }
}

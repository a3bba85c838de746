package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.Alert;
import io.pulse.contracts.AlertKind;
import io.pulse.contracts.AlertTrigger;
import io.pulse.contracts.EventType;
import io.pulse.pipeline.alerts.AlertSettings;
import io.pulse.pipeline.state.InactivityIndex;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.state.UserState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Churn is mostly the absence of events: alerts for users whose silence became alarming, driven by the clock. */
class InactivityTopologyTest {

    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }


    private int dueEntries() {
        KeyValueStore<Bytes, byte[]> index = fixture.keyValueStore(StateStores.INACTIVITY_INDEX);
        int n = 0;
        try (var all = index.all()) {
            while (all.hasNext()) {
                if (InactivityIndex.isCheck(all.next().key)) { // the store also holds the task clock
                    n++;
                }
            }
        }
        return n;
    }

    /** Moves the wall clock forward in steps of an hour, running the punctuator at each step. */
    private void letTimePass(Duration total) {
        for (Duration passed = Duration.ZERO; passed.compareTo(total) < 0; passed = passed.plusHours(1)) {
            fixture.driver.advanceWallClockTime(Duration.ofHours(1));
        }
    }

    @Test
    void shouldAlertOnceWhenASilenceBecomesAlarming() {
        // Given the inactivity score a single-event user reaches after 4 and 5 days of silence (typical gap: 1 day)
        fixture = new TopologyFixture(stateDir.resolve("probe"), Map.of());
        fixture.send(TopologyFixture.event("u-1", EventType.LOGIN, Duration.ZERO).build());
        double lastChurn = fixture.stateOf("u-1").lastChurn();
        fixture.close();
        AlertSettings scoring = AlertSettings.from(new PulseConfig(Map.of()));
        double afterFourDays = scoring.inactivityScore(lastChurn, 4 * DAY.toMillis(), DAY.toMillis());
        double afterFiveDays = scoring.inactivityScore(lastChurn, 5 * DAY.toMillis(), DAY.toMillis());
        String threshold = String.valueOf((afterFourDays + afterFiveDays) / 2);

        // and a pipeline alerting between the two
        fixture = new TopologyFixture(stateDir.resolve("run"), Map.of(PulseConfig.CHURN_ALERT_THRESHOLD, threshold));
        fixture.send(TopologyFixture.event("u-1", EventType.LOGIN, Duration.ZERO).build());
        assertThat(dueEntries()).isEqualTo(1);
        assertThat(fixture.stateOf("u-1").inactivityDueAtMillis())
                .as("first check after 3 typical gaps").isEqualTo(TopologyFixture.START.plus(DAY.multipliedBy(3))
                        .toEpochMilli());

        // When four and a half days pass: checked at 3 and 4 days, not alarming yet
        letTimePass(DAY.multipliedBy(4).plusHours(12));
        assertThat(fixture.churnAlerts.isEmpty()).isTrue();
        assertThat(dueEntries()).as("rescheduled").isEqualTo(1);

        // Then on the fifth day exactly one alert, and nothing more however long the silence lasts
        letTimePass(DAY.multipliedBy(5));
        List<Alert> alerts = fixture.churnAlerts.readValuesToList();
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.getKind()).isEqualTo(AlertKind.CHURN);
        assertThat(alert.getTrigger()).isEqualTo(AlertTrigger.INACTIVITY);
        assertThat(alert.getEventId()).isNull();
        assertThat(alert.getLastSeen()).isEqualTo(TopologyFixture.START);
        assertThat(alert.getRaisedAt()).isEqualTo(TopologyFixture.START.plus(DAY.multipliedBy(5)));
        assertThat(alert.getSummary()).contains("silent for 5.0 days").contains("usual longest gap");
        assertThat(alert.getReasons()).extracting(r -> r.getFeature()).contains("silence_in_usual_gaps");
        assertThat(dueEntries()).isZero();
        assertThat(fixture.stateOf("u-1").alertedThisSilence()).isTrue();
    }

    @Test
    void shouldKeepOneIndexEntryAtTheFirstDueTimeWhileTheUserStaysActive() {
        // checks two days after the last event (the minimum silence dominates a one-day rhythm)
        fixture = new TopologyFixture(stateDir.resolve("run"), Map.of(PulseConfig.INACTIVITY_SILENCE_FACTOR, "1",
                PulseConfig.INACTIVITY_MIN_SILENCE_MS, String.valueOf(DAY.multipliedBy(2).toMillis())));
        fixture.send(TopologyFixture.event("u-1", EventType.LOGIN, Duration.ZERO).build());
        long firstDue = fixture.stateOf("u-1").inactivityDueAtMillis();
        assertThat(firstDue).isEqualTo(TopologyFixture.START.plus(DAY.multipliedBy(2)).toEpochMilli());

        // events that only postpone the check leave the entry where it is (no index write per event)
        // (at most an hour ahead of the wall clock, which stands at the first event: validation's future limit)
        fixture.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ofMinutes(30)).build());
        fixture.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ofMinutes(60)).build());
        UserState active = fixture.stateOf("u-1");
        assertThat(active.inactivityDueAtMillis())
                .isEqualTo(TopologyFixture.START.plus(DAY.multipliedBy(2)).plusSeconds(3600).toEpochMilli());
        assertThat(active.inactivityIndexedAtMillis()).isEqualTo(firstDue);
        assertThat(dueEntries()).isEqualTo(1);

        // when the old entry comes due, the punctuator moves it to the real due time without checking the user,
        // in the index only: the state, a few hundred bytes and a changelog record, is not rewritten for it
        // (the event clock stands at the last event, 1 h; the first entry is due at 48 h)
        var userStateChangelog = fixture.driver.createOutputTopic("pulse-test-" + StateStores.USER_STATE
                + "-changelog", new StringDeserializer(), new ByteArrayDeserializer());
        assertThat(userStateChangelog.readRecordsToList()).as("the events' state writes").isNotEmpty();
        fixture.driver.advanceWallClockTime(Duration.ofHours(47).plusSeconds(1));
        assertThat(entriesOf("u-1")).containsExactly(active.inactivityDueAtMillis());
        assertThat(fixture.stateOf("u-1").inactivityIndexedAtMillis()).isEqualTo(firstDue);
        assertThat(userStateChangelog.readRecordsToList()).as("no state write for the move").isEmpty();
        assertThat(fixture.churnAlerts.isEmpty()).isTrue();
        assertThat(fixture.metrics.inactivityCheckCount()).isZero();

        // the next event (at 90 min; the task clock follows it from here) finds the entry where it was moved to and
        // records that position, as it writes the state anyway
        fixture.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ofMinutes(90)).build());
        UserState next = fixture.stateOf("u-1");
        assertThat(next.inactivityIndexedAtMillis()).isEqualTo(active.inactivityDueAtMillis());
        assertThat(entriesOf("u-1")).containsExactly(active.inactivityDueAtMillis());

        // the entry comes due again before the user's due time and moves on again; then it is checked, once
        fixture.driver.advanceWallClockTime(Duration.ofHours(47).plusMinutes(31));
        assertThat(entriesOf("u-1")).containsExactly(next.inactivityDueAtMillis());
        assertThat(fixture.metrics.inactivityCheckCount()).isZero();
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(30));
        assertThat(fixture.metrics.inactivityCheckCount()).isEqualTo(1.0);
    }

    @Test
    void shouldEraseAnEntryTheStateNoLongerNames() {
        fixture = new TopologyFixture(stateDir.resolve("run"), Map.of(PulseConfig.INACTIVITY_SILENCE_FACTOR, "1",
                PulseConfig.INACTIVITY_MIN_SILENCE_MS, String.valueOf(DAY.multipliedBy(2).toMillis())));
        fixture.send(TopologyFixture.event("u-1", EventType.LOGIN, Duration.ZERO).build());
        fixture.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ofMinutes(60)).build());
        fixture.send(TopologyFixture.event("u-2", EventType.VIEW, Duration.ofMinutes(60)).build());
        fixture.driver.advanceWallClockTime(Duration.ofHours(47).plusSeconds(1)); // u-1's entry moved on
        assertThat(fixture.stateOf("u-1").inactivityIndexedAtMillis())
                .isNotEqualTo(fixture.stateOf("u-1").inactivityDueAtMillis());

        fixture.erase("u-1");

        assertThat(entriesOf("u-1")).isEmpty();
        assertThat(entriesOf("u-2")).hasSize(1);
        KeyValueStore<Bytes, byte[]> index = fixture.keyValueStore(StateStores.INACTIVITY_INDEX);
        try (var all = index.all()) {
            all.forEachRemaining(entry -> assertThat(new String(entry.key.get(), StandardCharsets.ISO_8859_1)
                    + new String(entry.value, StandardCharsets.ISO_8859_1))
                    .as("the punctuator's mark and the clock name nobody").doesNotContain("u-1"));
        }
        assertThat(fixture.audit.readValue().getStores()).anyMatch(store ->
                store.getStore().equals(StateStores.INACTIVITY_INDEX) && store.getEntries() == 1L);
    }

    /** The due times of the user's entries in the inactivity index. */
    private List<Long> entriesOf(String userId) {
        KeyValueStore<Bytes, byte[]> index = fixture.keyValueStore(StateStores.INACTIVITY_INDEX);
        List<Long> times = new java.util.ArrayList<>();
        try (var all = index.all()) {
            all.forEachRemaining(entry -> {
                if (InactivityIndex.isCheck(entry.key) && InactivityIndex.userId(entry.key).equals(userId)) {
                    times.add(InactivityIndex.dueAt(entry.key));
                }
            });
        }
        return times;
    }

    @Test
    void shouldStartWatchingAgainWhenTheUserComesBack() {
        // a threshold well above the model's score at the last event: only silence can reach it
        fixture = new TopologyFixture(stateDir.resolve("probe"), Map.of());
        fixture.send(TopologyFixture.event("u-1", EventType.LOGIN, Duration.ZERO).build());
        double lastChurn = fixture.stateOf("u-1").lastChurn();
        fixture.close();
        String threshold = String.valueOf(lastChurn + (1 - lastChurn) / 2);
        fixture = new TopologyFixture(stateDir.resolve("run"), Map.of(PulseConfig.CHURN_ALERT_THRESHOLD, threshold,
                PulseConfig.CHURN_ALERT_COOLDOWN_MS, "0"));
        fixture.send(TopologyFixture.event("u-1", EventType.LOGIN, Duration.ZERO).build());
        letTimePass(DAY.multipliedBy(20));
        assertThat(inactivityAlerts()).hasSize(1);

        // the user is back: a new silence is a new incident
        fixture.send(TopologyFixture.event("u-1", EventType.VIEW, DAY.multipliedBy(20)).build());
        assertThat(fixture.stateOf("u-1").alertedThisSilence()).isFalse();
        assertThat(dueEntries()).isEqualTo(1);
        // its rhythm is now one event in 20 days (capped at the 7-day churn horizon), so this silence takes longer
        // to become alarming than the first one did (5 days)
        letTimePass(DAY.multipliedBy(15));
        assertThat(inactivityAlerts()).isEmpty();
        letTimePass(DAY.multipliedBy(100));

        assertThat(inactivityAlerts()).hasSize(1);
    }

    @Test
    void shouldNotStartANewSilenceForALateEvent() {
        fixture = new TopologyFixture(stateDir, Map.of(PulseConfig.CHURN_ALERT_THRESHOLD, "0.0001",
                PulseConfig.CHURN_ALERT_COOLDOWN_MS, "0"));
        fixture.send(TopologyFixture.event("u-1", EventType.LOGIN, Duration.ZERO).build());
        letTimePass(DAY.multipliedBy(4));
        assertThat(inactivityAlerts()).hasSize(1);

        // an event from before the silence arrives late (an offline device syncing)
        fixture.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ofMinutes(-5)).build());
        letTimePass(DAY.multipliedBy(10));

        assertThat(inactivityAlerts()).as("still one alert for the one silence").isEmpty();
        assertThat(fixture.stateOf("u-1").alertedThisSilence()).isTrue();
    }

    private List<Alert> inactivityAlerts() {
        return fixture.churnAlerts.readValuesToList().stream()
                .filter(alert -> alert.getTrigger() == AlertTrigger.INACTIVITY)
                .toList();
    }

    @Test
    void shouldOnlyLookAtChecksThatAreDue() {
        fixture = new TopologyFixture(stateDir, Map.of());
        for (int i = 0; i < 50; i++) {
            fixture.send(TopologyFixture.event("u-" + i, EventType.VIEW, Duration.ofMinutes(i)).build());
        }

        // an hour later nobody's check is due (the earliest is after three days)
        letTimePass(Duration.ofHours(2));

        assertThat(dueEntries()).isEqualTo(50);
        assertThat(fixture.metrics.registry().get("pulse.inactivity.checks").counter().count()).isZero();
    }

    @Test
    void shouldOrderTheIndexByDueTime() {
        Bytes early = InactivityIndex.key(1_000L, "zzz");
        Bytes late = InactivityIndex.key(2_000L, "aaa");

        assertThat(early.compareTo(late)).isNegative();
        assertThat(InactivityIndex.upTo(1_000L).compareTo(early)).isPositive();
        assertThat(InactivityIndex.upTo(1_000L).compareTo(late)).isNegative();
        assertThat(InactivityIndex.userId(late)).isEqualTo("aaa");
        assertThat(InactivityIndex.dueAt(late)).isEqualTo(2_000L);
    }
}

package io.pulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TerminalCompromisesTest {

    /** Busy terminals take 60 % of the payments; 2 terminals a day become compromised for a day. */
    private static final TerminalCompromises EPISODES = new TerminalCompromises(0.6, 2, Duration.ofDays(1));
    private static final SimulationConfig CONFIG = SimulationConfig.defaults().withSeed(11).withUsers(500)
            .withTerminalCompromises(EPISODES);
    private static final Duration SPAN = Duration.ofDays(60);
    private static final int FRAUD_TERMINALS_FROM = 10_000;

    private static List<SimulatedEvent> events;
    private static List<CompromiseEpisode> episodes;

    @BeforeAll
    static void simulate() {
        GroundTruthSimulator simulator = new GroundTruthSimulator(CONFIG);
        long end = CONFIG.start().plus(SPAN).toEpochMilli();
        events = new ArrayList<>();
        while (simulator.peekNextEventMillis() < end) {
            events.add(simulator.next());
        }
        episodes = simulator.terminalCompromises();
    }

    @Test
    void shouldLeaveTheSeededStreamAsItWasWithoutBusyTerminalsAndEpisodes() {
        // fingerprints of the first 20,000 events, truths and labels, computed before terminal episodes and devices
        // existed: with them off (the default), only the new device attribute differs
        assertThat(fingerprint(SimulationConfig.defaults(), 20_000)).isEqualTo(7156027501836505238L);
        assertThat(fingerprint(SimulationConfig.defaults().withSeed(7).withUsers(300)
                .withChurnHorizon(Duration.ofDays(1)), 20_000)).isEqualTo(8946212732135471574L);
    }

    @Test
    void shouldChangeOnlyTheTerminalAndTheFraudFlagOfPaymentsWhenEpisodesAreOn() {
        GroundTruthSimulator off = new GroundTruthSimulator(CONFIG.withTerminalCompromises(TerminalCompromises.NONE));
        int changedTerminals = 0;
        for (int i = 0; i < 100_000; i++) {
            SimulatedEvent without = off.next();
            SimulatedEvent with = events.get(i);
            UserEvent a = without.event();
            UserEvent b = with.event();
            assertThat(List.of(b.getEventId(), b.getUserId(), b.getType(), b.getEventTime(), b.getSessionId()))
                    .isEqualTo(List.of(a.getEventId(), a.getUserId(), a.getType(), a.getEventTime(),
                            a.getSessionId()));
            assertThat(b.getAmount()).isEqualTo(a.getAmount());
            assertThat(b.getAttributes().get("device")).isEqualTo(a.getAttributes().get("device"));
            assertThat(with.truth().nextAction()).isEqualTo(without.truth().nextAction());
            assertThat(with.truth().churnProbability()).isEqualTo(without.truth().churnProbability());
            assertThat(with.outcome()).isEqualTo(without.outcome());
            if (b.getType() != EventType.PAYMENT) {
                assertThat(b.getItemId()).isEqualTo(a.getItemId());
                assertThat(with.truth().fraud()).isFalse();
            } else if (!b.getItemId().equals(a.getItemId())) {
                changedTerminals++;
            }
        }
        assertThat(changedTerminals).isPositive();
    }

    @Test
    void shouldMakeEveryPaymentAtACompromisedTerminalFraudulentAndNoOtherOrdinaryPayment() {
        Map<String, List<CompromiseEpisode>> byTerminal = new HashMap<>();
        episodes.forEach(e -> byTerminal.computeIfAbsent(e.terminal(), k -> new ArrayList<>()).add(e));
        int compromised = 0;
        int genuine = 0;
        for (SimulatedEvent simulated : events) {
            UserEvent event = simulated.event();
            if (event.getType() != EventType.PAYMENT || isFraudstersTerminal(event)) {
                continue;
            }
            Instant time = event.getEventTime();
            boolean inEpisode = byTerminal.getOrDefault(event.getItemId(), List.of()).stream()
                    .anyMatch(e -> e.covers(time));
            assertThat(simulated.truth().fraud()).as("payment %s at %s, %s", event.getEventId(), event.getItemId(), time)
                    .isEqualTo(inEpisode);
            if (inEpisode) {
                compromised++;
            } else {
                genuine++;
            }
        }
        assertThat(compromised).isGreaterThan(100);
        assertThat(genuine).isGreaterThan(compromised);
    }

    @Test
    void shouldStartEpisodesAtTheConfiguredRateOnBusyTerminals() {
        // 60 days at 2 a day: Poisson(120), standard deviation 11
        assertThat(episodes).hasSizeBetween(120 - 40, 120 + 40);
        for (CompromiseEpisode episode : episodes) {
            assertThat(Integer.parseInt(episode.terminal().substring("terminal-".length())))
                    .isLessThan(TerminalEpisodes.BUSY_TERMINALS);
            assertThat(Duration.between(episode.start(), episode.end())).isEqualTo(EPISODES.length());
        }
        assertThat(episodes).isSortedAccordingTo((a, b) -> a.start().compareTo(b.start()));
    }

    @Test
    void shouldCompromiseAboutTheShareOfPaymentsTheRateImplies() {
        // a busy terminal of popularity z is compromised a fraction 1 - exp(-perDay * z * length) of the time (after
        // the first day), so the expected share of ordinary payments made at a compromised terminal is
        // busyShare * sum over busy terminals of z * (1 - exp(-perDay * z * length in days))
        double harmonic = 0;
        for (int k = 1; k <= TerminalEpisodes.BUSY_TERMINALS; k++) {
            harmonic += 1.0 / k;
        }
        double expected = 0;
        for (int k = 1; k <= TerminalEpisodes.BUSY_TERMINALS; k++) {
            double z = 1.0 / k / harmonic;
            expected += z * (1 - Math.exp(-EPISODES.perDay() * z * 1.0));
        }
        expected *= EPISODES.busyTerminalShare();
        Instant afterFirstDay = CONFIG.start().plus(Duration.ofDays(1));
        long payments = 0;
        long frauds = 0;
        for (SimulatedEvent simulated : events) {
            UserEvent event = simulated.event();
            if (event.getType() == EventType.PAYMENT && !isFraudstersTerminal(event)
                    && event.getEventTime().isAfter(afterFirstDay)) {
                payments++;
                frauds += simulated.truth().fraud() ? 1 : 0;
            }
        }
        // episodes are few (about 120): the share varies by a good fraction of itself between seeds
        assertThat((double) frauds / payments).isCloseTo(expected, within(expected * 0.35));
    }

    @Test
    void shouldLabelPaymentsAtCompromisedTerminalsAsFraudWithinTheConfiguredDelays() {
        SimulationConfig config = CONFIG.withFraudLabelDelay(Duration.ofHours(1), Duration.ofHours(6));
        GroundTruthSimulator simulator = new GroundTruthSimulator(config);
        int checked = 0;
        for (int i = 0; i < 200_000 && checked < 50; i++) {
            SimulatedEvent simulated = simulator.next();
            UserEvent event = simulated.event();
            if (!simulated.truth().fraud() || isFraudstersTerminal(event)) {
                continue;
            }
            List<Label> fraudLabels = SimulatedLabels.labelsOf(simulated, config).stream()
                    .filter(l -> l.getKind() == LabelKind.FRAUD).toList();
            assertThat(fraudLabels).singleElement().satisfies(label -> {
                assertThat(label.getPositive()).isTrue();
                assertThat(label.getEventId()).isEqualTo(event.getEventId());
                assertThat(Duration.between(event.getEventTime(), label.getObservedAt()))
                        .isBetween(Duration.ofHours(1), Duration.ofHours(6));
            });
            checked++;
        }
        assertThat(checked).isEqualTo(50);
    }

    @Test
    void shouldGiveEveryEventADeviceAndFraudstersNeverTheUsersOwn() {
        Map<String, Set<String>> ownDevices = new HashMap<>();
        Map<String, Set<String>> fraudDevices = new HashMap<>();
        for (SimulatedEvent simulated : events) {
            UserEvent event = simulated.event();
            String device = event.getAttributes().get("device");
            assertThat(device).as("device of %s", event).isNotEmpty().matches("device-[0-9a-z-]+");
            boolean fraudster = simulated.truth().fraud() && isFraudstersTerminal(event);
            (fraudster ? fraudDevices : ownDevices).computeIfAbsent(event.getUserId(), k -> new HashSet<>())
                    .add(device);
        }
        assertThat(ownDevices.values()).allSatisfy(devices -> assertThat(devices).hasSizeBetween(1, 2));
        long twoDevices = ownDevices.values().stream().filter(d -> d.size() == 2).count();
        // 40 % have two devices; a user with two and few sessions may show only one
        assertThat((double) twoDevices / ownDevices.size()).isBetween(0.25, 0.45);
        assertThat(fraudDevices).isNotEmpty();
        fraudDevices.forEach((user, devices) -> assertThat(devices)
                .doesNotContainAnyElementsOf(ownDevices.getOrDefault(user, Set.of())));
        Set<String> allOwn = new HashSet<>();
        ownDevices.values().forEach(allOwn::addAll);
        fraudDevices.values().forEach(devices -> assertThat(devices).doesNotContainAnyElementsOf(allOwn));
    }

    @Test
    void shouldRefuseInvalidSettingsNamingThem() {
        assertThatThrownBy(() -> new TerminalCompromises(1.5, 0, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busyTerminalShare");
        assertThatThrownBy(() -> new TerminalCompromises(0.5, -1, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perDay");
        assertThatThrownBy(() -> new TerminalCompromises(0.5, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
        assertThatThrownBy(() -> new TerminalCompromises(0, 1, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busyTerminalShare above 0");
        SimulationConfig config = SimulationConfig.defaults();
        assertThatThrownBy(() -> config.withFraudLabelDelay(Duration.ZERO, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minFraudLabelDelay");
        assertThatThrownBy(() -> config.withFraudLabelDelay(Duration.ofHours(2), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFraudLabelDelay");
    }

    private static boolean isFraudstersTerminal(UserEvent event) {
        return Integer.parseInt(event.getItemId().substring("terminal-".length())) >= FRAUD_TERMINALS_FROM;
    }

    /**
     * A hash of everything about the first {@code count} events but their device (ids, times, types, items, amounts,
     * terminals, truth, outcome) and of their labels.
     */
    private static long fingerprint(SimulationConfig config, int count) {
        GroundTruthSimulator simulator = new GroundTruthSimulator(config);
        long h = 17;
        for (int i = 0; i < count; i++) {
            SimulatedEvent e = simulator.next();
            UserEvent u = e.event();
            h = mix(h, u.getEventId() + "|" + u.getUserId() + "|" + u.getType() + "|" + u.getEventTime() + "|"
                    + u.getItemId() + "|" + u.getCategory() + "|" + u.getAmount() + "|" + u.getRating() + "|"
                    + u.getSessionId() + "|" + u.getAttributes().get("terminal") + "|" + e.truth().fraud() + "|"
                    + e.truth().churnProbability() + "|" + Arrays.toString(e.truth().nextAction()) + "|"
                    + e.outcome());
            for (Label label : SimulatedLabels.labelsOf(e, config)) {
                h = mix(h, label.toString());
            }
        }
        return h;
    }

    private static long mix(long h, String s) {
        long result = h;
        for (int i = 0; i < s.length(); i++) {
            result = result * 1_000_003L + s.charAt(i);
        }
        return result * 31 + 7;
    }
}

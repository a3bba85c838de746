package io.pulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GroundTruthSimulatorTest {

    private static final SimulationConfig CONFIG = SimulationConfig.defaults().withSeed(2026).withUsers(1000)
            .withCompromisedUserShare(0.1);
    private static final Duration SPAN = Duration.ofDays(60);
    /** About 850,000 events: enough for calibration to within a percent. */
    private static SimulatedHistory history;
    private static List<Label> allLabels;

    @BeforeAll
    static void simulate() {
        history = SimulatedHistory.generate(CONFIG, SPAN);
        allLabels = history.allLabels();
    }

    @Test
    void shouldReproduceEventsTruthAndLabelsForTheSameSeed() {
        SimulationConfig config = SimulationConfig.defaults().withCompromisedUserShare(0.5);
        SimulatedHistory first = SimulatedHistory.generate(config, Duration.ofDays(20));
        SimulatedHistory second = SimulatedHistory.generate(config, Duration.ofDays(20));

        assertThat(first.events()).hasSizeGreaterThan(1000).isEqualTo(second.events());
        assertThat(first.allLabels()).isEqualTo(second.allLabels());
        assertThat(SimulatedHistory.generate(config.withSeed(1), Duration.ofDays(1)).userEvents())
                .isNotEqualTo(SimulatedHistory.generate(config, Duration.ofDays(1)).userEvents());
    }

    @Test
    void shouldEmitTheSameEventsWithAndWithoutTruth() {
        EventSimulator plain = new EventSimulator(CONFIG);
        GroundTruthSimulator withTruth = new GroundTruthSimulator(CONFIG);

        for (int i = 0; i < 10_000; i++) {
            assertThat(plain.next()).isEqualTo(withTruth.next().event());
        }
    }

    @Test
    void shouldFollowTheFunnelWithinEverySession() {
        Map<String, EventType> previousInSession = new HashMap<>();
        Set<String> seenSessions = new HashSet<>();
        for (SimulatedEvent simulated : history.events()) {
            UserEvent event = simulated.event();
            if (simulated.truth().fraud()) {
                continue;
            }
            EventType previous = previousInSession.put(event.getSessionId(), event.getType());
            if (seenSessions.add(event.getSessionId())) {
                assertThat(event.getType()).as("a session starts with a login or a view")
                        .isIn(EventType.LOGIN, EventType.VIEW);
            } else {
                assertThat(allowedAfter(previous)).as("%s after %s", event.getType(), previous)
                        .contains(event.getType());
            }
        }
    }

    private static List<EventType> allowedAfter(EventType previous) {
        return switch (previous) {
            case LOGIN -> List.of(EventType.VIEW, EventType.CLICK, EventType.RATING, EventType.PAYMENT);
            case VIEW -> List.of(EventType.VIEW, EventType.CLICK, EventType.RATING);
            case CLICK -> List.of(EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART, EventType.RATING);
            case ADD_TO_CART -> List.of(EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART, EventType.PURCHASE);
            case PURCHASE -> List.of(EventType.VIEW, EventType.RATING, EventType.PAYMENT);
            case PAYMENT -> List.of(EventType.VIEW, EventType.CLICK, EventType.RATING);
            case RATING -> List.of(EventType.VIEW, EventType.CLICK, EventType.RATING);
            default -> List.of();
        };
    }

    @Test
    void shouldNeverEmitAnotherEventForAUserWhoStopped() {
        Map<String, Instant> stoppedAt = new HashMap<>();
        for (SimulatedEvent simulated : history.events()) {
            UserEvent event = simulated.event();
                assertThat(stoppedAt.containsKey(event.getUserId())).as("event of a user who stopped: %s", event).isFalse();
            if (!simulated.outcome().hasNextEvent()) {
                stoppedAt.put(event.getUserId(), event.getEventTime());
                assertThat(simulated.truth().noNextEventProbability()).isPositive();
                assertThat(simulated.outcome().churned()).isTrue();
            }
        }
        assertThat(stoppedAt).as("users stopped for good over 60 days").hasSizeGreaterThan(200);
        // the population is kept up by newcomers
        Set<String> activeInLastWeek = new HashSet<>();
        history.events().stream()
                .filter(e -> e.event().getEventTime().isAfter(history.end().minus(Duration.ofDays(7))))
                .forEach(e -> activeInLastWeek.add(e.event().getUserId()));
        assertThat(activeInLastWeek.size()).isBetween(800, 1200);
    }

    @Test
    void shouldDeliverTheRealisedOutcomeAsTheUsersNextEvent() {
        Map<String, SimulatedEvent> previousOfUser = new HashMap<>();
        for (SimulatedEvent simulated : history.events()) {
            SimulatedEvent previous = previousOfUser.put(simulated.event().getUserId(), simulated);
            if (previous != null) {
                assertThat(previous.outcome().nextType()).isEqualTo(simulated.event().getType());
                assertThat(previous.outcome().nextEventTime()).isEqualTo(simulated.event().getEventTime());
            }
        }
    }

    @Test
    void shouldCompromiseTheConfiguredShareOfUsersWithNightlyBurstsOnNewTerminals() {
        GroundTruthSimulator simulator = new GroundTruthSimulator(CONFIG);
        Map<String, List<UserEvent>> fraudByUser = new HashMap<>();
        Map<String, Set<String>> ownTerminals = new HashMap<>();
        while (simulator.peekNextEventTime().isBefore(CONFIG.start().plus(SPAN))) {
            SimulatedEvent simulated = simulator.next();
            UserEvent event = simulated.event();
            if (simulated.truth().fraud()) {
                fraudByUser.computeIfAbsent(event.getUserId(), u -> new ArrayList<>()).add(event);
            } else if (event.getType() == EventType.PAYMENT) {
                ownTerminals.computeIfAbsent(event.getUserId(), u -> new HashSet<>()).add(event.getItemId());
            }
        }

        double atRiskShare = (double) simulator.usersAtRisk() / simulator.usersCreated();
        assertThat(atRiskShare).isCloseTo(0.1, within(0.02));
        // most users at risk are compromised before they stop (about 1 in 20 session ends)
        assertThat(simulator.usersCompromised()).isGreaterThan(simulator.usersAtRisk() / 2);
        assertThat(fraudByUser.size()).isBetween((int) simulator.usersCompromised() - 5,
                (int) simulator.usersCompromised());
        fraudByUser.forEach((user, burst) -> {
            assertThat(burst).as("a burst of several payments").hasSizeGreaterThanOrEqualTo(2);
            int startHour = burst.get(0).getEventTime().atZone(ZoneOffset.UTC).getHour();
            assertThat(startHour).as("starts at an unusual hour").isBetween(1, 4);
            assertThat(Duration.between(burst.get(0).getEventTime(), burst.get(burst.size() - 1).getEventTime()))
                    .as("in quick succession").isLessThan(Duration.ofHours(3));
            assertThat(burst).allSatisfy(e -> {
                assertThat(e.getType()).isEqualTo(EventType.PAYMENT);
                assertThat(e.getAttributes()).containsEntry("terminal", e.getItemId());
                assertThat(ownTerminals.getOrDefault(user, Set.of())).doesNotContain(e.getItemId());
                assertThat(e.getAmount()).isPositive();
            });
        });
        double fraudMean = fraudByUser.values().stream().flatMap(List::stream)
                .mapToDouble(UserEvent::getAmount).average().orElseThrow();
        assertThat(fraudMean).as("fraud amounts are high").isGreaterThan(300);
    }

    @Test
    void shouldLabelEveryFraudEventAndNoGenuineOneAsFraud() {
        Map<String, Label> fraudLabels = new HashMap<>();
        for (Label label : allLabels) {
            if (label.getKind() == LabelKind.FRAUD) {
                assertThat(fraudLabels.put(label.getEventId(), label)).as("one FRAUD label per event").isNull();
            }
        }
        long frauds = 0;
        for (SimulatedEvent simulated : history.events()) {
            Label label = fraudLabels.get(simulated.event().getEventId());
            if (simulated.truth().fraud()) {
                frauds++;
                assertThat(label).isNotNull();
                assertThat(label.getPositive()).isTrue();
                Duration delay = Duration.between(label.getAppliesAt(), label.getObservedAt());
                assertThat(delay).isBetween(Duration.ofDays(1), Duration.ofDays(7));
                assertThat(label.getAppliesAt()).isEqualTo(simulated.event().getEventTime());
            } else if (label != null) {
                assertThat(label.getPositive()).isFalse();
                assertThat(simulated.event().getType()).isEqualTo(EventType.PAYMENT);
            }
        }
        assertThat(frauds).isGreaterThan(100);
    }

    @Test
    void shouldDelayChurnLabelsUntilTheOutcomeIsKnown() {
        Map<Instant, Map<String, Label>> churnLabels = new HashMap<>();
        for (Label label : allLabels) {
            if (label.getKind() == LabelKind.CHURN) {
                assertThat(label.getEventId()).isNull();
                churnLabels.computeIfAbsent(label.getAppliesAt(), t -> new HashMap<>()).put(label.getUserId(), label);
            }
        }
        Duration horizon = CONFIG.churnHorizon();
        for (SimulatedEvent simulated : history.events()) {
            UserEvent event = simulated.event();
            Label label = churnLabels.get(event.getEventTime()).get(event.getUserId());
            assertThat(label.getPositive()).isEqualTo(simulated.outcome().churned());
            if (label.getPositive()) {
                assertThat(label.getObservedAt()).isEqualTo(event.getEventTime().plus(horizon));
            } else {
                assertThat(label.getObservedAt()).isEqualTo(simulated.outcome().nextEventTime())
                        .isBeforeOrEqualTo(event.getEventTime().plus(horizon));
            }
        }
        assertThat(history.labels()).allSatisfy(l -> assertThat(l.getObservedAt()).isBefore(history.end()));
    }

    @Test
    void shouldReleaseLabelsOnTheTimelineOnlyWhenObservedAndAfterTheirEvent() {
        Timeline timeline = new Timeline(SimulationConfig.defaults().withCompromisedUserShare(0.5));
        Set<String> published = new HashSet<>();
        Set<String> churnKeys = new HashSet<>();
        Instant last = Instant.EPOCH;
        long labels = 0;
        for (int i = 0; i < 200_000; i++) {
            TimelineEntry entry = timeline.next();
            assertThat(entry.time()).isAfterOrEqualTo(last);
            last = entry.time();
            if (entry instanceof TimelineEntry.EventEntry e) {
                published.add(e.simulated().event().getEventId());
                churnKeys.add(e.simulated().event().getUserId() + "@" + e.simulated().event().getEventTime());
            } else if (entry instanceof TimelineEntry.LabelEntry l) {
                labels++;
                Label label = l.label();
                assertThat(label.getObservedAt()).isAfter(label.getAppliesAt());
                // (plain Set.contains: AssertJ's contains scans the set)
                boolean eventPublished = label.getKind() == LabelKind.FRAUD
                        ? published.contains(label.getEventId())
                        : churnKeys.contains(label.getUserId() + "@" + label.getAppliesAt());
                assertThat(eventPublished).as("label after its event: %s", label).isTrue();
            }
        }
        assertThat(labels).isEqualTo(timeline.labelsEmitted()).isGreaterThan(50_000);
        assertThat(timeline.eventsEmitted() + timeline.labelsEmitted()).isEqualTo(200_000);
    }

    @Test
    void shouldStateNextActionDistributionsThatSumToOne() {
        double worstSum = 1;
        float smallest = 1;
        float largest = 0;
        float unknown = 0;
        for (SimulatedEvent e : history.events()) {
            float[] p = e.truth().nextAction();
            double sum = 0;
            for (float v : p) {
                smallest = Math.min(smallest, v);
                largest = Math.max(largest, v);
                sum += v;
            }
            worstSum = Math.abs(sum - 1) > Math.abs(worstSum - 1) ? sum : worstSum;
            unknown = Math.max(unknown, p[EventType.UNKNOWN.ordinal()]);
        }

        assertThat(worstSum).isCloseTo(1.0, within(1e-5));
        assertThat(smallest).isGreaterThanOrEqualTo(0f);
        assertThat(largest).isLessThanOrEqualTo(1f);
        assertThat(unknown).isZero();
    }

    @Test
    void shouldStateCalibratedNextActionProbabilities() {
        Calibration calibration = new Calibration(10);
        for (SimulatedEvent e : history.events()) {
            EventType next = e.outcome().nextType();
            if (next == null) {
                continue;
            }
            float[] p = e.truth().nextAction();
            for (int a = 1; a < p.length; a++) {
                calibration.add(p[a], a == next.ordinal());
            }
        }

        calibration.assertCalibrated(0.005);
    }

    @Test
    void shouldStateCalibratedChurnProbabilities() {
        // users with a session a day on average and a horizon of one day: churn probabilities cover the whole range
        SimulatedHistory shortHorizon = SimulatedHistory.generate(CONFIG.withSeed(99).withUsers(2000)
                .withMeanSessionGap(Duration.ofDays(1)).withChurnHorizon(Duration.ofDays(1)), Duration.ofDays(60));
        Calibration calibration = new Calibration(10);
        shortHorizon.events().forEach(e -> calibration.add(e.truth().churnProbability(), e.outcome().churned()));

        calibration.assertCalibrated(0.005);
        assertThat(calibration.populatedBins()).as("probabilities spread over the range").isGreaterThanOrEqualTo(5);
    }

    @Test
    void shouldMatchTheMeanChurnProbabilityAtTheDefaultHorizon() {
        double stated = history.events().stream().mapToDouble(e -> e.truth().churnProbability()).sum();
        long realised = history.events().stream().filter(e -> e.outcome().churned()).count();

        assertThat(realised).isGreaterThan(500);
        // Poisson-binomial: the realised count is within a few standard deviations of the stated sum
        assertThat((double) realised).isCloseTo(stated, within(4 * Math.sqrt(stated) + 1));
    }

    @Test
    void shouldReachALowerLogLossThanTheMarginalBaseline() {
        double bayesNext = BayesLogLoss.nextAction(history.events());
        double bayesChurn = BayesLogLoss.churn(history.events());

        assertThat(bayesNext).isPositive().isLessThan(BayesLogLoss.marginalNextAction(history.events()) - 0.2);
        assertThat(bayesChurn).isPositive().isLessThan(BayesLogLoss.marginalChurn(history.events()));
        assertThat(history.bayesNextActionLogLoss()).isEqualTo(bayesNext);
    }

    @Test
    void shouldComputeLogLossesOfArbitraryPredictions() {
        assertThat(BayesLogLoss.binary(new double[] {0.5, 0.5}, new boolean[] {true, false}))
                .isCloseTo(Math.log(2), within(1e-12));
        assertThat(BayesLogLoss.binary(new double[] {0.0}, new boolean[] {true}))
                .as("clipped, finite").isCloseTo(-Math.log(BayesLogLoss.EPSILON), within(1e-9));
        assertThat(BayesLogLoss.categorical(new float[][] {{0.25f, 0.75f}}, new int[] {1}))
                .isCloseTo(-Math.log(0.75), within(1e-7));
    }

    /** Reliability bins: mean stated probability versus observed frequency. */
    private static final class Calibration {
        private final double[] statedSum;
        private final long[] hits;
        private final long[] counts;

        Calibration(int bins) {
            statedSum = new double[bins];
            hits = new long[bins];
            counts = new long[bins];
        }

        void add(double p, boolean happened) {
            int bin = Math.min(counts.length - 1, (int) (p * counts.length));
            statedSum[bin] += p;
            counts[bin]++;
            if (happened) {
                hits[bin]++;
            }
        }

        int populatedBins() {
            int populated = 0;
            for (long c : counts) {
                if (c >= 500) {
                    populated++;
                }
            }
            return populated;
        }

        /** Every bin with enough samples agrees within 4 standard errors plus {@code slack}. */
        void assertCalibrated(double slack) {
            for (int b = 0; b < counts.length; b++) {
                if (counts[b] < 500) {
                    continue;
                }
                double stated = statedSum[b] / counts[b];
                double observed = (double) hits[b] / counts[b];
                double standardError = Math.sqrt(Math.max(stated * (1 - stated), 1e-4) / counts[b]);
                assertThat(observed).as("bin %d (%d samples): stated %.4f", b, counts[b], stated)
                        .isCloseTo(stated, within(4 * standardError + slack));
            }
        }
    }
}

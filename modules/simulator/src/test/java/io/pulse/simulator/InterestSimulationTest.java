package io.pulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulated users' interests: the catalogue, the drift, the switches and the truth kept about them. */
class InterestSimulationTest {

    private static final SimulationConfig CONFIG = SimulationConfig.defaults().withSeed(11).withUsers(300)
            .withInterestSwitchRate(0.05);
    private static final SimulatedCatalogue CATALOGUE = SimulatedCatalogue.get();
    private static SimulatedHistory history;

    @BeforeAll
    static void simulate() {
        history = SimulatedHistory.generate(CONFIG, Duration.ofDays(30));
    }

    private static String level2(String path) {
        int first = path.indexOf(SimulatedCatalogue.SEPARATOR);
        int second = path.indexOf(SimulatedCatalogue.SEPARATOR, first + 1);
        return path.substring(0, second);
    }

    @Test
    void shouldBrowseItemsOfAThreeLevelHierarchyWithLevelTwoInterests() {
        assertThat(CATALOGUE.interestCategories()).hasSize(15).contains("Beauty>Skin Care", "Electronics>Audio")
                .doesNotHaveDuplicates();
        assertThat(CATALOGUE.leaves(0)).containsExactly("Beauty>Skin Care>Face", "Beauty>Skin Care>Body",
                "Beauty>Skin Care>Sun");
        Set<String> items = new HashSet<>();
        for (SimulatedEvent simulated : history.events()) {
            UserEvent event = simulated.event();
            if (event.getCategory() == null) {
                assertThat(event.getType()).isIn(EventType.LOGIN, EventType.PAYMENT);
                continue;
            }
            assertThat(event.getCategory().split(SimulatedCatalogue.SEPARATOR)).hasSize(3);
            assertThat(CATALOGUE.interestCategories()).contains(level2(event.getCategory()));
            assertThat(event.getItemId()).startsWith("item-");
            items.add(event.getItemId());
        }
        assertThat(items.size()).as("most of the catalogue is browsed").isGreaterThan(CATALOGUE.items() * 9 / 10);
        assertThat(history.events().get(0).truth().interests().categories())
                .hasSize(CATALOGUE.interestCategoryCount());
    }

    @Test
    void shouldDrawTheBrowsedCategoryFromTheTrueInterests() {
        // every VIEW browses a new item whose level-2 category is drawn from the truth of that very event
        double expectedDominant = 0;
        int dominant = 0;
        int views = 0;
        double sumOfProbabilities = 0;
        for (SimulatedEvent simulated : history.events()) {
            if (simulated.event().getType() != EventType.VIEW || simulated.truth().fraud()) {
                continue;
            }
            InterestTruth truth = simulated.truth().interests();
            float sum = 0;
            for (float p : truth.categories()) {
                sum += p;
            }
            sumOfProbabilities += sum;
            views++;
            expectedDominant += truth.categories()[truth.dominant()];
            String category = level2(simulated.event().getCategory());
            dominant += category.equals(CATALOGUE.interestCategories().get(truth.dominant())) ? 1 : 0;
        }
        assertThat(sumOfProbabilities / views).isCloseTo(1.0, within(1e-5));
        assertThat(expectedDominant / views).as("the dominant category takes most of the browsing")
                .isBetween(0.5, 0.8);
        assertThat((double) dominant / views).as("calibrated: observed share of the dominant category")
                .isCloseTo(expectedDominant / views, within(0.01));
    }

    @Test
    void shouldSwitchToANewDominantCategoryAtTheConfiguredRate() {
        Map<String, Integer> lastDominant = new HashMap<>();
        Map<String, String> lastSession = new HashMap<>();
        int sessionStarts = 0;
        int switches = 0;
        int dominantChangedWithoutSwitch = 0;
        for (SimulatedEvent simulated : history.events()) {
            UserEvent event = simulated.event();
            InterestTruth truth = simulated.truth().interests();
            String user = event.getUserId();
            if (simulated.truth().fraud()) {
                continue;
            }
            boolean newSession = !event.getSessionId().equals(lastSession.put(user, event.getSessionId()));
            Integer before = lastDominant.put(user, truth.dominant());
            if (truth.switched()) {
                assertThat(newSession).as("interests switch at session starts").isTrue();
                assertThat(before).as("a switch needs interests to switch from").isNotNull();
                assertThat(truth.dominant()).as("a switch changes the dominant category").isNotEqualTo(before);
                switches++;
            } else if (before != null && before != truth.dominant()) {
                dominantChangedWithoutSwitch++;
            }
            if (newSession && before != null) {
                sessionStarts++;
            }
            if (truth.eventsSinceSwitch() > 0) {
                assertThat(truth.withinEventsOfSwitch(truth.eventsSinceSwitch())).isFalse();
                assertThat(truth.withinEventsOfSwitch(truth.eventsSinceSwitch() + 1)).isTrue();
            }
        }
        assertThat(dominantChangedWithoutSwitch).isZero();
        assertThat(switches).isGreaterThan(500);
        assertThat((double) switches / sessionStarts).isCloseTo(0.05, within(0.005));
    }

    @Test
    void shouldRepeatSomeItemsAndFavourPopularOnesWithinALeaf() {
        Map<String, Set<String>> browsed = new HashMap<>();
        int views = 0;
        int repeats = 0;
        int mostPopular = 0;
        int leastPopular = 0;
        for (SimulatedEvent simulated : history.events()) {
            UserEvent event = simulated.event();
            if (event.getType() != EventType.VIEW) {
                continue;
            }
            views++;
            if (!browsed.computeIfAbsent(event.getUserId(), u -> new HashSet<>()).add(event.getItemId())) {
                repeats++;
            }
            int rank = Integer.parseInt(event.getItemId().substring("item-".length()))
                    % SimulatedCatalogue.ITEMS_PER_LEAF;
            mostPopular += rank == 0 ? 1 : 0;
            leastPopular += rank == SimulatedCatalogue.ITEMS_PER_LEAF - 1 ? 1 : 0;
        }
        // deliberate repeats (1 in 5 views) plus popular items met again: over a month most views are re-views
        assertThat((double) repeats / views).as("re-views").isBetween(0.4, 0.9);
        // Zipf: the most popular item of a leaf is ten times as likely as the least popular
        assertThat(mostPopular).as("Zipf within a leaf").isGreaterThan(5 * leastPopular);
    }

    @Test
    void shouldKeepInterestsOutOfTheOtherRandomChoices() {
        // the switch rate changes interests only: event times, types and sessions stay exactly the same
        List<SimulatedEvent> other = SimulatedHistory.generate(CONFIG.withInterestSwitchRate(0.5),
                Duration.ofDays(3)).events();
        List<SimulatedEvent> same = SimulatedHistory.generate(CONFIG, Duration.ofDays(3)).events();

        assertThat(other).hasSameSizeAs(same);
        for (int i = 0; i < same.size(); i++) {
            UserEvent a = same.get(i).event();
            UserEvent b = other.get(i).event();
            assertThat(b.getEventTime()).isEqualTo(a.getEventTime());
            assertThat(b.getType()).isEqualTo(a.getType());
            assertThat(b.getSessionId()).isEqualTo(a.getSessionId());
            assertThat(other.get(i).truth().churnProbability()).isEqualTo(same.get(i).truth().churnProbability());
        }
    }
}

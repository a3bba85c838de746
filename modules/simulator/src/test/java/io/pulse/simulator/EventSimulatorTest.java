package io.pulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventSimulatorTest {

    private static List<UserEvent> take(EventSimulator simulator, int n) {
        List<UserEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(simulator.next());
        }
        return events;
    }

    @Test
    void shouldProduceTheSameEventsForTheSameSeed() {
        SimulationConfig config = SimulationConfig.defaults();

        assertThat(take(new EventSimulator(config), 500)).isEqualTo(take(new EventSimulator(config), 500));
    }

    @Test
    void shouldProduceDifferentEventsForAnotherSeed() {
        SimulationConfig config = SimulationConfig.defaults();

        assertThat(take(new EventSimulator(config), 50))
                .isNotEqualTo(take(new EventSimulator(config.withSeed(7)), 50));
    }

    @Test
    void shouldEmitEventsInEventTimeOrderWithUniqueIds() {
        List<UserEvent> events = take(new EventSimulator(SimulationConfig.defaults()), 5_000);

        assertThat(events).isSortedAccordingTo((a, b) -> a.getEventTime().compareTo(b.getEventTime()));
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.getEventId()));
        assertThat(ids).hasSize(events.size());
        assertThat(events).allSatisfy(e -> {
            java.util.UUID id = java.util.UUID.fromString(e.getEventId());
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
        });
        assertThat(events).allSatisfy(e -> assertThat(e.getEventTime())
                .isAfterOrEqualTo(SimulationConfig.defaults().start()));
    }

    @Test
    void shouldSpreadEventsOverAllUsersAndFunnelSteps() {
        List<UserEvent> events = take(new EventSimulator(SimulationConfig.defaults()), 20_000);

        Set<String> users = new HashSet<>();
        Map<EventType, Integer> byType = new EnumMap<>(EventType.class);
        events.forEach(e -> {
            users.add(e.getUserId());
            byType.merge(e.getType(), 1, Integer::sum);
        });
        // every initial user shows up; users who stop are replaced by newcomers
        for (int i = 0; i < SimulationConfig.defaults().users(); i++) {
            assertThat(users).contains("user-" + i);
        }
        assertThat(byType.keySet()).containsAll(List.of(EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART,
                EventType.PURCHASE, EventType.PAYMENT, EventType.LOGIN, EventType.RATING));
        // a funnel narrows: many more views than purchases
        assertThat(byType.get(EventType.VIEW)).isGreaterThan(3 * byType.get(EventType.PURCHASE));
    }

    @Test
    void shouldCarryAmountsOnlyOnMoneyMovingEvents() {
        List<UserEvent> events = take(new EventSimulator(SimulationConfig.defaults()), 5_000);

        assertThat(events).allSatisfy(e -> {
            boolean movesMoney = e.getType() == EventType.PURCHASE || e.getType() == EventType.PAYMENT;
            if (e.getType() == EventType.PAYMENT) {
                assertThat(e.getItemId()).startsWith("terminal-");
                assertThat(e.getAttributes()).containsEntry("terminal", e.getItemId());
            }
            if (movesMoney) {
                assertThat(e.getAmount()).isNotNull().isPositive().isFinite();
            } else {
                assertThat(e.getAmount()).isNull();
            }
            if (e.getType() == EventType.RATING) {
                assertThat(e.getRating()).isBetween(1.0f, 5.0f);
            }
        });
    }
}

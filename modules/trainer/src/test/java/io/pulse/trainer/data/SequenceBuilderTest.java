package io.pulse.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.FeatureSpec;
import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import io.pulse.simulator.TerminalCompromises;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The external group-by gives the same sequences whatever its bucket size, and drops exactly the redeliveries. */
class SequenceBuilderTest {

    private static final Duration HORIZON = Duration.ofHours(12);
    private static final FeatureSpec SPEC = FeatureSpec.v1().withEntities(List.of(EntityWindowSpec.daily("terminal")));
    private static final SimulatedHistory SIMULATED = SimulatedHistory.generate(SimulationConfig.defaults()
            .withSeed(3).withUsers(40).withChurnHorizon(HORIZON)
            .withTerminalCompromises(new TerminalCompromises(0.6, 1.0, TerminalCompromises.DEFAULT_LENGTH)),
            Duration.ofDays(12));

    @Test
    void shouldBuildTheSameSequencesInOneBucketAsInMany() {
        History history = withRedeliveries(History.of(SIMULATED));
        TimeSplit split = TimeSplit.of(Instant.ofEpochMilli(history.events().oldestMillis()), history.end(), 0.6,
                0.2);
        SequenceBuilder.Built one = new SequenceBuilder(history, split, HORIZON.toMillis(), SPEC, Long.MIN_VALUE,
                Integer.MAX_VALUE).build();
        SequenceBuilder.Built many = new SequenceBuilder(history, split, HORIZON.toMillis(), SPEC, Long.MIN_VALUE,
                97).build();
        try (SequenceStore a = one.store(); SequenceStore b = many.store()) {
            assertThat(history.events().size()).isGreaterThan(97 * 20);
            assertThat(b.sequences()).hasSameSizeAs(a.sequences());
            for (int u = 0; u < a.sequences().size(); u++) {
                assertSame(a.sequences().get(u), b.sequences().get(u));
            }
            assertThat(a.steps()).isEqualTo(b.steps()).isEqualTo(SIMULATED.events().size());
            assertThat(one.duplicatesDropped()).isEqualTo(many.duplicatesDropped()).isEqualTo(REDELIVERED);
            assertThat(one.summaries()).containsExactly(many.summaries());
        }
    }

    @Test
    void shouldListTheUsersInIdOrder() {
        try (TrainingData data = TrainingData.build(History.of(SIMULATED), HORIZON, 0.6, 0.2)) {
            List<String> users = data.sequences().stream().map(UserSequence::userId).toList();
            assertThat(users).isSorted().doesNotHaveDuplicates();
        }
    }

    private static final int REDELIVERED = 25;

    /** The history with its first {@value #REDELIVERED} events delivered again at the end. */
    private static History withRedeliveries(History history) {
        List<UserEvent> events = new ArrayList<>();
        history.events().forEach(events::add);
        events.addAll(events.subList(0, REDELIVERED));
        return new History(history.source(), EventLog.of(events), history.labels(), history.end(), true, Map.of(),
                null, Map.of());
    }

    private static void assertSame(UserSequence a, UserSequence b) {
        assertThat(b.userId()).isEqualTo(a.userId());
        assertThat(b.length()).isEqualTo(a.length());
        for (int i = 0; i < a.length(); i++) {
            assertThat(b.eventId(i)).isEqualTo(a.eventId(i));
            assertThat(b.timeMillis(i)).isEqualTo(a.timeMillis(i));
            assertThat(b.type(i)).isEqualTo(a.type(i));
            assertThat(b.raw(i)).containsExactly(a.raw(i));
            assertThat(b.period(i)).isEqualTo(a.period(i));
            assertThat(b.nextAction(i)).isEqualTo(a.nextAction(i));
            assertThat(b.churn(i)).isEqualTo(a.churn(i));
            assertThat(b.fraud(i)).isEqualTo(a.fraud(i));
            assertThat(b.itemId(i)).isEqualTo(a.itemId(i));
            assertThat(b.category(i)).isEqualTo(a.category(i));
        }
    }
}

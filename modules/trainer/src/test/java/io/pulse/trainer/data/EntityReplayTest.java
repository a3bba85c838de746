package io.pulse.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.model.FeatureSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The trainer's entity replay on hand-written histories: against {@link EntityWindows} driven by hand in the order the
 * pipeline would apply events and labels, and through {@link TrainingData}.
 */
class EntityReplayTest {

    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final EntityWindowSpec TERMINAL = EntityWindowSpec.daily("terminal");
    private static final EntityWindowSpec SHOP = new EntityWindowSpec("shop", "item",
            List.of(Duration.ofHours(6), Duration.ofDays(3)), Duration.ofDays(2), Duration.ofHours(12));
    private static final List<EntityWindowSpec> ENTITIES = List.of(TERMINAL, SHOP);
    private static final FeatureSpec SPEC = FeatureSpec.v1().withEntities(ENTITIES);
    private static final int BLOCK = TERMINAL.featureCount() + SHOP.featureCount();

    private static final UserEvent A1 = event("a1", "a", 0.0, "T1", "i1", 10.0);
    private static final UserEvent B1 = event("b1", "b", 0.5, "T1", "i2", 20.0);
    private static final UserEvent A2 = event("a2", "a", 1.0, "T2", "i1", 30.0);
    private static final UserEvent B2 = event("b2", "b", 2.0, null, "i2", 40.0);
    private static final UserEvent A3 = event("a3", "a", 8.0, "T1", null, 50.0);
    private static final UserEvent B3 = event("b3", "b", 9.0, "T1", "i1", 60.0);
    /** Arrival order differs from event-time order: the replay orders by time. */
    private static final List<UserEvent> EVENTS = List.of(B3, A1, A2, B1, A3, B2);
    /** a1 is a fraud, known at day 8 (the same millisecond as a3); b1 is confirmed genuine on day 1. */
    private static final List<Label> LABELS = List.of(fraud("a", "a1", 0.0, 8.0, true),
            fraud("b", "b1", 0.5, 1.0, false));

    @Test
    void shouldEqualEntityWindowsDrivenByHand() {
        EntityWindows t1 = EntityWindows.empty(TERMINAL);
        EntityWindows t2 = EntityWindows.empty(TERMINAL);
        EntityWindows i1 = EntityWindows.empty(SHOP);
        EntityWindows i2 = EntityWindows.empty(SHOP);
        Map<String, float[]> expected = new HashMap<>();
        expected.put("a1", block(t1, i1, A1));
        expected.put("b1", block(t1, i2, B1));
        expected.put("a2", block(t2, i1, A2));
        expected.put("b2", block(null, i2, B2));
        expected.put("a3", block(t1, null, A3));
        t1.observeFraud(time(A1)); // a1's label arrives with a3, after it
        i1.observeFraud(time(A1));
        expected.put("b3", block(t1, i1, B3));

        EntityReplay replay = EntityReplay.replay(ENTITIES, EVENTS, LABELS);

        assertThat(replay.blockSize()).isEqualTo(BLOCK);
        for (int i = 0; i < EVENTS.size(); i++) {
            String id = EVENTS.get(i).getEventId();
            assertThat(replayed(replay, i)).as(id).containsExactly(expected.get(id));
        }
        // the hand-driven blocks say what the test is about: a3 does not see the fraud, b3 does, through the risk
        int noFraud = TERMINAL.featureNames().indexOf("terminal_no_known_fraud");
        int risk7d = TERMINAL.featureNames().indexOf("terminal_risk_7d");
        assertThat(expected.get("a3")[noFraud]).isEqualTo(1f);
        assertThat(expected.get("b3")[noFraud]).isZero();
        assertThat(expected.get("b3")[risk7d]).isPositive();
    }

    @Test
    void shouldAppendTheReplayedBlocksToEachUsersSteps() {
        History history = history(EVENTS, LABELS);
        TimeSplit split = TimeSplit.of(Instant.ofEpochMilli(T0), history.end(), 0.5, 0.2);
        EntityReplay replay = EntityReplay.replay(ENTITIES, EVENTS, LABELS);
        Map<String, float[]> blocks = new HashMap<>();
        for (int i = 0; i < EVENTS.size(); i++) {
            blocks.put(EVENTS.get(i).getEventId(), replayed(replay, i));
        }

        TrainingData plain = TrainingData.build(history, split, Duration.ofDays(1));
        TrainingData withEntities = TrainingData.build(history, split, Duration.ofDays(1), SPEC);

        assertThat(withEntities.spec()).isEqualTo(SPEC);
        assertThat(withEntities.sequences()).hasSameSizeAs(plain.sequences());
        for (int u = 0; u < plain.sequences().size(); u++) {
            UserSequence before = plain.sequences().get(u);
            UserSequence after = withEntities.sequences().get(u);
            assertThat(after.length()).isEqualTo(before.length());
            for (int i = 0; i < before.length(); i++) {
                float[] x = after.raw(i);
                assertThat(after.eventId(i)).isEqualTo(before.eventId(i));
                assertThat(x).hasSize(32 + BLOCK);
                assertThat(Arrays.copyOfRange(x, 0, 32)).containsExactly(before.raw(i));
                assertThat(Arrays.copyOfRange(x, 32, x.length)).containsExactly(blocks.get(after.eventId(i)));
                assertThat(after.fraud(i)).isEqualTo(before.fraud(i));
            }
        }
        FeatureSpec normalised = withEntities.normalisedSpec();
        assertThat(normalised.entities()).isEqualTo(ENTITIES);
        assertThat(normalised.names()).isEqualTo(SPEC.names());
        assertThat(plain.normalisedSpec().names()).isEqualTo(FeatureSpec.v1().names());
    }

    @Test
    void shouldHideALabelFromEveryEventBeforeItsArrival() {
        UserEvent fraud = event("x0", "a", 0.0, "T1", null, 100.0);
        UserEvent early = event("x1", "b", 1.0, "T1", null, 5.0);
        UserEvent sameMillisecond = event("x2", "c", 3.0, "T1", null, 5.0);
        UserEvent after = event("x3", "d", 3.0 + 1.0 / DAY, "T1", null, 5.0);
        List<UserEvent> events = List.of(fraud, early, sameMillisecond, after);
        List<EntityWindowSpec> terminal = List.of(TERMINAL);

        EntityReplay unlabelled = EntityReplay.replay(terminal, events, List.of());
        EntityReplay labelled = EntityReplay.replay(terminal, events, List.of(fraud("a", "x0", 0.0, 3.0, true)));
        // a label that arrives before its own event cannot be joined to it (the pipeline drops it unmatched)
        EntityReplay tooEarly = EntityReplay.replay(terminal, List.of(early, sameMillisecond, after),
                List.of(fraud("c", "x2", 3.0, 2.0, true)));

        for (int i = 0; i < 3; i++) {
            assertThat(replayed(labelled, i)).as(events.get(i).getEventId()).containsExactly(replayed(unlabelled, i));
        }
        float[] seen = replayed(labelled, 3);
        assertThat(seen).isNotEqualTo(replayed(unlabelled, 3));
        assertThat(seen[TERMINAL.featureNames().indexOf("terminal_no_known_fraud")]).isZero();
        assertThat(seen[TERMINAL.featureNames().indexOf("terminal_known_frauds_1d")]).isPositive();
        EntityReplay tooEarlyUnlabelled = EntityReplay.replay(terminal, List.of(early, sameMillisecond, after),
                List.of());
        for (int i = 0; i < 3; i++) {
            assertThat(replayed(tooEarly, i)).containsExactly(replayed(tooEarlyUnlabelled, i));
        }
    }

    @Test
    void shouldApplyEachFraudOnceAndOnlyToItsOwnUsersEvent() {
        List<Label> once = List.of(fraud("a", "a1", 0.0, 3.0, true));
        List<Label> repeated = List.of(fraud("a", "a1", 0.0, 3.0, true), fraud("a", "a1", 0.0, 4.0, true));
        List<Label> otherUser = List.of(fraud("b", "a1", 0.0, 3.0, true));
        List<Label> withChurnLabel = new ArrayList<>(once);
        withChurnLabel.add(label("a", "a2", LabelKind.CHURN, 1.0, 3.0, true));

        EntityReplay expected = EntityReplay.replay(ENTITIES, EVENTS, once);

        assertThat(EntityReplay.replay(ENTITIES, EVENTS, repeated).blocks()).containsExactly(expected.blocks());
        assertThat(EntityReplay.replay(ENTITIES, EVENTS, withChurnLabel).blocks())
                .containsExactly(expected.blocks());
        assertThat(EntityReplay.replay(ENTITIES, EVENTS, otherUser).blocks())
                .containsExactly(EntityReplay.replay(ENTITIES, EVENTS, List.of()).blocks());
        assertThat(expected.blocks()).isNotEqualTo(EntityReplay.replay(ENTITIES, EVENTS, List.of()).blocks());
    }

    @Test
    void shouldCountADuplicatedEventOnce() {
        // a redelivery of b1 (same event id) arrives later; the trainer keeps the first delivery, as the pipeline does
        UserEvent redelivered = event("b1", "b", 0.5, "T1", "i2", 999.0);
        List<UserEvent> withDuplicate = new ArrayList<>(EVENTS);
        withDuplicate.add(redelivered);
        History once = history(EVENTS, LABELS);
        History twice = history(withDuplicate, LABELS);
        TimeSplit split = TimeSplit.of(Instant.ofEpochMilli(T0), once.end(), 0.5, 0.2);

        TrainingData expected = TrainingData.build(once, split, Duration.ofDays(1), SPEC);
        TrainingData deduplicated = TrainingData.build(twice, split, Duration.ofDays(1), SPEC);

        assertThat(deduplicated.duplicatesDropped()).isEqualTo(1);
        for (int u = 0; u < expected.sequences().size(); u++) {
            UserSequence a = expected.sequences().get(u);
            UserSequence b = deduplicated.sequences().get(u);
            assertThat(b.length()).isEqualTo(a.length());
            for (int i = 0; i < a.length(); i++) {
                assertThat(b.raw(i)).as(a.eventId(i)).containsExactly(a.raw(i));
            }
        }
        // the replay itself counts what it is given, so it refuses a repeated id rather than count it twice
        assertThatThrownBy(() -> EntityReplay.replay(ENTITIES, withDuplicate, LABELS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event id b1 appears twice");
    }

    @Test
    void shouldGiveAnEventWithoutTheAttributeTheMissingBlockAndNoState() {
        float[] missing = new float[TERMINAL.featureCount()];
        EntityWindows.encodeMissing(TERMINAL, missing, 0);
        List<EntityWindowSpec> terminal = List.of(TERMINAL);
        UserEvent emptyAttribute = event("e0", "c", 1.5, "", null, 7.0);
        List<UserEvent> withMissing = new ArrayList<>(EVENTS);
        withMissing.add(emptyAttribute);

        EntityReplay replay = EntityReplay.replay(terminal, withMissing, LABELS);
        EntityReplay without = EntityReplay.replay(terminal, EVENTS, LABELS);

        int b2 = EVENTS.indexOf(B2);
        assertThat(replayed(replay, b2)).containsExactly(missing);
        assertThat(replayed(replay, withMissing.size() - 1)).containsExactly(missing);
        assertThat(missing[missing.length - 1]).isEqualTo(1f);
        // the events with a terminal see exactly what they see without the event that has none
        for (int i = 0; i < EVENTS.size(); i++) {
            assertThat(replayed(replay, i)).containsExactly(replayed(without, i));
        }
    }

    @Test
    void shouldRefuseAReplayWithoutEntities() {
        assertThatThrownBy(() -> EntityReplay.replay(List.of(), EVENTS, LABELS))
                .hasMessageContaining("at least one entity type");
    }

    /** Encodes the event's entities by hand (null windows: the event has none of that type), then observes it. */
    private static float[] block(EntityWindows terminal, EntityWindows shop, UserEvent event) {
        float[] block = new float[BLOCK];
        long t = time(event);
        if (terminal == null) {
            EntityWindows.encodeMissing(TERMINAL, block, 0);
        } else {
            terminal.encode(t, block, 0);
            terminal.observe(t, event.getAmount());
        }
        if (shop == null) {
            EntityWindows.encodeMissing(SHOP, block, TERMINAL.featureCount());
        } else {
            shop.encode(t, block, TERMINAL.featureCount());
            shop.observe(t, event.getAmount());
        }
        return block;
    }

    private static float[] replayed(EntityReplay replay, int event) {
        return Arrays.copyOfRange(replay.blocks(), replay.offset(event), replay.offset(event) + replay.blockSize());
    }

    private static long time(UserEvent event) {
        return event.getEventTime().toEpochMilli();
    }

    private static History history(List<UserEvent> events, List<Label> labels) {
        return new History("hand-made", EventLog.of(events), labels,
                Instant.ofEpochMilli(T0 + 10 * DAY), true, Map.of(), null,
                Map.of());
    }

    private static UserEvent event(String id, String user, double day, String terminal, String item, double amount) {
        return UserEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setType(EventType.PAYMENT)
                .setEventTime(Instant.ofEpochMilli(T0 + Math.round(day * DAY)))
                .setItemId(item)
                .setAmount(amount)
                .setAttributes(terminal == null ? Map.of() : Map.of("terminal", terminal))
                .build();
    }

    private static Label fraud(String user, String eventId, double day, double observedDay, boolean positive) {
        return label(user, eventId, LabelKind.FRAUD, day, observedDay, positive);
    }

    private static Label label(String user, String eventId, LabelKind kind, double day, double observedDay,
            boolean positive) {
        return Label.newBuilder()
                .setUserId(user)
                .setKind(kind)
                .setPositive(positive)
                .setEventId(eventId)
                .setAppliesAt(Instant.ofEpochMilli(T0 + Math.round(day * DAY)))
                .setObservedAt(Instant.ofEpochMilli(T0 + Math.round(observedDay * DAY)))
                .setSource("test")
                .build();
    }
}

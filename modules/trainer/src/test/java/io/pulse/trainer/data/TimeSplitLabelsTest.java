package io.pulse.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.model.BehaviourWindows;
import io.pulse.model.FeatureEncoder;
import io.pulse.model.FeatureSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hand-made history over ten days: training days 0-5, validation 5-7, test 7-10, churn horizon one day. Each step's
 * labels are checked by hand against what is known at the end of its period.
 */
class TimeSplitLabelsTest {

    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final int M = UserSequence.MASKED;

    private static final List<UserEvent> EVENTS = List.of(
            event("a1", "a", EventType.VIEW, 0.0),
            event("a2", "a", EventType.CLICK, 0.5),
            event("b1", "b", EventType.LOGIN, 6.5),
            event("a3", "a", EventType.PURCHASE, 3.0),
            event("a4", "a", EventType.VIEW, 4.5),
            event("a5", "a", EventType.PAYMENT, 5.2),
            event("a5", "a", EventType.PAYMENT, 5.2), // a repeated delivery
            event("a6", "a", EventType.VIEW, 9.5),
            event("b2", "b", EventType.PAYMENT, 6.6),
            event("b3", "b", EventType.PAYMENT, 8.0));
    private static final List<Label> LABELS = List.of(
            fraud("b", "b2", 6.6, 6.9), // known before the validation period ends
            fraud("b", "b3", 8.0, 10.5)); // arrives after the data ends

    private static TrainingData data() {
        History history = new History("hand-made", EventLog.of(EVENTS), LABELS,
                T0.plusMillis(10 * DAY), true, Map.of(), null, Map.of());
        TimeSplit split = TimeSplit.of(T0, T0.plusMillis(10 * DAY), 0.5, 0.2);
        return TrainingData.build(history, split, Duration.ofDays(1));
    }

    @Test
    void shouldSplitTheTimeRangeByFractions() {
        TimeSplit split = data().split();
        assertThat(split.trainEnd()).isEqualTo(T0.plusMillis(5 * DAY));
        assertThat(split.validationEnd()).isEqualTo(T0.plusMillis(7 * DAY));
        assertThat(split.periodOf(T0.plusMillis(5 * DAY - 1).toEpochMilli())).isEqualTo(Period.TRAIN);
        assertThat(split.periodOf(T0.plusMillis(5 * DAY).toEpochMilli())).isEqualTo(Period.VALIDATION);
        assertThat(split.periodOf(T0.plusMillis(7 * DAY).toEpochMilli())).isEqualTo(Period.TEST);
    }

    @Test
    void shouldLabelEachStepOnlyWithWhatIsKnownWhenItsPeriodEnds() {
        TrainingData data = data();
        assertThat(data.duplicatesDropped()).isEqualTo(1);
        UserSequence a = data.sequences().get(0);
        assertThat(a.userId()).isEqualTo("a");
        assertThat(ids(a)).containsExactly("a1", "a2", "a3", "a4", "a5", "a6");
        assertThat(periods(a)).containsExactly(Period.TRAIN, Period.TRAIN, Period.TRAIN, Period.TRAIN,
                Period.VALIDATION, Period.TEST);
        // next action: a4's next event (day 5.2) lies after the training cut-off; a5's (day 9.5) after validation's
        assertThat(labels(a, Head.NEXT)).containsExactly(EventType.CLICK.ordinal(), EventType.PURCHASE.ordinal(),
                EventType.VIEW.ordinal(), M, M, M);
        // churn within a day: a1 returns after 0.5 d (0); a2 and a3 after 2.5 and 1.5 d (1); a4's day ends after the
        // cut-off (masked); a5 (validation, known by day 6.2 < 7) does not return for 4.3 d (1); a6's day runs past
        // the end of the data (masked)
        assertThat(labels(a, Head.CHURN)).containsExactly(0, 1, 1, M, 1, M);
        assertThat(labels(a, Head.FRAUD)).containsExactly(0, 0, 0, 0, 0, 0);

        UserSequence b = data.sequences().get(1);
        assertThat(periods(b)).containsExactly(Period.VALIDATION, Period.VALIDATION, Period.TEST);
        assertThat(labels(b, Head.NEXT)).containsExactly(EventType.PAYMENT.ordinal(), M, M);
        // b1 (day 6.5): its day ends after the validation period; b3 (day 8): no event by day 9 and the data goes on
        assertThat(labels(b, Head.CHURN)).containsExactly(M, M, 1);
        // b2's chargeback is known in its period; b3's arrives after the data ends, so b3 counts as genuine
        assertThat(labels(b, Head.FRAUD)).containsExactly(0, 1, 0);
    }

    @Test
    void shouldCountTheLabelsArrivedByTheTrainingTimeForAModelTrainedAfterItsData() {
        History history = new History("hand-made", EventLog.of(EVENTS), LABELS,
                T0.plusMillis(10 * DAY), true, Map.of(), null, Map.of());
        TimeSplit split = TimeSplit.of(T0, T0.plusMillis(10 * DAY), 0.5, 0.2);
        TrainingData late = TrainingData.build(history, split, Duration.ofDays(1), FeatureSpec.v1(),
                T0.plusMillis(11 * DAY));
        TrainingData early = TrainingData.build(history, split, Duration.ofDays(1), FeatureSpec.v1(),
                split.to());

        // b3's chargeback (day 10.5) has arrived by day 11, not by day 10; the other heads keep their period's rule
        assertThat(labels(late.sequences().get(1), Head.FRAUD)).containsExactly(0, 1, 1);
        assertThat(labels(early.sequences().get(1), Head.FRAUD)).containsExactly(0, 1, 0);
        for (int u = 0; u < 2; u++) {
            assertThat(labels(late.sequences().get(u), Head.NEXT)).isEqualTo(labels(data().sequences().get(u),
                    Head.NEXT));
            assertThat(labels(late.sequences().get(u), Head.CHURN)).isEqualTo(labels(data().sequences().get(u),
                    Head.CHURN));
        }
        assertThatThrownBy(() -> TrainingData.build(history, split, Duration.ofDays(1), FeatureSpec.v1(),
                T0.plusMillis(9 * DAY))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLearnNothingFromContextStepsBeforeTheSplitStartsButWarmTheWindowsWithThem() {
        History history = new History("hand-made", EventLog.of(EVENTS), LABELS,
                T0.plusMillis(10 * DAY), true, Map.of(), null, Map.of());
        // the same split as data(), but labels only from day 2: a1 (day 0) and a2 (day 0.5) are context
        TimeSplit split = new TimeSplit(T0.plusMillis(2 * DAY), T0.plusMillis(5 * DAY), T0.plusMillis(7 * DAY),
                T0.plusMillis(10 * DAY));
        TrainingData context = TrainingData.build(history, split, Duration.ofDays(1));
        UserSequence all = data().sequences().get(0);
        UserSequence a = context.sequences().get(0);

        assertThat(ids(a)).containsExactly("a1", "a2", "a3", "a4", "a5", "a6");
        assertThat(labels(a, Head.NEXT)).containsExactly(M, M, EventType.VIEW.ordinal(), M, M, M);
        assertThat(labels(a, Head.CHURN)).containsExactly(M, M, 1, M, 1, M);
        assertThat(labels(a, Head.FRAUD)).containsExactly(M, M, 0, 0, 0, 0);
        for (int i = 0; i < a.length(); i++) {
            // every step's features, the context steps' included, are those of the history without context
            assertThat(a.raw(i)).as("step %d", i).containsExactly(all.raw(i));
        }
        assertThat(context.summary(Period.TRAIN).nextActionLabels())
                .isEqualTo(data().summary(Period.TRAIN).nextActionLabels() - 2);
    }

    @Test
    void shouldNeverLabelATrainingStepWithAnOutcomeAfterTheCutOff() {
        TrainingData data = data();
        long cutOff = data.split().trainEnd().toEpochMilli();
        for (UserSequence s : data.sequences()) {
            for (int i = 0; i < s.length(); i++) {
                if (s.period(i) != Period.TRAIN) {
                    continue;
                }
                if (s.nextAction(i) != M) {
                    assertThat(s.timeMillis(i + 1)).isLessThan(cutOff);
                }
                if (s.churn(i) != M) {
                    assertThat(s.timeMillis(i) + DAY).isLessThanOrEqualTo(cutOff);
                }
            }
        }
    }

    @Test
    void shouldMaskFraudEverywhereWithoutFraudLabels() {
        History history = new History("no labels", EventLog.of(EVENTS), List.of(),
                T0.plusMillis(10 * DAY), false, Map.of(), null, Map.of());
        TrainingData data = TrainingData.build(history, TimeSplit.of(T0, T0.plusMillis(10 * DAY), 0.5, 0.2),
                Duration.ofDays(1));
        for (UserSequence s : data.sequences()) {
            assertThat(labels(s, Head.FRAUD)).containsOnly(M);
        }
        assertThat(data.summary(Period.TRAIN).fraudLabels()).isZero();
    }

    @Test
    void shouldEncodeFeaturesExactlyAsThePipelineEncoder() {
        UserSequence a = data().sequences().get(0);
        FeatureEncoder encoder = new FeatureEncoder(FeatureSpec.v1());
        BehaviourWindows windows = BehaviourWindows.empty();
        float[] raw = new float[FeatureSpec.v1().inputSize()];
        List<UserEvent> ordered = List.of(EVENTS.get(0), EVENTS.get(1), EVENTS.get(3), EVENTS.get(4), EVENTS.get(5),
                EVENTS.get(7));
        for (int i = 0; i < ordered.size(); i++) {
            UserEvent e = ordered.get(i);
            encoder.encode(e.getType(), e.getEventTime().toEpochMilli(), e.getAmount() == null ? Double.NaN
                    : e.getAmount(), Double.NaN, windows, raw);
            assertThat(a.raw(i)).as("step " + i).containsExactly(raw);
        }
    }

    @Test
    void shouldNormaliseWithTrainingStatisticsOnly() {
        FeatureSpec spec = data().normalisedSpec();
        int view = FeatureSpec.v1().names().indexOf("type_view");
        int login = FeatureSpec.v1().names().indexOf("type_login");
        // training steps: a1..a4 = VIEW, CLICK, PURCHASE, VIEW; b's LOGIN is in the validation period
        assertThat(spec.mean()[view]).isEqualTo(0.5f);
        assertThat(spec.std()[view]).isEqualTo(0.5f);
        assertThat(spec.mean()[login]).isZero();
        assertThat(spec.std()[login]).as("constant in training: identity").isEqualTo(1f);
    }

    private enum Head { NEXT, CHURN, FRAUD }

    private static int[] labels(UserSequence s, Head head) {
        int[] labels = new int[s.length()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = switch (head) {
                case NEXT -> s.nextAction(i);
                case CHURN -> s.churn(i);
                case FRAUD -> s.fraud(i);
            };
        }
        return labels;
    }

    private static String[] ids(UserSequence s) {
        String[] ids = new String[s.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = s.eventId(i);
        }
        return ids;
    }

    private static Period[] periods(UserSequence s) {
        Period[] periods = new Period[s.length()];
        for (int i = 0; i < periods.length; i++) {
            periods[i] = s.period(i);
        }
        return periods;
    }

    private static UserEvent event(String id, String user, EventType type, double day) {
        return UserEvent.newBuilder().setEventId(id).setUserId(user).setType(type)
                .setEventTime(T0.plusMillis(Math.round(day * DAY)))
                .setAmount(type == EventType.PAYMENT ? 42.0 : null).build();
    }

    private static Label fraud(String user, String eventId, double day, double observedDay) {
        return Label.newBuilder().setUserId(user).setKind(LabelKind.FRAUD).setPositive(true).setEventId(eventId)
                .setAppliesAt(T0.plusMillis(Math.round(day * DAY)))
                .setObservedAt(T0.plusMillis(Math.round(observedDay * DAY))).setSource("test").build();
    }
}

package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.EventType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every v1 feature on a hand-computed five-event history of one user. */
class FeatureEncoderTest {

    /** 2025-11-23T12:13:20Z, a Sunday (day of week 6 with Monday = 0). */
    private static final long T0 = 1_763_900_000_000L;
    private static final long MINUTE = 60_000L;
    private static final float EXACT = 1e-6f;
    /** Window counts are half-precision values. */
    private static final float HALF = 1e-3f;

    private final FeatureEncoder encoder = new FeatureEncoder(FeatureSpec.v1());
    private final BehaviourWindows windows = BehaviourWindows.empty();
    private final float[] x = new float[32];

    @Test
    void shouldNameThirtyTwoFeaturesInTheDocumentedOrder() {
        assertThat(FeatureSpec.v1().names()).hasSize(32).containsExactly(
                "type_unknown", "type_view", "type_click", "type_add_to_cart", "type_purchase", "type_rating",
                "type_login", "type_payment",
                "log_amount", "has_amount", "rating", "has_rating", "log_gap", "first_event",
                "hour_sin", "hour_cos", "dow_sin", "dow_cos",
                "events_1h", "events_24h", "events_7d", "events_30d",
                "amount_1h", "amount_24h", "amount_7d", "amount_30d",
                "payments_1h", "payments_24h", "purchases_7d", "gap_z", "log_events_seen", "out_of_order");
        assertThat(FeatureSpec.v1().inputSize()).isEqualTo(32);
    }

    @Test
    void shouldEncodeAUsersFirstEvent() {
        // Given a new user, when they view something at 12:13:20 UTC on a Sunday
        Observation observation = encoder.encode(EventType.VIEW, T0, Double.NaN, Double.NaN, windows, x);

        assertThat(observation.first()).isTrue();
        assertOneHot(EventType.VIEW);
        assertFeature("log_amount", 0f);
        assertFeature("has_amount", 0f);
        assertFeature("rating", 0f);
        assertFeature("has_rating", 0f);
        assertFeature("log_gap", 0f);
        assertFeature("first_event", 1f);
        double hourAngle = 2 * Math.PI * (12 + 13 / 60.0 + 20 / 3600.0) / 24;
        assertFeature("hour_sin", (float) Math.sin(hourAngle));
        assertFeature("hour_cos", (float) Math.cos(hourAngle));
        assertFeature("dow_sin", (float) Math.sin(2 * Math.PI * 6 / 7));
        assertFeature("dow_cos", (float) Math.cos(2 * Math.PI * 6 / 7));
        for (String window : List.of("events_1h", "events_24h", "events_7d", "events_30d", "amount_1h", "amount_24h",
                "amount_7d", "amount_30d", "payments_1h", "payments_24h", "purchases_7d")) {
            assertFeature(window, 0f);
        }
        assertFeature("gap_z", 0f);
        assertFeature("log_events_seen", 0f);
        assertFeature("out_of_order", 0f);
        // and the windows now hold the event
        assertThat(windows.eventsSeen()).isEqualTo(1);
    }

    @Test
    void shouldEncodeWindowsAsTheyWereBeforeEachEvent() {
        encoder.encode(EventType.VIEW, T0, Double.NaN, Double.NaN, windows, x);

        // a payment of 99 thirty minutes later
        encoder.encode(EventType.PAYMENT, T0 + 30 * MINUTE, 99.0, Double.NaN, windows, x);
        assertOneHot(EventType.PAYMENT);
        assertFeature("log_amount", (float) Math.log(100));
        assertFeature("has_amount", 1f);
        assertFeature("log_gap", (float) Math.log1p(1800));
        assertFeature("first_event", 0f);
        assertFeature("events_1h", (float) Math.log1p(Math.exp(-0.5)));
        assertFeature("events_24h", (float) Math.log1p(Math.exp(-30.0 / 1440)));
        assertFeature("events_30d", (float) Math.log1p(Math.exp(-30.0 / 43_200)));
        assertFeature("amount_1h", 0f);
        assertFeature("payments_1h", 0f);
        assertFeature("gap_z", 0f); // no gap statistics before the first gap
        assertFeature("log_events_seen", (float) Math.log(2));

        // a 4-star rating ten minutes after the payment
        encoder.encode(EventType.RATING, T0 + 40 * MINUTE, Double.NaN, 4.0, windows, x);
        assertOneHot(EventType.RATING);
        assertFeature("has_amount", 0f);
        assertFeature("rating", 0.8f);
        assertFeature("has_rating", 1f);
        assertFeature("log_gap", (float) Math.log1p(600));
        assertFeature("events_1h", (float) Math.log1p((Math.exp(-0.5) + 1) * Math.exp(-10.0 / 60)), HALF);
        assertFeature("amount_1h", (float) Math.log1p(99 * Math.exp(-10.0 / 60)));
        assertFeature("amount_24h", (float) Math.log1p(99 * Math.exp(-10.0 / 1440)));
        assertFeature("payments_1h", (float) Math.log1p(Math.exp(-10.0 / 60)));
        assertFeature("payments_24h", (float) Math.log1p(Math.exp(-10.0 / 1440)));
        // (log1p(600) - mean log1p(1800)) / max(std 1, 0.1)
        assertFeature("gap_z", (float) (Math.log1p(600) - Math.log1p(1800)));
        assertFeature("log_events_seen", (float) Math.log(3));
        assertFeature("out_of_order", 0f);
    }

    @Test
    void shouldFlagOutOfOrderEventsAndLeaveTheirGapOut() {
        encoder.encode(EventType.VIEW, T0, Double.NaN, Double.NaN, windows, x);
        encoder.encode(EventType.CLICK, T0 + 40 * MINUTE, Double.NaN, Double.NaN, windows, x);

        // a purchase from 35 minutes before the newest event arrives late, with a refund amount
        Observation late = encoder.encode(EventType.PURCHASE, T0 + 5 * MINUTE, -20.0, Double.NaN, windows, x);
        assertThat(late.outOfOrder()).isTrue();
        assertFeature("out_of_order", 1f);
        assertFeature("log_gap", 0f);
        assertFeature("gap_z", 0f);
        assertFeature("first_event", 0f);
        assertFeature("log_amount", (float) -Math.log1p(20));
        assertFeature("has_amount", 1f);
        // windows are read as stored (as of the newest event), not decayed backwards
        assertFeature("events_1h", (float) Math.log1p(Math.exp(-40.0 / 60) + 1), HALF);
        assertFeature("purchases_7d", 0f);

        // the late purchase now counts with weight e^(-35 min / 7 d)
        encoder.encode(EventType.PURCHASE, T0 + 40 * MINUTE, 30.0, Double.NaN, windows, x);
        assertFeature("purchases_7d", (float) Math.log1p(Math.exp(-35.0 / 10_080)), HALF);
        assertFeature("log_gap", 0f); // same millisecond as the previous in-order event
        assertFeature("out_of_order", 0f);
        assertFeature("log_events_seen", (float) Math.log(4));
    }

    @Test
    void shouldEncodeDeterministically() {
        float[] first = new float[32];
        float[] second = new float[32];
        BehaviourWindows a = BehaviourWindows.empty();
        BehaviourWindows b = BehaviourWindows.empty();
        for (int i = 0; i < 300; i++) {
            EventType type = EventType.values()[i % 8];
            long time = T0 + i * 37 * MINUTE - (i % 5 == 0 ? 90 * MINUTE : 0);
            encoder.encode(type, time, i % 3 == 0 ? i : Double.NaN, Double.NaN, a, first);
            encoder.encode(type, time, i % 3 == 0 ? i : Double.NaN, Double.NaN, b, second);
            assertThat(first).containsExactly(second);
        }
    }

    private void assertOneHot(EventType type) {
        for (EventType t : EventType.values()) {
            assertThat(x[t.ordinal()]).as("type_" + t).isEqualTo(t == type ? 1f : 0f);
        }
    }

    private void assertFeature(String name, float expected) {
        assertFeature(name, expected, EXACT);
    }

    private void assertFeature(String name, float expected, float tolerance) {
        int index = FeatureSpec.v1().names().indexOf(name);
        assertThat(index).as(name).isNotNegative();
        assertThat(x[index]).as(name).isCloseTo(expected, within(tolerance));
    }
}

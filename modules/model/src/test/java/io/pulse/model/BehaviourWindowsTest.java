package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.EventType;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BehaviourWindowsTest {

    private static final long T0 = 1_763_900_000_000L; // 2025-11-23T12:13:20Z
    private static final long MINUTE = 60_000L;
    /** Half precision: relative spacing 2^-10, stochastic rounding error below one spacing. */
    private static final double HALF = 1e-3;

    @Test
    void shouldCountTheFirstEventAndDecayItOnRead() {
        BehaviourWindows windows = BehaviourWindows.empty();
        Observation observation = windows.observe(EventType.VIEW, T0, Double.NaN);

        assertThat(observation).isEqualTo(new Observation(-1, false, true));
        assertThat(windows.count(EventType.VIEW, Horizon.HOUR, T0)).isEqualTo(1.0);
        // one hour later the 1h counter holds e^-1, the 24h one e^-(1/24)
        assertThat(windows.count(EventType.VIEW, Horizon.HOUR, T0 + 60 * MINUTE)).isCloseTo(Math.exp(-1), within(1e-12));
        assertThat(windows.count(EventType.VIEW, Horizon.DAY, T0 + 60 * MINUTE))
                .isCloseTo(Math.exp(-1.0 / 24), within(1e-12));
        assertThat(windows.countAll(Horizon.WEEK, T0)).isEqualTo(1.0);
        assertThat(windows.amountSum(Horizon.HOUR, T0)).isZero();
        assertThat(windows.lastSeenMillis()).isEqualTo(T0);
        assertThat(windows.firstSeenMillis()).isEqualTo(T0);
        assertThat(windows.eventsSeen()).isEqualTo(1);
        assertThat(windows.hasGapStats()).isFalse();
        assertThat(windows.typicalGapMillis()).isEqualTo(86_400_000.0);
    }

    @Test
    void shouldDecayEveryCounterToAnInOrderEventThenAddIt() {
        BehaviourWindows windows = BehaviourWindows.empty();
        windows.observe(EventType.VIEW, T0, Double.NaN);

        Observation observation = windows.observe(EventType.PAYMENT, T0 + 30 * MINUTE, 10.0);

        assertThat(observation).isEqualTo(new Observation(30 * MINUTE, false, false));
        assertThat(windows.count(EventType.VIEW, Horizon.HOUR, T0 + 30 * MINUTE))
                .isCloseTo(Math.exp(-0.5), within(Math.exp(-0.5) * HALF));
        assertThat(windows.count(EventType.PAYMENT, Horizon.HOUR, T0 + 30 * MINUTE)).isEqualTo(1.0);
        assertThat(windows.countAll(Horizon.HOUR, T0 + 30 * MINUTE)).isCloseTo(1 + Math.exp(-0.5), within(HALF));
        assertThat(windows.amountSum(Horizon.HOUR, T0 + 30 * MINUTE)).isEqualTo(10.0);
        assertThat(windows.amountSum(Horizon.HOUR, T0 + 90 * MINUTE)).isCloseTo(10 * Math.exp(-1), within(1e-5));
        // amounts that are missing, zero, negative or infinite are not summed
        windows.observe(EventType.PAYMENT, T0 + 30 * MINUTE, -3.0);
        windows.observe(EventType.PAYMENT, T0 + 30 * MINUTE, Double.POSITIVE_INFINITY);
        assertThat(windows.amountSum(Horizon.HOUR, T0 + 30 * MINUTE)).isEqualTo(10.0);
    }

    @Test
    void shouldAddOutOfOrderEventsWithTheirAgeAsWeightAndKeepLastSeen() {
        BehaviourWindows windows = BehaviourWindows.empty();
        windows.observe(EventType.VIEW, T0, Double.NaN);
        windows.observe(EventType.VIEW, T0 + 60 * MINUTE, Double.NaN);
        double meanBefore = windows.meanLogGap();

        // an event that happened 50 minutes before the newest one arrives late
        Observation observation = windows.observe(EventType.PURCHASE, T0 + 10 * MINUTE, 5.0);

        assertThat(observation).isEqualTo(new Observation(-1, true, false));
        assertThat(windows.lastSeenMillis()).isEqualTo(T0 + 60 * MINUTE);
        double hourWeight = Math.exp(-50.0 / 60);
        assertThat(windows.count(EventType.PURCHASE, Horizon.HOUR, T0 + 60 * MINUTE))
                .isCloseTo(hourWeight, within(hourWeight * HALF));
        assertThat(windows.count(EventType.PURCHASE, Horizon.MONTH, T0 + 60 * MINUTE))
                .isCloseTo(Math.exp(-50.0 / 43_200), within(HALF));
        assertThat(windows.amountSum(Horizon.HOUR, T0 + 60 * MINUTE)).isCloseTo(5 * hourWeight, within(1e-5));
        assertThat(windows.meanLogGap()).isEqualTo(meanBefore);
        assertThat(windows.eventsSeen()).isEqualTo(3);
        assertThat(windows.firstSeenMillis()).isEqualTo(T0);

        windows.observe(EventType.LOGIN, T0 - 5 * MINUTE, Double.NaN);
        assertThat(windows.firstSeenMillis()).isEqualTo(T0 - 5 * MINUTE);
    }

    @Test
    void shouldReturnStoredValuesWhenReadBeforeLastSeen() {
        BehaviourWindows windows = BehaviourWindows.empty();
        windows.observe(EventType.CLICK, T0, 2.0);
        assertThat(windows.count(EventType.CLICK, Horizon.HOUR, T0 - 60 * MINUTE)).isEqualTo(1.0);
        assertThat(windows.amountSum(Horizon.HOUR, T0 - 60 * MINUTE)).isEqualTo(2.0);
        assertThat(BehaviourWindows.empty().countAll(Horizon.HOUR, T0)).isZero();
    }

    @Test
    void shouldLearnExponentiallyWeightedGapStatistics() {
        BehaviourWindows windows = BehaviourWindows.empty();
        windows.observe(EventType.VIEW, T0, Double.NaN);
        windows.observe(EventType.VIEW, T0 + 30 * MINUTE, Double.NaN);
        double first = Math.log1p(1800);
        assertThat(windows.meanLogGap()).isCloseTo(first, within(1e-6));
        assertThat(windows.stdLogGap()).isEqualTo(1.0);
        assertThat(windows.typicalGapMillis()).isCloseTo(1_800_000, within(1.0));

        windows.observe(EventType.VIEW, T0 + 30 * MINUTE + 9_000, Double.NaN); // a 9 s gap
        double second = Math.log1p(9);
        double mean = first + 0.1 * (second - first);
        double variance = 0.9 * (1.0 + (second - first) * 0.1 * (second - first));
        assertThat(windows.meanLogGap()).isCloseTo(mean, within(1e-5));
        assertThat(windows.stdLogGap()).isCloseTo(Math.sqrt(variance), within(1e-5));
    }

    @Test
    void shouldKeepCountingPastTheHalfPrecisionSpacing() {
        // 10,000 events a second apart: round-to-nearest halves would stick at 2048, stochastic rounding does not.
        BehaviourWindows windows = BehaviourWindows.empty();
        double expected = 0;
        for (int i = 0; i < 10_000; i++) {
            windows.observe(EventType.CLICK, T0 + i * 1000L, Double.NaN);
            expected = expected * Math.exp(-1000.0 / Horizon.MONTH.millis()) + 1;
        }
        long end = T0 + 9_999_000L;
        assertThat(windows.count(EventType.CLICK, Horizon.MONTH, end)).isCloseTo(expected, within(expected * 0.02));
        double hourly = (1 - Math.exp(-10_000.0 / 3600)) / (1 - Math.exp(-1.0 / 3600));
        assertThat(windows.count(EventType.CLICK, Horizon.HOUR, end)).isCloseTo(hourly, within(hourly * 0.02));
    }

    @Test
    void shouldFitInAtMost110BytesAndRoundTripExactly() {
        assertThat(BehaviourWindows.SERIALIZED_BYTES).isLessThanOrEqualTo(110);
        BehaviourWindows windows = randomHistory(new Random(3), 500);
        ByteBuffer buffer = ByteBuffer.allocate(200);
        windows.writeTo(buffer);
        assertThat(buffer.position()).isEqualTo(BehaviourWindows.SERIALIZED_BYTES);
        buffer.flip();

        BehaviourWindows copy = BehaviourWindows.readFrom(buffer);

        assertThat(copy.toBytes()).containsExactly(windows.toBytes());
        assertThat(BehaviourWindows.fromBytes(BehaviourWindows.empty().toBytes()).lastSeenMillis())
                .isEqualTo(Long.MIN_VALUE);
        for (Horizon h : Horizon.values()) {
            assertThat(copy.countAll(h, T0 + 1000 * MINUTE)).isEqualTo(windows.countAll(h, T0 + 1000 * MINUTE));
            assertThat(copy.amountSum(h, T0)).isEqualTo(windows.amountSum(h, T0));
        }
        assertThat(copy.meanLogGap()).isEqualTo(windows.meanLogGap());
        assertThat(copy.stdLogGap()).isEqualTo(windows.stdLogGap());
        assertThat(copy.eventsSeen()).isEqualTo(windows.eventsSeen());
        assertThat(copy.firstSeenMillis()).isEqualTo(windows.firstSeenMillis());
    }

    @Test
    void shouldComputeTheSameWindowsWhetherOrNotStateIsStoredAfterEveryEvent() {
        // The trainer keeps windows in memory; the pipeline reads and writes them per event: same bits.
        BehaviourWindows inMemory = BehaviourWindows.empty();
        BehaviourWindows stored = BehaviourWindows.empty();
        Random random = new Random(11);
        long time = T0;
        for (int i = 0; i < 2000; i++) {
            time += (long) (random.nextDouble() * 3_600_000) - 300_000;
            EventType type = EventType.values()[random.nextInt(8)];
            double amount = random.nextBoolean() ? random.nextDouble() * 100 : Double.NaN;
            inMemory.observe(type, time, amount);
            stored.observe(type, time, amount);
            stored = BehaviourWindows.fromBytes(stored.toBytes());
        }
        assertThat(stored.toBytes()).containsExactly(inMemory.toBytes());
    }

    @Test
    void shouldRefuseTruncatedOrUnknownBytes() {
        byte[] bytes = BehaviourWindows.empty().toBytes();
        assertThatThrownBy(() -> BehaviourWindows.readFrom(ByteBuffer.wrap(bytes, 0, 50)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        bytes[0] = 9;
        assertThatThrownBy(() -> BehaviourWindows.fromBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown BehaviourWindows format 9");
    }

    static BehaviourWindows randomHistory(Random random, int events) {
        BehaviourWindows windows = BehaviourWindows.empty();
        long time = T0;
        for (int i = 0; i < events; i++) {
            time += (long) (random.nextDouble() * 600_000);
            windows.observe(EventType.values()[random.nextInt(8)], time,
                    random.nextBoolean() ? random.nextDouble() * 500 : Double.NaN);
        }
        return windows;
    }
}

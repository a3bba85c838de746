package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EntityWindowsTest {

    private static final long T0 = 1_533_081_600_000L; // 2018-08-01T00:00:00Z
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    static Stream<EntityWindowSpec> specs() {
        return Stream.of(
                EntityWindowSpec.daily("terminal"),
                new EntityWindowSpec("device", List.of(Duration.ofMinutes(10), Duration.ofHours(2)),
                        Duration.ofHours(3), Duration.ofHours(1)),
                new EntityWindowSpec("merchant", List.of(Duration.ofHours(1), Duration.ofDays(7)), Duration.ZERO,
                        Duration.ofMinutes(30)));
    }

    /** A transaction or a fraud label, as a plain reference computation sees it. */
    private record Tx(long time, double amount) {
    }

    private record FraudLabel(long transactionTime, long arrival) {
    }

    /**
     * The definitions of the class comment, summed directly over everything applied so far (O(n) per query):
     * what the constant-size state must reproduce.
     */
    private static final class Reference {
        final EntityWindowSpec spec;
        final List<Tx> transactions = new ArrayList<>();
        final List<FraudLabel> allLabels = new ArrayList<>();

        Reference(EntityWindowSpec spec) {
            this.spec = spec;
        }

        /** Labels known at processing time {@code now}: only those that have arrived strictly before it. */
        List<FraudLabel> known(long now) {
            return allLabels.stream().filter(l -> l.arrival() < now).toList();
        }

        long stateTime(long now) {
            long state = transactions.stream().mapToLong(Tx::time).max().orElse(Long.MIN_VALUE);
            for (FraudLabel label : known(now)) {
                state = Math.max(state, label.transactionTime());
            }
            return state;
        }

        double[] expected(int h, long at, long now) {
            long read = Math.max(at, stateTime(now));
            double horizon = spec.horizonMillis(h);
            long cutoff = Math.floorDiv(read - spec.labelDelayMillis(), spec.bucketMillis()) * spec.bucketMillis();
            double tx = 0;
            double amount = 0;
            double matured = 0;
            for (Tx t : transactions) {
                tx += Math.exp(-(read - t.time()) / horizon);
                amount += (t.amount() > 0 ? t.amount() : 0) * Math.exp(-(read - t.time()) / horizon);
                if (t.time() < cutoff) {
                    matured += Math.exp(-(cutoff - t.time()) / horizon);
                }
            }
            double frauds = 0;
            double maturedFrauds = 0;
            for (FraudLabel l : known(now)) {
                frauds += Math.exp(-(read - l.transactionTime()) / horizon);
                if (l.transactionTime() < cutoff) {
                    maturedFrauds += Math.exp(-(cutoff - l.transactionTime()) / horizon);
                }
            }
            return new double[] {tx, amount, frauds, matured, maturedFrauds};
        }
    }

    private static void assertMatches(EntityWindows windows, Reference reference, long at, long now) {
        for (int h = 0; h < windows.spec().horizonCount(); h++) {
            double[] expected = reference.expected(h, at, now);
            String where = "horizon " + h + " at " + (at - T0) + " ms";
            assertThat(windows.transactions(h, at)).as("transactions, " + where)
                    .isCloseTo(expected[0], within(tolerance(expected[0])));
            assertThat(windows.amountSum(h, at)).as("amount, " + where)
                    .isCloseTo(expected[1], within(tolerance(expected[1])));
            assertThat(windows.knownFrauds(h, at)).as("known frauds, " + where)
                    .isCloseTo(expected[2], within(tolerance(expected[2])));
            assertThat(windows.matured(h, at)).as("matured, " + where)
                    .isCloseTo(expected[3], within(tolerance(expected[3])));
            if (expected[3] > 1e-20) { // below that a float sum has underflowed: the ratio is noise either way
                assertThat(windows.risk(h, at)).as("risk, " + where)
                        .isCloseTo(Math.min(1.0, expected[4] / expected[3]), within(1e-3));
            }
        }
        long lastFraud = reference.known(now).stream().mapToLong(FraudLabel::transactionTime).max()
                .orElse(Long.MIN_VALUE);
        assertThat(windows.lastKnownFraudMillis()).isEqualTo(lastFraud);
    }

    /** Float sums against double sums: relative error of a few hundred float additions, plus underflow. */
    private static double tolerance(double expected) {
        return 2e-4 * Math.abs(expected) + 1e-6;
    }

    /**
     * Drives {@code windows} and {@code reference} with one random stream: transactions mostly in order, some late
     * by up to 3 days, with or without amounts; 8 % fraudulent, each label arriving 0 to 10 days later (some before
     * the label delay, most after). Every query is checked before its transaction is applied.
     */
    private static void replay(EntityWindows windows, Reference reference, long seed, int events) {
        Random random = new Random(seed);
        List<FraudLabel> pending = new ArrayList<>();
        long now = T0;
        for (int i = 0; i < events; i++) {
            now += (long) (-Math.log(1 - random.nextDouble()) * 90 * MINUTE) + 1;
            applyArrived(windows, reference, pending, now);
            long time = random.nextDouble() < 0.15 ? now - (long) (random.nextDouble() * 3 * DAY) : now;
            double amount = random.nextDouble() < 0.2 ? Double.NaN : 1 + random.nextDouble() * 499;
            assertMatches(windows, reference, time, now);
            assertMatches(windows, reference, now + random.nextInt(5) * DAY, now);
            windows.observe(time, amount);
            reference.transactions.add(new Tx(time, amount));
            if (random.nextDouble() < 0.08) {
                FraudLabel label = new FraudLabel(time, now + (long) (random.nextDouble() * 10 * DAY));
                pending.add(label);
                reference.allLabels.add(label);
            }
        }
        applyArrived(windows, reference, pending, Long.MAX_VALUE);
    }

    /** Applies, in arrival order, the pending labels that arrived before {@code now}. */
    private static void applyArrived(EntityWindows windows, Reference reference, List<FraudLabel> pending,
            long now) {
        pending.sort((a, b) -> Long.compare(a.arrival(), b.arrival()));
        while (!pending.isEmpty() && pending.get(0).arrival() < now) {
            windows.observeFraud(pending.remove(0).transactionTime());
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void shouldMatchAPlainReferenceComputationOverARandomStream(EntityWindowSpec spec) {
        EntityWindows windows = EntityWindows.empty(spec);
        Reference reference = new Reference(spec);

        replay(windows, reference, 14L, 600);

        long end = windows.stateMillis();
        for (long later = 0; later <= 40 * DAY; later += 7 * HOUR) {
            assertMatches(windows, reference, end + later, Long.MAX_VALUE);
        }
        assertThat(windows.transactionsSeen()).isEqualTo(600);
        assertThat(windows.fraudsSeen()).isEqualTo(reference.allLabels.size()).isPositive();
    }

    @Test
    void shouldNotSeeAFraudLabelBeforeItArrivesAndWeighItByItsTransactionTime() {
        EntityWindowSpec spec = EntityWindowSpec.daily("terminal");
        EntityWindows windows = EntityWindows.empty(spec);
        for (int day = 0; day < 9; day++) {
            windows.observe(T0 + day * DAY + 12 * HOUR, 50.0);
        }
        long fraudTime = T0 + 1 * DAY + 12 * HOUR;
        long arrival = T0 + 9 * DAY;
        int week = 1;

        // before the label arrives nothing about it is known, whatever the query time
        assertThat(windows.knownFrauds(week, arrival - 1)).isZero();
        assertThat(windows.risk(week, arrival - 1)).isZero();
        assertThat(windows.lastKnownFraudMillis()).isEqualTo(Long.MIN_VALUE);
        float[] before = new float[spec.featureCount()];
        windows.encode(arrival - 1, before, 0);

        windows.observeFraud(fraudTime);

        long read = windows.stateMillis(); // day 8 12:00, the newest transaction
        assertThat(windows.knownFrauds(week, read)).isCloseTo(Math.exp(-(7.0 / 7)), within(1e-6));
        // at day 8 12:00 the cutoff is day 1 00:00: the fraud (day 1 12:00) is not matured yet
        assertThat(windows.risk(week, read)).isZero();
        // at day 9 the cutoff is day 2 00:00: transactions of days 0 and 1, one of them the fraud
        double day0 = Math.exp(-1.5 / 7);
        double day1 = Math.exp(-0.5 / 7);
        assertThat(windows.risk(week, arrival)).isCloseTo(day1 / (day0 + day1), within(1e-6));
        float[] after = new float[spec.featureCount()];
        windows.encode(arrival, after, 0);
        int noKnownFraud = spec.featureNames().indexOf("terminal_no_known_fraud");
        assertThat(before[noKnownFraud]).isEqualTo(1f);
        assertThat(after[noKnownFraud]).isZero();
        assertThat(after[spec.featureNames().indexOf("terminal_log_days_since_fraud")])
                .isCloseTo((float) Math.log1p(7.5), within(1e-6f));
    }

    @Test
    void shouldCountARepeatedTransactionOrLabelTwiceBecauseTheCallerDeduplicates() {
        EntityWindowSpec spec = EntityWindowSpec.daily("terminal");
        EntityWindows once = EntityWindows.empty(spec);
        EntityWindows twice = EntityWindows.empty(spec);
        once.observe(T0, 10.0);
        twice.observe(T0, 10.0);
        twice.observe(T0, 10.0); // a redelivery the caller failed to drop
        twice.observeFraud(T0);
        twice.observeFraud(T0);

        assertThat(once.transactions(0, T0)).isEqualTo(1.0);
        assertThat(twice.transactions(0, T0)).isEqualTo(2.0);
        assertThat(twice.amountSum(0, T0)).isEqualTo(20.0);
        assertThat(twice.knownFrauds(0, T0)).isEqualTo(2.0);
        assertThat(twice.transactionsSeen()).isEqualTo(2);
        assertThat(twice.fraudsSeen()).isEqualTo(2);
    }

    @Test
    void shouldKeepCountingAHotEntityPastTheLargestHalf() {
        EntityWindowSpec spec = EntityWindowSpec.daily("terminal");
        EntityWindows windows = EntityWindows.empty(spec);
        int events = 200_000;
        for (int i = 0; i < events; i++) {
            windows.observe(T0 + i * 100L, 1.0); // 10 per second for 5.6 hours
        }
        long end = T0 + (events - 1) * 100L;
        double expected = 0;
        for (int i = 0; i < events; i++) {
            expected += Math.exp(-(end - (T0 + i * 100.0)) / DAY);
        }

        assertThat(windows.transactions(0, end)).isGreaterThan(Half.MAX_VALUE)
                .isCloseTo(expected, within(expected * 1e-3));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void shouldRoundTripThroughBytesAndEvolveIdentically(EntityWindowSpec spec) {
        EntityWindows windows = EntityWindows.empty(spec);
        assertThat(EntityWindows.fromBytes(spec, windows.toBytes()).toBytes()).isEqualTo(windows.toBytes());
        replay(windows, new Reference(spec), 7L, 300);

        byte[] bytes = windows.toBytes();
        EntityWindows copy = EntityWindows.fromBytes(spec, bytes);

        assertThat(bytes).hasSize(spec.serializedBytes());
        assertThat(copy.toBytes()).isEqualTo(bytes);
        long next = windows.stateMillis() + 3 * DAY + 17;
        for (EntityWindows w : List.of(windows, copy)) {
            w.observe(next, 42.0);
            w.observe(next - 2 * DAY, Double.NaN);
            w.observeFraud(next - DAY);
        }
        assertThat(copy.toBytes()).isEqualTo(windows.toBytes());
        float[] features = new float[spec.featureCount()];
        float[] copied = new float[spec.featureCount()];
        windows.encode(next + DAY, features, 0);
        copy.encode(next + DAY, copied, 0);
        assertThat(copied).containsExactly(features);
    }

    @Test
    void shouldRefuseBytesOfAnotherShapeOrTruncated() {
        EntityWindowSpec daily = EntityWindowSpec.daily("terminal");
        EntityWindowSpec shorterDelay = new EntityWindowSpec("terminal", daily.horizons(), Duration.ofDays(6),
                Duration.ofDays(1));
        EntityWindowSpec otherHorizon = new EntityWindowSpec("terminal",
                List.of(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(31)), Duration.ofDays(7),
                Duration.ofDays(1));
        EntityWindows windows = EntityWindows.empty(daily);
        windows.observe(T0, 1.0);
        byte[] bytes = windows.toBytes();

        assertThatThrownBy(() -> EntityWindows.fromBytes(shorterDelay, bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another shape");
        assertThatThrownBy(() -> EntityWindows.fromBytes(otherHorizon, bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another shape");
        assertThatThrownBy(() -> EntityWindows.fromBytes(daily, Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThatThrownBy(() -> EntityWindows.readFrom(daily, ByteBuffer.wrap(future)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format 9");
    }

    @Test
    void shouldEncodeFeaturesInNameOrderAndMarkAMissingEntity() {
        EntityWindowSpec spec = EntityWindowSpec.daily("terminal");
        EntityWindows windows = EntityWindows.empty(spec);
        windows.observe(T0, 100.0);
        windows.observe(T0 + DAY, 30.0);
        windows.observeFraud(T0);
        long at = T0 + 9 * DAY;
        float[] out = new float[spec.featureCount() + 2];
        Arrays.fill(out, -7f);

        windows.encode(at, out, 1);

        List<String> names = spec.featureNames();
        assertThat(names).hasSize(spec.featureCount()).doesNotHaveDuplicates().startsWith("terminal_tx_1d",
                "terminal_tx_7d", "terminal_tx_30d", "terminal_amount_1d");
        assertThat(out[0]).isEqualTo(-7f);
        assertThat(out[out.length - 1]).isEqualTo(-7f);
        assertThat(out[1 + names.indexOf("terminal_tx_7d")])
                .isEqualTo((float) Math.log1p(windows.transactions(1, at)));
        assertThat(out[1 + names.indexOf("terminal_amount_30d")])
                .isEqualTo((float) Math.log1p(windows.amountSum(2, at)));
        assertThat(out[1 + names.indexOf("terminal_known_frauds_1d")])
                .isEqualTo((float) Math.log1p(windows.knownFrauds(0, at)));
        assertThat(out[1 + names.indexOf("terminal_matured_7d")])
                .isEqualTo((float) Math.log1p(windows.matured(1, at)));
        assertThat(out[1 + names.indexOf("terminal_risk_30d")]).isEqualTo((float) windows.risk(2, at)).isPositive();
        assertThat(out[1 + names.indexOf("terminal_missing")]).isZero();

        float[] missing = new float[spec.featureCount()];
        Arrays.fill(missing, 3f);
        EntityWindows.encodeMissing(spec, missing, 0);
        float[] expected = new float[spec.featureCount()];
        expected[names.indexOf("terminal_missing")] = 1f;
        assertThat(missing).containsExactly(expected);
    }

    @Test
    void shouldDescribeAnEntityNeverSeenAsEmpty() {
        EntityWindowSpec spec = EntityWindowSpec.daily("terminal");
        EntityWindows windows = EntityWindows.empty(spec);
        float[] out = new float[spec.featureCount()];

        windows.encode(T0, out, 0);

        float[] expected = new float[spec.featureCount()];
        expected[spec.featureNames().indexOf("terminal_no_known_fraud")] = 1f;
        assertThat(out).containsExactly(expected);
        assertThat(windows.stateMillis()).isEqualTo(Long.MIN_VALUE);
        assertThat(spec.snapshots()).isEqualTo(8);
        assertThat(spec.serializedBytes()).isEqualTo(31 + 4 * 3 * (3 + 2 * 8));
    }

    @Test
    void shouldRefuseAnUnusableSpec() {
        List<Duration> days = List.of(Duration.ofDays(1));
        assertThatThrownBy(() -> new EntityWindowSpec("Terminal", days, Duration.ZERO, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entity type");
        assertThatThrownBy(() -> new EntityWindowSpec("t", List.of(), Duration.ZERO, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 8 horizons");
        assertThatThrownBy(() -> new EntityWindowSpec("t", List.of(Duration.ofDays(7), Duration.ofDays(1)),
                Duration.ZERO, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> new EntityWindowSpec("t", List.of(Duration.ofMillis(1500)), Duration.ZERO,
                Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> new EntityWindowSpec("t", days, Duration.ofDays(-1), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label delay");
        assertThatThrownBy(() -> new EntityWindowSpec("t", days, Duration.ofDays(70), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("coarser bucket");
        assertThat(EntityWindowSpec.label(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(EntityWindowSpec.label(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(EntityWindowSpec.label(Duration.ofHours(36))).isEqualTo("36h");
    }
}

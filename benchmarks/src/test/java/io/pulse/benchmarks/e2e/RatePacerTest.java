package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RatePacerTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldMakeOneEventDuePerIntervalFromTheStart() {
        RatePacer pacer = new RatePacer(1_000, 5_000 * MS); // 1,000/s: one event per millisecond

        assertThat(pacer.dueBy(4_999 * MS)).isZero();
        assertThat(pacer.dueBy(5_000 * MS)).isEqualTo(1);
        assertThat(pacer.dueBy(5_000 * MS + MS - 1)).isEqualTo(1);
        assertThat(pacer.dueBy(5_001 * MS)).isEqualTo(2);
        assertThat(pacer.dueBy(6_000 * MS)).isEqualTo(1_001);
    }

    @Test
    void shouldLetASenderThatFellBehindCatchUpAtOnce() {
        RatePacer pacer = new RatePacer(2_000, 0);

        // when the sender wakes up 10 ms late, 20 more events are due at once (open loop: the load is not lowered)
        assertThat(pacer.dueBy(10 * MS) - pacer.dueBy(0)).isEqualTo(20);
    }

    @Test
    void shouldScheduleEachEventAtItsDueTime() {
        RatePacer pacer = new RatePacer(4_000, 100 * MS);

        assertThat(pacer.dueAt(0)).isEqualTo(100 * MS);
        assertThat(pacer.dueAt(4_000)).isEqualTo(1_100 * MS);
        for (long i = 0; i < 10_000; i += 7) {
            assertThat(pacer.dueBy(pacer.dueAt(i))).isGreaterThanOrEqualTo(i + 1);
        }
    }

    @Test
    void shouldRefuseRatesThatAreNotPositiveAndFinite() {
        assertThatThrownBy(() -> new RatePacer(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RatePacer(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RatePacer(Double.POSITIVE_INFINITY, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

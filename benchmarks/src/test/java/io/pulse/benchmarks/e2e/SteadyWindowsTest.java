package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SteadyWindowsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldRateEachCompleteWindowByTheCountVisibleAtItsEdges() {
        SteadyWindows windows = new SteadyWindows();
        windows.record(SECOND / 2, 100);
        windows.record(SECOND, 300);
        windows.record(16 * SECOND / 10, 500);
        windows.record(22 * SECOND / 10, 800);
        windows.record(305 * SECOND / 100, 1000);

        // [1 s, 2 s): 300 -> 500 visible; [2 s, 3 s): 500 -> 800; [3 s, 4 s) ends after the last count: dropped
        assertThat(windows.rates(SECOND, SECOND)).containsExactly(200.0, 300.0);
    }

    @Test
    void shouldStartTheSteadyWindowsOneSkipAfterTheFirstOutput() {
        SteadyWindows windows = new SteadyWindows();
        for (int tenth = 1; tenth <= 40; tenth++) {
            windows.record(tenth * SECOND / 10, tenth <= 10 ? tenth : 10 + 50L * (tenth - 10));
        }

        // first output at 0.1 s; windows from 1.1 s: [1.1, 2.1) and [2.1, 3.1) at 500/s, [3.1, 4.1) incomplete
        assertThat(windows.steadyRates(SECOND / 10)).containsExactly(500.0, 500.0);
        assertThat(windows.steadyRates(-1)).isEmpty();
    }

    @Test
    void shouldGiveARunBoundedInTimeExactlyItsWindowsOnceItRecordsACountAtTheBound() {
        SteadyWindows windows = new SteadyWindows();
        long first = SECOND / 10;
        long bound = SteadyWindows.boundNanos(first, 3);
        for (long t = first; t <= bound; t += SECOND / 20) {
            windows.record(t, 1000 * (t - first) / SECOND);
        }

        assertThat(bound).isEqualTo(first + SteadyWindows.SKIP_NANOS + 3 * SteadyWindows.WINDOW_NANOS);
        assertThat(windows.steadyRates(first, 3)).hasSize(3).allSatisfy(rate -> assertThat(rate).isEqualTo(1000.0));
        assertThat(windows.steadyRates(first, 2)).hasSize(2);
        assertThat(windows.steadyRates(first, 0)).hasSize(3);
    }
}

package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GcPausesTest {

    @Test
    void shouldTurnTwoReadingsIntoPausesPerSecondAndTheirShareOfTheWindow() {
        // 30 pauses and 600 ms of pausing in a 15 s window: 2 a second, 4 % of the time
        Results.GcPauses gc = Results.GcPauses.between(new double[] {100, 2_000}, new double[] {130, 2_600}, 15);

        assertThat(gc.perSecond()).isCloseTo(2.0, within(1e-9));
        assertThat(gc.percentOfTime()).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void shouldSayUnknownWhenAReadingIsMissing() {
        assertThat(Results.GcPauses.between(null, new double[] {1, 1}, 15)).isEqualTo(Results.GcPauses.UNKNOWN);
        assertThat(Results.GcPauses.between(new double[] {Double.NaN, 0}, new double[] {1, 1}, 15).perSecond())
                .isNaN();
        assertThat(Results.GcPauses.between(new double[] {1, 1}, new double[] {2, 2}, 0)).isEqualTo(
                Results.GcPauses.UNKNOWN);
    }

    @Test
    void shouldReadThisJvmsPausesAsCountsThatNeverGoBack() {
        double[] before = Machine.gcPauses();
        System.gc();
        double[] after = Machine.gcPauses();

        assertThat(after[0]).isGreaterThanOrEqualTo(before[0] + 1);
        assertThat(after[1]).isGreaterThanOrEqualTo(before[1]);
    }
}

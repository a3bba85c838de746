package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClientWaitsTest {

    @Test
    void shouldTurnTwoReadingsOfTotalsIntoMillisecondsPerSecond() {
        // over 20 s: 6,000 ms more blocked (300 ms a second) and 50 ms more waiting for buffer memory (2.5)
        Results.ClientWaits waits = Results.ClientWaits.between(new double[] {10_000, 100},
                new double[] {16_000, 150}, 20);

        assertThat(waits.streamThreadBlockedMsPerSecond()).isCloseTo(300, within(1e-9));
        assertThat(waits.producerBufferWaitMsPerSecond()).isCloseTo(2.5, within(1e-9));
    }

    @Test
    void shouldSayUnknownWhenAReadingIsMissingOrUnreadable() {
        assertThat(Results.ClientWaits.between(null, new double[] {1, 1}, 20)).isEqualTo(Results.ClientWaits.UNKNOWN);
        assertThat(Results.ClientWaits.between(new double[] {1, 1}, null, 20)).isEqualTo(Results.ClientWaits.UNKNOWN);
        assertThat(Results.ClientWaits.between(new double[] {1, 1}, new double[] {2, 2}, 0))
                .isEqualTo(Results.ClientWaits.UNKNOWN);
        Results.ClientWaits unread = Results.ClientWaits.between(new double[] {Double.NaN, 1},
                new double[] {Double.NaN, 3}, 2);
        assertThat(unread.streamThreadBlockedMsPerSecond()).isNaN();
        assertThat(unread.producerBufferWaitMsPerSecond()).isCloseTo(1, within(1e-9));
    }
}

package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void shouldReturnNearestRankValuesOfOneToHundred() {
        long[] samples = new long[100];
        for (int i = 0; i < 100; i++) {
            samples[i] = 100 - i; // given 1..100 in reverse order
        }
        Percentiles p = Percentiles.of(samples);

        assertThat(p.percentile(50)).isEqualTo(50);
        assertThat(p.percentile(95)).isEqualTo(95);
        assertThat(p.percentile(99)).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
        assertThat(p.percentile(0.1)).isEqualTo(1);
    }

    @Test
    void shouldReportAnObservedValueWhenTheRankFallsBetweenSamples() {
        Percentiles p = Percentiles.of(10, 20, 30); // ceil(0.5 * 3) = 2nd smallest

        assertThat(p.percentile(50)).isEqualTo(20);
        assertThat(p.percentile(99)).isEqualTo(30);
    }

    @Test
    void shouldUseOnlyTheFirstCountSamples() {
        Percentiles p = Percentiles.of(new long[] {5, 1, 1000, 1000}, 2);

        assertThat(p.count()).isEqualTo(2);
        assertThat(p.max()).isEqualTo(5);
    }

    @Test
    void shouldRefusePercentilesOfNothingAndOutOfRange() {
        assertThatThrownBy(() -> Percentiles.of(new long[0]).percentile(50)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Percentiles.of(1).percentile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.of(1).percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldTakeTheMedianOfOddAndEvenCounts() {
        assertThat(Percentiles.median(3, 1, 2)).isEqualTo(2);
        assertThat(Percentiles.median(4, 1, 3, 2)).isEqualTo(2.5);
    }
}

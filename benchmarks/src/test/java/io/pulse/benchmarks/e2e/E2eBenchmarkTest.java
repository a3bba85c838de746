package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The warm-up's stopping rule: two rounds in a row within 15 % of each other. */
class E2eBenchmarkTest {

    @Test
    void shouldCountAVariantAsWarmOnlyWhenTwoRoundsInARowAgree() {
        assertThat(E2eBenchmark.warmedUp(Double.NaN, 20_000)).as("the first round has nothing to agree with").isFalse();
        assertThat(E2eBenchmark.warmedUp(2_600, 9_000)).as("still climbing").isFalse();
        assertThat(E2eBenchmark.warmedUp(20_000, 23_000)).as("+15 %").isTrue();
        assertThat(E2eBenchmark.warmedUp(20_000, 17_000)).as("-15 %").isTrue();
        assertThat(E2eBenchmark.warmedUp(20_000, 23_100)).as("+15.5 %").isFalse();
        assertThat(E2eBenchmark.warmedUp(20_000, 16_900)).as("-15.5 %").isFalse();
    }
}

package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The warm-up's stopping rule: a round that compiled for at most 5 % of its time leaves the variant warm. */
class E2eBenchmarkTest {

    @Test
    void shouldCountAVariantAsWarmOnlyOnceARoundSpendsAtMostFivePercentOfItsTimeCompiling() {
        assertThat(E2eBenchmark.jitSettled(4.2, 8.0)).as("a first round: compiling half the time").isFalse();
        assertThat(E2eBenchmark.jitSettled(0.41, 8.0)).as("5.1 %").isFalse();
        assertThat(E2eBenchmark.jitSettled(0.40, 8.0)).as("5 %").isTrue();
        assertThat(E2eBenchmark.jitSettled(0.1, 8.0)).as("settled").isTrue();
        assertThat(E2eBenchmark.jitSettled(Double.NaN, 8.0)).as("a JVM without compilation times").isTrue();
    }
}

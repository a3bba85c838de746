package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's stopping rule (a round that compiled for at most 5 % of its time leaves the variant warm), and which
 * measurement of the maximum the latency rows are paced from.
 */
class E2eBenchmarkTest {

    @Test
    void shouldCountAVariantAsWarmOnlyOnceARoundSpendsAtMostFivePercentOfItsTimeCompiling() {
        assertThat(E2eBenchmark.jitSettled(4.2, 8.0)).as("a first round: compiling half the time").isFalse();
        assertThat(E2eBenchmark.jitSettled(0.41, 8.0)).as("5.1 %").isFalse();
        assertThat(E2eBenchmark.jitSettled(0.40, 8.0)).as("5 %").isTrue();
        assertThat(E2eBenchmark.jitSettled(0.1, 8.0)).as("settled").isTrue();
        assertThat(E2eBenchmark.jitSettled(Double.NaN, 8.0)).as("a JVM without compilation times").isTrue();
    }

    @Test
    void shouldTakeTheOfferThePipelineTookMostOfAsItsMaximumWhereverItIsInTheRamp() {
        Results.Offer keptUp = new Results.Offer(0.5, 19_000, new E2eRunner.LiveMax(19_300, 18_990, 33.1));
        Results.Offer limit = new Results.Offer(1.0, 37_700, new E2eRunner.LiveMax(28_681, 37_703, 33.1));
        Results.Offer overloaded = new Results.Offer(1.5, 56_500, new E2eRunner.LiveMax(25_824, 56_555, 33.2));

        assertThat(E2eBenchmark.highestOffer(List.of(keptUp, limit, overloaded))).isSameAs(limit);
        Results.Offer keptUpHigher = new Results.Offer(0.75, 30_000, new E2eRunner.LiveMax(30_010, 30_000, 33.1));
        assertThat(keptUpHigher.taken().senderBound()).isTrue();
        assertThat(E2eBenchmark.highestOffer(List.of(overloaded, keptUpHigher))).as("a sender-bound offer counts: the"
                + " pipeline took at least that").isSameAs(keptUpHigher);
        assertThat(E2eBenchmark.highestOffer(List.of(keptUp))).isSameAs(keptUp);
        assertThatThrownBy(() -> E2eBenchmark.highestOffer(List.of())).isInstanceOf(IllegalStateException.class);
    }
}

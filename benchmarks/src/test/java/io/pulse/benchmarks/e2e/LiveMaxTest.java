package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a live maximum may be the sender's limit rather than the pipeline's. */
class LiveMaxTest {

    @Test
    void shouldSuspectTheSenderOnlyWhenItSentLessThanATenthMoreThanThePipelineTook() {
        assertThat(new E2eRunner.LiveMax(29_238, 51_288, 6.8).senderBound())
                .as("the quick run of 2026-12-05: a backlog built up").isFalse();
        assertThat(new E2eRunner.LiveMax(40_000, 44_100, 30).senderBound()).as("just over 1.1 times").isFalse();
        assertThat(new E2eRunner.LiveMax(40_000, 43_900, 30).senderBound()).as("just under").isTrue();
        assertThat(new E2eRunner.LiveMax(40_000, 40_000, 30).senderBound())
                .as("the pipeline took all it was sent").isTrue();
    }
}

package io.pulse.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void shouldDoubleTheCeilingPerRetryAndJitterBetweenHalfAndAll() {
        RetryPolicy policy = new RetryPolicy(10, 100, 2000, new Random(1L));

        for (int retry = 0; retry < 10; retry++) {
            long ceiling = Math.min(2000, 100L << retry);
            for (int sample = 0; sample < 50; sample++) {
                assertThat(policy.delayMs(retry)).as("retry %d", retry).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void shouldJitterSoClientsDoNotRetryInLockStep() {
        RetryPolicy policy = new RetryPolicy(3, 100, 2000, new Random(2L));

        long first = policy.delayMs(2);
        boolean varies = false;
        for (int i = 0; i < 20 && !varies; i++) {
            varies = policy.delayMs(2) != first;
        }

        assertThat(varies).isTrue();
    }

    @Test
    void shouldNeverOverflowForLargeRetryCounts() {
        RetryPolicy policy = new RetryPolicy(Integer.MAX_VALUE, 100, 2000, new Random(3L));

        assertThat(policy.delayMs(1_000_000)).isBetween(1000L, 2000L);
    }

    @Test
    void shouldRejectNegativeSettings() {
        assertThatThrownBy(() -> new RetryPolicy(-1, 0, 0, new Random(4L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 0");
    }
}

package io.pulse.registry.internal;

import java.util.Random;

/**
 * Exponential backoff with jitter: retry {@code n} (from 0) waits a random time between half and all of
 * {@code min(maxWait, wait * 2^n)}. Jitter keeps the many serde instances of a Streams app from hammering a
 * recovering registry in lock-step; the lower half-bound keeps the growth visible.
 */
public final class RetryPolicy {

    private final int maxRetries;
    private final long waitMs;
    private final long maxWaitMs;
    private final Random random;

    public RetryPolicy(int maxRetries, long waitMs, long maxWaitMs, Random random) {
        if (maxRetries < 0 || waitMs < 0 || maxWaitMs < 0) {
            throw new IllegalArgumentException("retries and waits must be >= 0, got maxRetries=" + maxRetries
                    + " waitMs=" + waitMs + " maxWaitMs=" + maxWaitMs);
        }
        this.maxRetries = maxRetries;
        this.waitMs = waitMs;
        this.maxWaitMs = maxWaitMs;
        this.random = random;
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** Milliseconds to wait before retry {@code retry} (0 = first retry). */
    public long delayMs(int retry) {
        long ceiling = waitMs;
        for (int i = 0; i < retry && ceiling > 0 && ceiling < maxWaitMs; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxWaitMs);
        if (ceiling <= 1) {
            return ceiling;
        }
        long half = ceiling / 2;
        synchronized (random) {
            return half + (long) (random.nextDouble() * (ceiling - half + 1));
        }
    }
}

package io.pulse.benchmarks.e2e;

/**
 * Open-loop pacing at a fixed rate: the i-th event (from 0) is due at {@code start + i / rate}, whatever happened
 * before. A sender that falls behind catches up by sending everything due at once, so the offered load stays the
 * target rate instead of silently dropping to what the system under test absorbs (coordinated omission).
 */
public final class RatePacer {

    private final double eventsPerNano;
    private final long startNanos;

    /**
     * @param eventsPerSecond the target rate, positive
     * @param startNanos the time the first event is due, in {@link System#nanoTime()} terms
     */
    public RatePacer(double eventsPerSecond, long startNanos) {
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("eventsPerSecond must be positive and finite, was " + eventsPerSecond);
        }
        this.eventsPerNano = eventsPerSecond / 1e9;
        this.startNanos = startNanos;
    }

    /** How many events are due by {@code nowNanos}: the first is due at the start, so this is at least 1 from then. */
    public long dueBy(long nowNanos) {
        long elapsed = nowNanos - startNanos;
        if (elapsed < 0) {
            return 0;
        }
        return (long) Math.floor(elapsed * eventsPerNano) + 1;
    }

    /** When the event with this index (from 0) is due. */
    public long dueAt(long index) {
        return startNanos + (long) Math.ceil(index / eventsPerNano);
    }
}

package io.pulse.pipeline.processing;

/**
 * The time inactivity is measured against, per task: the newest event time seen, kept running by the wall clock
 * while no events arrive. Live, this tracks the wall clock; in a replay of history it follows the replayed time, so
 * silence is judged in the data's own time either way.
 */
final class EventClock {

    static final long UNKNOWN = Long.MIN_VALUE;

    private long maxEventTime = UNKNOWN;
    private long wallAtMax;

    /** Notes an event time seen at wall-clock time {@code wallMillis}. */
    void observe(long eventTimeMillis, long wallMillis) {
        if (eventTimeMillis > maxEventTime) {
            maxEventTime = eventTimeMillis;
            wallAtMax = wallMillis;
        }
    }

    /** Restores a clock saved by {@link #maxEventTime()} and {@link #wallAtMax()}. */
    void restore(long savedMaxEventTime, long savedWallAtMax) {
        if (savedMaxEventTime > maxEventTime) {
            maxEventTime = savedMaxEventTime;
            wallAtMax = savedWallAtMax;
        }
    }

    boolean isKnown() {
        return maxEventTime != UNKNOWN;
    }

    /** The current time by this clock at wall-clock time {@code wallMillis}; {@link #UNKNOWN} before any event. */
    long now(long wallMillis) {
        return maxEventTime == UNKNOWN ? UNKNOWN : maxEventTime + Math.max(0, wallMillis - wallAtMax);
    }

    long maxEventTime() {
        return maxEventTime;
    }

    long wallAtMax() {
        return wallAtMax;
    }
}

package io.pulse.model;

/**
 * The time scales of a user's rolling behaviour windows. Each horizon is the mean lifetime of an event in an
 * exponentially decayed counter (see {@link BehaviourWindows}), not a hard window edge.
 */
public enum Horizon {
    HOUR(3_600_000L, "1h"),
    DAY(86_400_000L, "24h"),
    WEEK(604_800_000L, "7d"),
    MONTH(2_592_000_000L, "30d");

    private final long millis;
    private final String label;

    Horizon(long millis, String label) {
        this.millis = millis;
        this.label = label;
    }

    /** The horizon in milliseconds: the decay time constant of its counters. */
    public long millis() {
        return millis;
    }

    /** Short label used in feature and metric names: {@code 1h}, {@code 24h}, {@code 7d}, {@code 30d}. */
    public String label() {
        return label;
    }
}

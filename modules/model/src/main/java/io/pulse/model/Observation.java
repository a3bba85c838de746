package io.pulse.model;

/**
 * What {@link BehaviourWindows#observe} learned about one event relative to the user's history.
 *
 * @param gapMillis  time since the user's previous event; {@code -1} for the first event or an out-of-order one
 * @param outOfOrder the event is older than the newest event already seen for this user
 * @param first      the first event ever seen for this user
 */
public record Observation(long gapMillis, boolean outOfOrder, boolean first) {

    /** The observation of a user's first event (shared: the hot path does not allocate it). */
    public static final Observation FIRST = new Observation(-1L, false, true);

    /** The observation of an out-of-order event (shared). */
    public static final Observation OUT_OF_ORDER = new Observation(-1L, true, false);

    /** An in-order event {@code gapMillis} after the previous one. */
    public static Observation inOrder(long gapMillis) {
        if (gapMillis < 0) {
            throw new IllegalArgumentException("gapMillis must be >= 0 for an in-order event, got " + gapMillis);
        }
        return new Observation(gapMillis, false, false);
    }
}

package io.pulse.model;

/**
 * The exponential decay law of every rolling window in Pulse, user ({@link BehaviourWindows}) and entity
 * ({@link EntityWindows}) alike: after {@code elapsed} milliseconds a value kept over a horizon {@code h} is worth
 * {@code exp(-elapsed / h)} of what it was, so the mean lifetime of an event in a window is its horizon.
 *
 * <p>One definition so that the two kinds of window cannot drift apart; the arithmetic is exactly the expression the
 * user windows have always used, so their stored bits (and the golden bundle tests) do not change.
 */
final class Decay {

    private Decay() {
    }

    /** {@code exp(-elapsedMillis / horizonMillis)}, and exactly 1 when no time has elapsed (or it is negative). */
    static double factor(long elapsedMillis, long horizonMillis) {
        if (elapsedMillis <= 0) {
            return 1.0;
        }
        return Math.exp(-(double) elapsedMillis / horizonMillis);
    }
}

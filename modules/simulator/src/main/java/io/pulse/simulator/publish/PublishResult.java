package io.pulse.simulator.publish;

import java.time.Duration;

/**
 * How a publishing run went.
 *
 * @param events      events acknowledged by the broker
 * @param labels      labels acknowledged by the broker
 * @param elapsed     wall-clock time the run took
 * @param interrupted true if the run stopped early because the thread was interrupted (everything sent before was
 *                    still flushed; the thread's interrupt flag is set again)
 */
public record PublishResult(long events, long labels, Duration elapsed, boolean interrupted) {

    /** Events per second over the run. */
    public double eventsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? events / seconds : 0;
    }
}

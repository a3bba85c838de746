package io.pulse.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Busy terminals and compromised-terminal episodes (the fraud handbook's scenario 2: while a terminal is compromised,
 * every transaction made at it is fraudulent). See {@link GroundTruthSimulator} for the model and how it enters the
 * truth; {@link #NONE} (the default) leaves the stream exactly as without them.
 *
 * @param busyTerminalShare share of ordinary payments made at one of the busy terminals (the terminals many users use,
 *                          chosen by popularity) instead of at one of the user's habitual ones, in [0, 1]; 0: none
 * @param perDay            expected number of terminals that become compromised per simulated day (a Poisson
 *                          process), at least 0; 0: no episodes. Each episode compromises a busy terminal, chosen by
 *                          the same popularity as its traffic, so more than 0 needs a positive busy share
 * @param length            how long (simulated time) a terminal stays compromised in one episode, positive
 */
public record TerminalCompromises(double busyTerminalShare, double perDay, Duration length) {

    /** Default {@link #length()}: one day, long enough for delayed labels to reveal the terminal in a demo. */
    public static final Duration DEFAULT_LENGTH = Duration.ofDays(1);
    /** No busy terminals, no episodes: the stream of a simulator without them. */
    public static final TerminalCompromises NONE = new TerminalCompromises(0, 0, DEFAULT_LENGTH);

    public TerminalCompromises {
        Objects.requireNonNull(length, "length");
        if (!(busyTerminalShare >= 0 && busyTerminalShare <= 1)) {
            throw new IllegalArgumentException("busyTerminalShare must be in [0, 1], was " + busyTerminalShare);
        }
        if (!(perDay >= 0) || Double.isInfinite(perDay)) {
            throw new IllegalArgumentException("terminal compromises perDay must be a finite number >= 0 (0: none),"
                    + " was " + perDay);
        }
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("terminal compromise length must be positive, was " + length);
        }
        if (perDay > 0 && busyTerminalShare == 0) {
            throw new IllegalArgumentException("terminal compromises (perDay " + perDay + ") target the busy"
                    + " terminals, which see no payments with busyTerminalShare 0: set busyTerminalShare above 0"
                    + " (e.g. 0.5) or perDay to 0");
        }
    }

    /** Whether episodes happen at all. */
    public boolean enabled() {
        return perDay > 0;
    }
}

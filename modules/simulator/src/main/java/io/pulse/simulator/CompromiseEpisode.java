package io.pulse.simulator;

import java.time.Instant;
import java.util.Objects;

/**
 * One compromised-terminal episode ({@link TerminalCompromises}): every payment made at {@code terminal} from
 * {@code start} (inclusive) to {@code end} (exclusive) is fraudulent. Episodes of one terminal may overlap.
 *
 * @param terminal the terminal id, as in {@code attributes.terminal} and the payment's {@code itemId}
 * @param start    when the terminal becomes compromised (simulated time)
 * @param end      when this episode ends
 */
public record CompromiseEpisode(String terminal, Instant start, Instant end) {

    public CompromiseEpisode {
        Objects.requireNonNull(terminal, "terminal");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    /** Whether {@code time} falls within the episode. */
    public boolean covers(Instant time) {
        return !time.isBefore(start) && time.isBefore(end);
    }
}

package io.pulse.simulator;

import io.pulse.simulator.internal.DiurnalRate;
import io.pulse.simulator.internal.Zipf;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The busy terminals' popularity and the compromised-terminal episodes of one simulation ({@link TerminalCompromises}),
 * drawn lazily in time order from a random stream of their own, so that they are the same whatever the users do and
 * change nothing else about the stream. Episodes start as a Poisson process at {@code perDay} per simulated day from
 * the simulation's start; each compromises a busy terminal drawn by the busy terminals' popularity for {@code length}.
 * Queries must come in non-decreasing time (the simulator emits events in time order): then "compromised at t" is
 * exact, every episode that started at or before t being known.
 */
final class TerminalEpisodes {

    /** Number of busy terminals: the ordinary terminals {@code 0 .. BUSY_TERMINALS - 1}. */
    static final int BUSY_TERMINALS = 20;
    /** Popularity of the busy terminals: Zipf, the terminal of rank k has weight 1 / k. */
    private static final Zipf POPULARITY = new Zipf(BUSY_TERMINALS);

    private final SplittableRandom random;
    private final boolean enabled;
    private final double meanGapMs;
    private final long lengthMs;
    /** Per busy terminal, the end of the latest episode started so far (Long.MIN_VALUE: never compromised). */
    private final long[] compromisedUntil = new long[BUSY_TERMINALS];
    private final List<CompromiseEpisode> episodes = new ArrayList<>();
    private long nextStartMillis;
    private long lastQueryMillis = Long.MIN_VALUE;

    TerminalEpisodes(TerminalCompromises config, long startMillis, SplittableRandom random) {
        this.random = random;
        this.enabled = config.enabled();
        this.meanGapMs = enabled ? DiurnalRate.DAY_MS / config.perDay() : Double.POSITIVE_INFINITY;
        this.lengthMs = config.length().toMillis();
        Arrays.fill(compromisedUntil, Long.MIN_VALUE);
        this.nextStartMillis = enabled ? startMillis + gap() : Long.MAX_VALUE;
    }

    /** The busy terminal (its number) that a uniform draw {@code u} picks by popularity. */
    static int popularTerminal(double u) {
        return POPULARITY.rank(u);
    }

    /** Whether ordinary terminal {@code terminal} is compromised at {@code t}; t must not go back in time. */
    boolean compromisedAt(int terminal, long t) {
        advanceTo(t);
        return terminal < BUSY_TERMINALS && compromisedUntil[terminal] > t;
    }

    /** The episodes started so far, in start order. */
    List<CompromiseEpisode> episodes() {
        return Collections.unmodifiableList(episodes);
    }

    private void advanceTo(long t) {
        if (t < lastQueryMillis) {
            throw new IllegalStateException("terminal episodes are queried in time order, but " + t
                    + " came after " + lastQueryMillis);
        }
        lastQueryMillis = t;
        while (nextStartMillis <= t) {
            int terminal = popularTerminal(random.nextDouble());
            long end = nextStartMillis + lengthMs;
            compromisedUntil[terminal] = Math.max(compromisedUntil[terminal], end);
            episodes.add(new CompromiseEpisode(GroundTruthSimulator.terminalId(terminal),
                    Instant.ofEpochMilli(nextStartMillis), Instant.ofEpochMilli(end)));
            nextStartMillis += gap();
        }
    }

    private long gap() {
        return Math.max(1, (long) Math.ceil(-meanGapMs * Math.log(1.0 - random.nextDouble())));
    }
}

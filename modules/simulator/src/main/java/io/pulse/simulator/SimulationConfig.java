package io.pulse.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What to simulate.
 *
 * @param seed          seed of every random choice; the same config always yields the same events
 * @param users         number of distinct users, at least 1
 * @param start         event time of the beginning of the simulation
 * @param meanSessionGap       median time between two sessions of a user (users vary log-normally around it)
 */
public record SimulationConfig(long seed, int users, Instant start, Duration meanSessionGap) {

    /** A small population starting at a fixed instant, for tests and first experiments. */
    public static SimulationConfig defaults() {
        return new SimulationConfig(42L, 50, Instant.parse("2026-01-01T00:00:00Z"), Duration.ofHours(6));
    }

    public SimulationConfig {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1, was " + users);
        }
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(meanSessionGap, "meanSessionGap");
        if (meanSessionGap.isNegative() || meanSessionGap.isZero()) {
            throw new IllegalArgumentException("meanSessionGap must be positive, was " + meanSessionGap);
        }
    }

    public SimulationConfig withSeed(long newSeed) {
        return new SimulationConfig(newSeed, users, start, meanSessionGap);
    }

    public SimulationConfig withUsers(int newUsers) {
        return new SimulationConfig(seed, newUsers, start, meanSessionGap);
    }

    public SimulationConfig withStart(Instant newStart) {
        return new SimulationConfig(seed, users, newStart, meanSessionGap);
    }
}

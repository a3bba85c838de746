package io.pulse.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What to simulate. Every random choice derives from {@link #seed()}: the same config always yields the same events,
 * ground truth and labels.
 *
 * @param seed                 seed of every random choice
 * @param users                number of simultaneously active users, at least 1; a user who churns is replaced by a
 *                             newcomer (a new user id), so the population stays about this size
 * @param start                event time of the beginning of the simulation
 * @param meanSessionGap       median time between two sessions of a user at neutral engagement (users vary
 *                             log-normally around it)
 * @param churnHorizon         H: the ground-truth churn probability of an event is the probability that the user has
 *                             no event within H after it; CHURN labels refer to the same H
 * @param decliningUserShare   share of users whose engagement decays until they stop for good, in [0, 1]
 * @param compromisedUserShare share of users whose account gets compromised at some point (a fraud burst), in [0, 1]
 * @param interestSwitchRate   probability that a user's interests switch to a new dominant category at a session
 *                             start, in [0, 1] (between switches they drift slowly)
 * @param terminalCompromises  busy terminals and compromised-terminal episodes; {@link TerminalCompromises#NONE} by
 *                             default (the stream is then exactly as without them)
 * @param minFraudLabelDelay   shortest time from a fraudulent event to its FRAUD label ({@link SimulatedLabels}),
 *                             positive
 * @param maxFraudLabelDelay   longest such time, at least {@code minFraudLabelDelay}; delays are uniform in between
 */
public record SimulationConfig(long seed, int users, Instant start, Duration meanSessionGap, Duration churnHorizon,
        double decliningUserShare, double compromisedUserShare, double interestSwitchRate,
        TerminalCompromises terminalCompromises, Duration minFraudLabelDelay, Duration maxFraudLabelDelay) {

    /** Default {@link #churnHorizon()}: 7 days, the pipeline's default {@code churn.horizon.ms}. */
    public static final Duration DEFAULT_CHURN_HORIZON = Duration.ofDays(7);
    /** Default {@link #decliningUserShare()}. */
    public static final double DEFAULT_DECLINING_USER_SHARE = 0.3;
    /** Default {@link #compromisedUserShare()}. */
    public static final double DEFAULT_COMPROMISED_USER_SHARE = 0.05;
    /** Default {@link #interestSwitchRate()}: a switch every 40 sessions on average. */
    public static final double DEFAULT_INTEREST_SWITCH_RATE = 0.025;
    /** Default {@link #minFraudLabelDelay()}: a chargeback takes at least a day. */
    public static final Duration DEFAULT_MIN_FRAUD_LABEL_DELAY = Duration.ofDays(1);
    /** Default {@link #maxFraudLabelDelay()}: and at most a week. */
    public static final Duration DEFAULT_MAX_FRAUD_LABEL_DELAY = Duration.ofDays(7);

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
        Objects.requireNonNull(churnHorizon, "churnHorizon");
        if (meanSessionGap.isNegative() || meanSessionGap.isZero()) {
            throw new IllegalArgumentException("meanSessionGap must be positive, was " + meanSessionGap);
        }
        if (churnHorizon.isNegative() || churnHorizon.isZero()) {
            throw new IllegalArgumentException("churnHorizon must be positive, was " + churnHorizon);
        }
        requireShare("decliningUserShare", decliningUserShare);
        requireShare("compromisedUserShare", compromisedUserShare);
        requireShare("interestSwitchRate", interestSwitchRate);
        Objects.requireNonNull(terminalCompromises, "terminalCompromises");
        Objects.requireNonNull(minFraudLabelDelay, "minFraudLabelDelay");
        Objects.requireNonNull(maxFraudLabelDelay, "maxFraudLabelDelay");
        if (minFraudLabelDelay.isNegative() || minFraudLabelDelay.isZero()) {
            throw new IllegalArgumentException("minFraudLabelDelay must be positive (a label comes after its event),"
                    + " was " + minFraudLabelDelay);
        }
        if (maxFraudLabelDelay.compareTo(minFraudLabelDelay) < 0) {
            throw new IllegalArgumentException("maxFraudLabelDelay must be at least minFraudLabelDelay ("
                    + minFraudLabelDelay + "), was " + maxFraudLabelDelay);
        }
    }

    /** Without terminal compromises, with the default fraud label delays. */
    public SimulationConfig(long seed, int users, Instant start, Duration meanSessionGap, Duration churnHorizon,
            double decliningUserShare, double compromisedUserShare, double interestSwitchRate) {
        this(seed, users, start, meanSessionGap, churnHorizon, decliningUserShare, compromisedUserShare,
                interestSwitchRate, TerminalCompromises.NONE, DEFAULT_MIN_FRAUD_LABEL_DELAY,
                DEFAULT_MAX_FRAUD_LABEL_DELAY);
    }

    /** With the default interest switch rate. */
    public SimulationConfig(long seed, int users, Instant start, Duration meanSessionGap, Duration churnHorizon,
            double decliningUserShare, double compromisedUserShare) {
        this(seed, users, start, meanSessionGap, churnHorizon, decliningUserShare, compromisedUserShare,
                DEFAULT_INTEREST_SWITCH_RATE);
    }

    /** With the default churn horizon, user shares and interest switch rate. */
    public SimulationConfig(long seed, int users, Instant start, Duration meanSessionGap) {
        this(seed, users, start, meanSessionGap, DEFAULT_CHURN_HORIZON, DEFAULT_DECLINING_USER_SHARE,
                DEFAULT_COMPROMISED_USER_SHARE);
    }

    public SimulationConfig withSeed(long newSeed) {
        return new SimulationConfig(newSeed, users, start, meanSessionGap, churnHorizon, decliningUserShare,
                compromisedUserShare, interestSwitchRate, terminalCompromises, minFraudLabelDelay,
                maxFraudLabelDelay);
    }

    public SimulationConfig withUsers(int newUsers) {
        return new SimulationConfig(seed, newUsers, start, meanSessionGap, churnHorizon, decliningUserShare,
                compromisedUserShare, interestSwitchRate, terminalCompromises, minFraudLabelDelay,
                maxFraudLabelDelay);
    }

    public SimulationConfig withStart(Instant newStart) {
        return new SimulationConfig(seed, users, newStart, meanSessionGap, churnHorizon, decliningUserShare,
                compromisedUserShare, interestSwitchRate, terminalCompromises, minFraudLabelDelay,
                maxFraudLabelDelay);
    }

    public SimulationConfig withMeanSessionGap(Duration newGap) {
        return new SimulationConfig(seed, users, start, newGap, churnHorizon, decliningUserShare,
                compromisedUserShare, interestSwitchRate, terminalCompromises, minFraudLabelDelay,
                maxFraudLabelDelay);
    }

    public SimulationConfig withChurnHorizon(Duration newHorizon) {
        return new SimulationConfig(seed, users, start, meanSessionGap, newHorizon, decliningUserShare,
                compromisedUserShare, interestSwitchRate, terminalCompromises, minFraudLabelDelay,
                maxFraudLabelDelay);
    }

    public SimulationConfig withDecliningUserShare(double share) {
        return new SimulationConfig(seed, users, start, meanSessionGap, churnHorizon, share, compromisedUserShare,
                interestSwitchRate, terminalCompromises, minFraudLabelDelay, maxFraudLabelDelay);
    }

    public SimulationConfig withCompromisedUserShare(double share) {
        return new SimulationConfig(seed, users, start, meanSessionGap, churnHorizon, decliningUserShare, share,
                interestSwitchRate, terminalCompromises, minFraudLabelDelay, maxFraudLabelDelay);
    }

    public SimulationConfig withInterestSwitchRate(double rate) {
        return new SimulationConfig(seed, users, start, meanSessionGap, churnHorizon, decliningUserShare,
                compromisedUserShare, rate, terminalCompromises, minFraudLabelDelay, maxFraudLabelDelay);
    }

        /** With busy terminals and compromised-terminal episodes ({@link TerminalCompromises#NONE}: none). */
    public SimulationConfig withTerminalCompromises(TerminalCompromises compromises) {
        return new SimulationConfig(seed, users, start, meanSessionGap, churnHorizon, decliningUserShare,
                compromisedUserShare, interestSwitchRate, compromises, minFraudLabelDelay, maxFraudLabelDelay);
    }

    /** With FRAUD labels arriving uniformly between {@code min} and {@code max} after their event. */
    public SimulationConfig withFraudLabelDelay(Duration min, Duration max) {
        return new SimulationConfig(seed, users, start, meanSessionGap, churnHorizon, decliningUserShare,
                compromisedUserShare, interestSwitchRate, terminalCompromises, min, max);
    }

private static void requireShare(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
    }
}

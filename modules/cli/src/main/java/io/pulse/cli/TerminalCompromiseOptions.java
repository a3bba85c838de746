package io.pulse.cli;

import io.pulse.simulator.SimulationConfig;
import io.pulse.simulator.TerminalCompromises;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The simulator's busy terminals and compromised-terminal episodes ({@link TerminalCompromises}), for the commands
 * that simulate: {@code pulse simulate}, {@code pulse train --source simulated} and {@code pulse demo}. Unset options
 * keep the command's own settings: none for {@code simulate} and {@code train} (the seeded streams stay as they
 * were), {@link DemoCommand#TERMINAL_COMPROMISES} for the demo.
 */
final class TerminalCompromiseOptions {

    @Option(names = "--busy-terminal-share", paramLabel = "SHARE",
            description = "Simulator: share of payments made at one of 20 busy terminals shared by many users, by"
                    + " popularity (Zipf), instead of at the user's own, in [0, 1] (default: 0; demo: 0.6).")
    Double busyTerminalShare;

    @Option(names = "--terminal-compromises-per-day", paramLabel = "RATE",
            description = "Simulator: busy terminals that become compromised per simulated day (every payment at a"
                    + " compromised terminal is fraud, labelled like the fraudsters'); needs a busy terminal share"
                    + " above 0 (default: 0, none; demo: 4).")
    Double perDay;

    @Option(names = "--terminal-compromise-length", paramLabel = "DURATION",
            description = "Simulator: how long a terminal stays compromised, e.g. 1d, 36h (default: 1d).")
    String length;

    /** {@code base} with the options given on the command line applied over its terminal settings. */
    SimulationConfig applyTo(SimulationConfig base) {
        TerminalCompromises current = base.terminalCompromises();
        Duration episodeLength = length == null ? current.length() : Durations.parse(length);
        try {
            return base.withTerminalCompromises(new TerminalCompromises(
                    busyTerminalShare == null ? current.busyTerminalShare() : busyTerminalShare,
                    perDay == null ? current.perDay() : perDay, episodeLength));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid terminal settings (--busy-terminal-share,"
                    + " --terminal-compromises-per-day, --terminal-compromise-length): " + e.getMessage(), e);
        }
    }

    /** The options that give a simulator {@code compromises}, e.g. for a child {@code pulse train}. */
    static List<String> args(TerminalCompromises compromises) {
        return List.of("--busy-terminal-share", Double.toString(compromises.busyTerminalShare()),
                "--terminal-compromises-per-day", Double.toString(compromises.perDay()),
                "--terminal-compromise-length", compromises.length().toString());
    }

    /**
     * Parses a fraud label delay: {@code MIN..MAX} (uniform in between) or one duration (always that long), each as
     * {@link Durations#parse} reads it.
     *
     * @return {@code [min, max]}
     */
    static Duration[] parseLabelDelay(String text) {
        String[] parts = text.split("\\.\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("--fraud-label-delay '" + text + "' is not MIN..MAX; write e.g."
                    + " 1h..6h, or one duration such as 2d");
        }
        Duration min = Durations.parse(parts[0]);
        Duration max = parts.length == 2 ? Durations.parse(parts[1]) : min;
        return new Duration[] {min, max};
    }

    /** {@code base} with the fraud label delay {@code text} ({@link #parseLabelDelay}), or {@code base} if null. */
    static SimulationConfig withLabelDelay(SimulationConfig base, String text) {
        if (text == null) {
            return base;
        }
        Duration[] delay = parseLabelDelay(text);
        try {
            return base.withFraudLabelDelay(delay[0], delay[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid --fraud-label-delay '" + text + "': " + e.getMessage(), e);
        }
    }
}

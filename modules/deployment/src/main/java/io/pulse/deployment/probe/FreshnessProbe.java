package io.pulse.deployment.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A health check for a scheduled job that has no server: {@code java -cp /app/classes
 * io.pulse.deployment.probe.FreshnessProbe DIR MAX_AGE_SECONDS} exits 0 if some file under DIR was written within the
 * last MAX_AGE_SECONDS, 1 if none was (or DIR does not exist), 2 on bad arguments. The trainer writes a report
 * directory every successful round, so "nothing new for two schedules" means it is stuck or failing.
 */
public final class FreshnessProbe {

    private FreshnessProbe() {
    }

    public static void main(String[] args) {
        System.exit(run(Clock.systemUTC(), args));
    }

    /** The probe without {@code System.exit}, for tests: the exit code. */
    static int run(Clock clock, String... args) {
        if (args.length != 2) {
            System.err.println("usage: FreshnessProbe DIR MAX_AGE_SECONDS");
            return HttpProbe.USAGE;
        }
        Duration maxAge;
        try {
            maxAge = Duration.ofSeconds(Long.parseLong(args[1]));
        } catch (NumberFormatException e) {
            System.err.println("FreshnessProbe: MAX_AGE_SECONDS must be a whole number of seconds, got " + args[1]);
            return HttpProbe.USAGE;
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            System.err.println("FreshnessProbe: MAX_AGE_SECONDS must be positive, got " + args[1]);
            return HttpProbe.USAGE;
        }
        Path dir = Path.of(args[0]);
        if (!Files.isDirectory(dir)) {
            System.out.println(dir + " does not exist yet");
            return HttpProbe.UNHEALTHY;
        }
        Optional<Instant> newest = newestModification(dir);
        Instant now = clock.instant();
        if (newest.isPresent() && !newest.get().isBefore(now.minus(maxAge))) {
            System.out.println(dir + ": newest file written " + Duration.between(newest.get(), now).toSeconds()
                    + " s ago");
            return HttpProbe.HEALTHY;
        }
        System.out.println(dir + ": nothing written in the last " + maxAge.toSeconds() + " s"
                + newest.map(t -> " (newest " + t + ")").orElse(" (no files)"));
        return HttpProbe.UNHEALTHY;
    }

    private static Optional<Instant> newestModification(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).map(FreshnessProbe::modified).max(Instant::compareTo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the modification time of " + file, e);
        }
    }
}

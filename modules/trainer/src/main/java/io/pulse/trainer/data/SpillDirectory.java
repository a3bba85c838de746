package io.pulse.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A private temporary directory for the files a training round spills to disk instead of holding in memory (the event
 * log, bucket runs, the per-user sequences). Created under {@value #PROPERTY} if that system property is set, else
 * under {@code java.io.tmpdir}; deleted with everything in it on {@link #close()}, or at the latest when the JVM exits
 * normally (a long-running trainer closes each round's directories, so they do not pile up).
 */
public final class SpillDirectory implements AutoCloseable {

    /** System property naming the directory spill directories are created in (default {@code java.io.tmpdir}). */
    public static final String PROPERTY = "pulse.spill.dir";
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(SpillDirectory::deleteQuietly),
                "pulse-spill-cleanup"));
    }

    private final Path path;

    private SpillDirectory(Path path) {
        this.path = path;
    }

    /** A new, empty directory whose name starts with {@code pulse-<purpose>-}. */
    public static SpillDirectory create(String purpose) {
        String base = System.getProperty(PROPERTY);
        try {
            Path parent = base == null ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(base);
            Files.createDirectories(parent);
            Path path = Files.createTempDirectory(parent, "pulse-" + purpose + "-");
            OPEN.add(path);
            return new SpillDirectory(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spill directory for " + purpose + " (set -D" + PROPERTY
                    + "=DIR to a writable directory with room for about the size of the history)", e);
        }
    }

    /** A file in the directory (not created). */
    public Path file(String name) {
        return path.resolve(name);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        if (OPEN.remove(path)) {
            deleteQuietly(path);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // already gone, or the JVM is exiting: nothing more to do
        }
    }
}

package io.pulse.infra.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Data directory housekeeping shared by the local servers. */
public final class DataDirs {

    private DataDirs() {
    }

    /** Deletes {@code dir} and everything below it; a missing directory is not an error. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    // a file removed by a server still shutting down: nothing left to delete
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    /** Creates {@code dir} (and its parents) if needed and returns it as an absolute path. */
    public static Path createTemp(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary data directory", e);
        }
    }

    public static Path ensure(Path dir) {
        try {
            return Files.createDirectories(dir.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create directory " + dir.toAbsolutePath(), e);
        }
    }

    /** Returns the last {@code maxLines} lines of a text file, or a note saying why there are none. */
    public static String tail(Path file, int maxLines) {
        try {
            if (!Files.exists(file)) {
                return "(no log file at " + file + ")";
            }
            // lenient decoding: a log cut mid-character must still be shown
            var lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            var from = Math.max(0, lines.size() - maxLines);
            return String.join(System.lineSeparator(), lines.subList(from, lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }
}

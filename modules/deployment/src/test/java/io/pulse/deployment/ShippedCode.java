package io.pulse.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * What must never ship in the image (nor sit on the launcher's run-time class path): benchmark code and JMH, the
 * evaluations and Kafka Streams' test-utils, test fixtures, test frameworks and browser-test drivers, and Pulse's test
 * doubles. One list for the two checks that use it: the class path Jib packs ({@code RuntimeClassPathTest}) and the
 * image tarball it wrote ({@code ImageTarballTest}).
 */
final class ShippedCode {

    /** Jar file names (without a directory) that are test-only, benchmark-only or developer-tool-only. */
    static final List<Pattern> FORBIDDEN_JARS = Stream.of(
            "jmh-.*",
            "kafka-streams-test-utils-.*",
            "pulse-benchmarks.*",
            "pulse-evaluation.*",
            "pulse-test-support.*",
            "pulse-reliability.*",
            ".*-tests\\.jar",
            "selenium-.*",
            "junit-.*",
            "opentest4j-.*",
            "assertj-.*",
            "awaitility-.*").map(Pattern::compile).toList();

    /** Class and resource paths (as in a jar) that are test-only, benchmark-only or developer-tool-only. */
    static final List<Pattern> FORBIDDEN_ENTRIES = Stream.of(
            "io/pulse/dashboard/testing/.*",
            "io/pulse/benchmarks/.*",
            "io/pulse/evaluation/.*",
            "io/pulse/testsupport/.*",
            "org/openjdk/jmh/.*",
            "org/apache/kafka/streams/TopologyTestDriver.*",
            "org/junit/.*",
            "org/assertj/.*",
            "org/openqa/selenium/.*").map(Pattern::compile).toList();

    private ShippedCode() {
    }

    /** The names among {@code jarNames} that match a forbidden jar pattern. */
    static List<String> forbiddenJars(Collection<String> jarNames) {
        return jarNames.stream().filter(name -> matchesAny(FORBIDDEN_JARS, name)).toList();
    }

    /**
     * The entries among {@code entries} that match a forbidden entry pattern; an entry may be prefixed with the jar
     * that holds it, {@code JAR!path}.
     */
    static List<String> forbiddenEntries(Collection<String> entries) {
        return entries.stream()
                .filter(entry -> matchesAny(FORBIDDEN_ENTRIES, entry.substring(entry.lastIndexOf('!') + 1))).toList();
    }

    /** The entry names of a jar file or a class directory (relative, with {@code /}). */
    static List<String> entriesOf(Path jarOrDirectory) {
        try {
            if (Files.isDirectory(jarOrDirectory)) {
                try (Stream<Path> files = Files.walk(jarOrDirectory)) {
                    return files.filter(Files::isRegularFile)
                            .map(file -> jarOrDirectory.relativize(file).toString().replace('\\', '/')).toList();
                }
            }
            List<String> names = new ArrayList<>();
            try (ZipFile zip = new ZipFile(jarOrDirectory.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    names.add(e.nextElement().getName());
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + jarOrDirectory, e);
        }
    }

    /** The entry names of a jar read from a stream (a file inside an image layer); the stream is left open. */
    static List<String> entriesOf(InputStream jar) throws IOException {
        List<String> names = new ArrayList<>();
        ZipInputStream zip = new ZipInputStream(jar);
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            names.add(entry.getName());
        }
        return names;
    }

    private static boolean matchesAny(List<Pattern> patterns, String text) {
        return patterns.stream().anyMatch(pattern -> pattern.matcher(text).matches());
    }
}

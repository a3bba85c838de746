package io.pulse.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The run-time class path Jib packs into the image's {@code /app/libs} (this module's: the launcher and everything it
 * needs), as Maven resolved it for this build ({@code target/runtime-classpath.txt}, written by the dependency
 * plugin). Unit tier, so it also holds when the image itself is not built ({@code -Dpulse.image.skip=true});
 * {@code ImageTarballTest} checks the tarball itself.
 */
class RuntimeClassPathTest {

    @Test
    void shouldHoldNoBenchmarkJmhTestUtilsOrTestDoubleClasses() throws IOException {
        List<Path> classPath = runtimeClassPath();
        List<String> names = classPath.stream().map(path -> path.getFileName().toString()).toList();
        List<String> pulseEntries = classPath.stream()
                .filter(path -> path.getFileName().toString().startsWith("pulse-") || Files.isDirectory(path))
                .flatMap(path -> ShippedCode.entriesOf(path).stream().map(entry -> path + "!" + entry)).toList();

        // the real class path: the launcher, Kafka Streams and the dashboard's pages are on it
        assertThat(names).anyMatch(name -> name.startsWith("kafka-streams-"));
        assertThat(pulseEntries).anyMatch(entry -> entry.endsWith("!io/pulse/cli/Pulse.class"))
                .anyMatch(entry -> entry.endsWith("!io/pulse/dashboard/DashboardAssets.class"));
        assertThat(ShippedCode.forbiddenJars(names)).as("test-, benchmark- or tool-only jars").isEmpty();
        assertThat(ShippedCode.forbiddenEntries(pulseEntries)).as("test or benchmark classes in Pulse's code")
                .isEmpty();
    }

    /** The elements of {@code target/runtime-classpath.txt}: jars, or class directories of this reactor's modules. */
    private static List<Path> runtimeClassPath() throws IOException {
        Path file = Path.of(System.getProperty("pulse.runtime.classpath", "target/runtime-classpath.txt"));
        assertThat(file).as("the run-time class path the build writes (dependency:build-classpath)").isRegularFile();
        return Arrays.stream(Files.readString(file).trim().split(File.pathSeparator))
                .filter(element -> !element.isBlank()).map(Path::of).toList();
    }
}

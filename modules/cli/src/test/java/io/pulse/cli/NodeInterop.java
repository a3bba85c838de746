package io.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the Node.js scripts in {@code src/test/js/confluent-interop}: Confluent's own JavaScript Schema Registry serdes
 * with kafkajs, i.e. a Confluent-compatible client outside the JVM. The scripts are copied to
 * {@code target/confluent-interop} and their locked dependencies installed there with {@code npm ci} on first use.
 */
final class NodeInterop {

    private static final Path SOURCE = Path.of("src", "test", "js", "confluent-interop");
    private static final Path WORK = Path.of("target", "confluent-interop");
    private static final long INSTALL_TIMEOUT_MINUTES = 10;

    /** Output of one script run. */
    record Result(int exitCode, List<String> stdout, String stderr) {
    }

    private NodeInterop() {
    }

    /** Copies the scripts and installs their dependencies unless already installed. */
    static synchronized Path prepare() {
        try {
            Files.createDirectories(WORK);
            try (Stream<Path> files = Files.list(SOURCE)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, WORK.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (!Files.isDirectory(WORK.resolve("node_modules/@confluentinc/schemaregistry"))) {
                Result install = run(INSTALL_TIMEOUT_MINUTES, "npm", "ci", "--no-audit", "--no-fund");
                assertThat(install.exitCode())
                        .as("npm ci in %s failed (Node.js 18+ and npm are needed for the interop tests):%n%s",
                                WORK, install.stderr())
                        .isZero();
            }
            return WORK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code node SCRIPT ARGS...} in the prepared directory. */
    static Result node(String script, String... args) {
        prepare();
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        return run(3, command.toArray(String[]::new));
    }

    private static Result run(long timeoutMinutes, String... command) {
        try {
            Path stderrFile = Files.createTempFile(WORK, "stderr", ".log");
            Process process = new ProcessBuilder(command)
                    .directory(WORK.toFile())
                    .redirectError(stderrFile.toFile())
                    .start();
            process.getOutputStream().close();
            List<String> stdout;
            try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
                stdout = reader.lines().toList();
            }
            if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutMinutes + " min");
            }
            return new Result(process.exitValue(), stdout, Files.readString(stderrFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command)
                    + " (are Node.js and npm installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

package io.pulse.deployment.container;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real container runtime for tests: Debian's rootful {@code podman} with the {@code runc} runtime. The first use in a
 * JVM installs what is missing ({@code install-podman.sh}: podman, runc, podman-compose, busybox-static and a
 * {@code containers.conf.d} drop-in) and loads the image tarball once; later uses reuse both.
 *
 * <p>Where podman is missing and cannot be installed because this is not root, {@link #require()} aborts the calling
 * test with the command to run (a JUnit assumption: reported as skipped, with the reason); an installation that fails
 * as root fails the test. Nothing here pulls from a registry: the images are loaded or built locally.
 */
final class Podman {

    /** Every container, volume and network a test makes carries this label, so a crashed run's leftovers are found. */
    static final String LABEL = "io.pulse.test=container";

    private static final Path PODMAN = Path.of("/usr/bin/podman");
    private static final String INSTALL_SCRIPT = "/io/pulse/deployment/container/install-podman.sh";
    private static final String INSTALL_COMMAND = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y"
            + " podman runc podman-compose busybox-static (and the containers.conf.d drop-in of " + INSTALL_SCRIPT + ")";
    /** The install script's exit code when something is missing and cannot be installed (not root, no apt-get). */
    private static final int CANNOT_INSTALL = 77;
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);

    private static Podman instance;
    private static String whyNot;
    private static String loadedImage;

    /** What a podman command printed (stdout and stderr together) and how it ended. */
    record Result(List<String> command, int exitCode, String output) {
        Result orThrow() {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
            }
            return this;
        }

        String trimmed() {
            return output.strip();
        }
    }

    private Podman() {
    }

    /**
     * Podman, installed and configured if it was not; aborts the test (skipped, with the reason) when it is missing
     * and cannot be installed because this JVM is not root.
     */
    static synchronized Podman require() {
        if (instance == null && whyNot == null) {
            whyNot = install();
            if (whyNot == null) {
                instance = new Podman();
            }
        }
        assumeTrue(instance != null, () -> whyNot);
        return instance;
    }

    /** Loads the image tarball (once per JVM; podman keeps it between runs, a reload replaces it). */
    synchronized void load(Path tarball, String image) {
        if (image.equals(loadedImage)) {
            return;
        }
        Result result = run(Duration.ofMinutes(5), "load", "-i", tarball.toString()).orThrow();
        if (!result.output().contains(image)) {
            throw new IllegalStateException("podman load did not report " + image + ":\n" + result.output());
        }
        loadedImage = image;
    }

    /** Runs {@code podman ARGS...}; fails if it does not end within {@code timeout}. */
    Result run(Duration timeout, String... args) {
        return run(timeout, List.of(args));
    }

    Result run(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(PODMAN.toString());
        command.addAll(args);
        return exec(command, timeout, Map.of());
    }

    /** Runs any program (podman-compose, for one) with extra environment variables. */
    static Result exec(List<String> command, Duration timeout, Map<String, String> environment) {
        Path output = null;
        try {
            output = Files.createTempFile("podman-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(command, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(output);
        }
    }

    /** {@code podman inspect --format FORMAT NAME}, trimmed. */
    String inspect(String name, String format) {
        return run(Duration.ofSeconds(30), "inspect", "--format", format, name).orThrow().trimmed();
    }

    /** The host directory behind a named volume (rootful podman: readable by this root JVM). */
    Path volumePath(String volume) {
        return Path.of(run(Duration.ofSeconds(30), "volume", "inspect", "--format", "{{.Mountpoint}}", volume)
                .orThrow().trimmed());
    }

    /** The container's logs so far (stdout and stderr). */
    String logs(String container) {
        return run(Duration.ofSeconds(30), "logs", container).output();
    }

    /** Removes containers and volumes by name; missing ones are fine (cleanup after a failure). */
    void removeQuietly(List<String> containers, List<String> volumes) {
        for (String container : containers) {
            run(Duration.ofSeconds(90), "rm", "--force", "--time", "10", container);
        }
        for (String volume : volumes) {
            run(Duration.ofSeconds(30), "volume", "rm", "--force", volume);
        }
    }

    /** Installs podman and friends when needed; null when ready, else why the tests cannot run. */
    private static String install() {
        Path script = null;
        Path log = null;
        try {
            script = Files.createTempFile("install-podman-", ".sh");
            log = Files.createTempFile("install-podman-", ".log");
            try (InputStream in = Podman.class.getResourceAsStream(INSTALL_SCRIPT)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + INSTALL_SCRIPT);
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Process process = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("installing podman took longer than " + INSTALL_TIMEOUT
                        + "; run as root: " + INSTALL_COMMAND);
            }
            if (process.exitValue() == CANNOT_INSTALL) {
                return "the container tests need podman, runc, podman-compose and busybox-static, which are missing,"
                        + " and cannot be installed here (needs root and apt-get). Run as root on Debian: " + INSTALL_COMMAND;
            }
            if (process.exitValue() != 0 || !Files.isExecutable(PODMAN)) {
                throw new IllegalStateException("installing podman failed (exit " + process.exitValue()
                        + "); run as root: " + INSTALL_COMMAND + "\n" + Files.readString(log));
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the podman installer; run as root: " + INSTALL_COMMAND, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing podman", e);
        } finally {
            deleteQuietly(script);
            deleteQuietly(log);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}

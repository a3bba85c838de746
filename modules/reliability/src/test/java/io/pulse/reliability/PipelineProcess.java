package io.pulse.reliability;

import io.pulse.infra.internal.FreePorts;
import io.pulse.infra.internal.ParentWatchdog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One Pulse pipeline instance as a child JVM ({@code pulse pipeline}, exactly as an operator runs it), so that a test
 * can do to it what happens in production: {@link #kill()} sends SIGKILL (no shutdown hook, no commit, no flush),
 * {@link #stop()} sends SIGTERM (the clean shutdown path), {@link #start()} again restarts it on the same state
 * directory, HTTP port and static group membership.
 *
 * <p>The child runs under {@link ParentWatchdog}, so it cannot outlive the test JVM. Its output goes to
 * {@code target/pipeline-logs/<name>-<n>.log}, one file per start.
 */
public final class PipelineProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Map<String, String> settings;
    private final int httpPort;
    private final Path logDir;
    private final List<String> jvmOptions = new ArrayList<>();
    private Process process;
    private int starts;

    /**
     * @param name     instance name: the static group member id ({@code group.instance.id}) and the log file prefix
     * @param settings pipeline settings ({@code --set KEY=VALUE}): at least bootstrap.servers, schema.registry.url,
     *                 application.id, state.dir and the topic names
     */
    public PipelineProcess(String name, Map<String, String> settings) {
        this.name = name;
        this.httpPort = FreePorts.findFreePort();
        this.settings = new LinkedHashMap<>(settings);
        this.settings.putIfAbsent("group.instance.id", name);
        this.settings.put("http.port", Integer.toString(httpPort));
        this.logDir = Path.of("target", "pipeline-logs").toAbsolutePath();
    }

    /**
     * Runs without a {@code group.instance.id} of the test's choosing, as an operator who sets none: Pulse then makes
     * one and keeps it in the state directory.
     */
    public PipelineProcess withoutInstanceId() {
        settings.remove("group.instance.id");
        return this;
    }

    /**
     * An extra option for the child JVM, e.g. {@code -Dlogback.configurationFile=...} for a test that reads what Kafka
     * Streams logs; applies from the next {@link #start()}.
     */
    public PipelineProcess jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Starts the child JVM; returns at once (see {@link #awaitReady()}). */
    public PipelineProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ParentWatchdog.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add("io.pulse.cli.Pulse");
        command.add("pipeline");
        settings.forEach((key, value) -> {
            command.add("--set");
            command.add(key + "=" + value);
        });
        try {
            Files.createDirectories(logDir);
            starts++;
            Path log = logDir.resolve(name + "-" + starts + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("PULSE_"));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pipeline " + name, e);
        }
        return this;
    }

    /** Waits until {@code GET /ready} answers 200 (Kafka Streams RUNNING); fails if the child dies first. */
    public PipelineProcess awaitReady() {
        Awaitility.await(name + " ready").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!isAlive()) {
                        throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + lastLog());
                    }
                    return get("/ready").map(HttpResponse::statusCode).orElse(0) == 200;
                });
        return this;
    }

    /** SIGKILL: the process ends at once, mid-transaction, without a shutdown hook. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGTERM: the clean shutdown path (Kafka Streams closes, commits and leaves the group). */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The child's pid (for messages). */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** {@code GET path} on this instance; empty if it does not answer (not started, restarting, killed). */
    public Optional<HttpResponse<String>> get(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            return Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The log file of the latest start. */
    public Path lastLog() {
        return logDir.resolve(name + "-" + starts + ".log");
    }

    /** The latest start's log, for assertions about what the instance said. */
    public String lastLogText() {
        try {
            return Files.readString(lastLog());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }
}

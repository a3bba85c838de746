package io.pulse.deployment.container;

import io.pulse.infra.internal.FreePorts;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * {@code pulse pipeline} in a container of the real image, the way an operator runs it: host networking with every
 * server (the test's broker and registry, the container's own HTTP port) on 127.0.0.1, a read-only root file system
 * with a tmpfs {@code /tmp}, the named state volume at {@code /var/lib/pulse}, settings as {@code PULSE_*} environment
 * variables, and the image's own health probe (the command docker-compose.yml runs) as the container's health check.
 * Each {@link #start()} runs a new container on the same volume and port.
 */
final class PipelineContainer implements AutoCloseable {

    static final String STATE_VOLUME_PATH = "/var/lib/pulse";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** A Prometheus sample line: name, labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}\\s+(\\S+)$");

    private final Podman podman;
    private final String image;
    private final String name;
    private final String volume;
    private final int httpPort;
    private final Map<String, String> settings;
    private final List<String> containers = new ArrayList<>();

    /**
     * @param settings pipeline settings ({@code bootstrap.servers}, topic names, …), passed as {@code PULSE_*}
     *                 environment variables as docker-compose.yml and the Kubernetes ConfigMap pass them
     */
    PipelineContainer(Podman podman, String image, String name, Map<String, String> settings) {
        this.podman = podman;
        this.image = image;
        this.name = name;
        this.volume = name + "-state";
        this.httpPort = FreePorts.findFreePort();
        this.settings = new LinkedHashMap<>(settings);
        podman.run(Duration.ofSeconds(30), "volume", "create", "--label", Podman.LABEL, volume).orThrow();
    }

    /** Runs a new container ({@code <name>-<n>}) on the state volume; returns once it has started. */
    String start() {
        String container = name + "-" + (containers.size() + 1);
        containers.add(container);
        List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", container, "--label", Podman.LABEL,
                // the host's network: the test's broker and registry listen on 127.0.0.1 only, and so does Pulse
                "--network", "host",
                "--read-only", "--tmpfs", "/tmp:rw,exec,size=1g",
                "--volume", volume + ":" + STATE_VOLUME_PATH,
                "--health-cmd", healthCommand(), "--health-interval", "disable",
                "--env", "PULSE_HTTP_HOST=127.0.0.1", "--env", "PULSE_HTTP_PORT=" + httpPort,
                "--env", "PULSE_GROUP_INSTANCE_ID=" + name));
        settings.forEach((key, value) -> {
            run.add("--env");
            run.add("PULSE_" + key.toUpperCase(Locale.ROOT).replace('.', '_') + "=" + value);
        });
        run.add(image);
        run.add("pipeline");
        podman.run(Duration.ofMinutes(2), run).orThrow();
        return container;
    }

    /** Waits until {@code GET /ready} answers 200 (Kafka Streams RUNNING); fails at once if the container exits. */
    void awaitReady() {
        String container = current();
        Awaitility.await(container + " ready").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String status = podman.inspect(container, "{{.State.Status}}");
                    if (!"running".equals(status)) {
                        throw new AssertionError(container + " is " + status + ":\n" + podman.logs(container));
                    }
                    return get("/ready").map(HttpResponse::statusCode).orElse(0) == 200;
                });
    }

    /** {@code podman healthcheck run}: the image's own probe inside the container; true when it reports healthy. */
    boolean healthCheckPasses() {
        return podman.run(Duration.ofSeconds(60), "healthcheck", "run", current()).exitCode() == 0;
    }

    /** {@code podman stop --time GRACE}: SIGTERM, then SIGKILL after the grace period; returns how long it took. */
    Duration stop(Duration grace) {
        long started = System.nanoTime();
        podman.run(grace.plusSeconds(30), "stop", "--time", Long.toString(grace.toSeconds()), current()).orThrow();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** The process's numeric uid and gid on the host (rootful podman maps no user namespace: the same numbers). */
    String hostUidGid() {
        String pid = podman.inspect(current(), "{{.State.Pid}}");
        try {
            List<String> status = Files.readAllLines(Path.of("/proc", pid, "status"));
            String uid = status.stream().filter(line -> line.startsWith("Uid:")).findFirst().orElseThrow();
            String gid = status.stream().filter(line -> line.startsWith("Gid:")).findFirst().orElseThrow();
            return uid.split("\\s+")[1] + ":" + gid.split("\\s+")[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sum of a counter over the samples of {@code /metrics} whose {@code client_id} ends with
     * {@code clientIdSuffix}; empty when no sample matches (so a renamed metric fails the test instead of reading 0).
     */
    Optional<Double> clientMetric(String metric, String clientIdSuffix) {
        String body = get("/metrics").filter(response -> response.statusCode() == 200).map(HttpResponse::body)
                .orElseThrow(() -> new AssertionError(current() + " did not serve /metrics"));
        Optional<Double> sum = Optional.empty();
        for (String line : body.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches() && sample.group(1).equals(metric)
                    && sample.group(2).matches(".*client_id=\"[^\"]*" + Pattern.quote(clientIdSuffix) + "\".*")) {
                sum = Optional.of(sum.orElse(0.0) + Double.parseDouble(sample.group(3)));
            }
        }
        return sum;
    }

    /** {@code GET path} on the container's HTTP port; empty if it does not answer. */
    Optional<HttpResponse<String>> get(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            return Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    String current() {
        if (containers.isEmpty()) {
            throw new IllegalStateException(name + " was never started");
        }
        return containers.get(containers.size() - 1);
    }

    String volume() {
        return volume;
    }

    int httpPort() {
        return httpPort;
    }

    /**
     * docker-compose.yml's health check of the pipelines, pointed at this container's port: the same Java probe in
     * the image, as a JSON exec array (no shell in the image).
     */
    private String healthCommand() {
        List<String> probe = ComposeHealthCheck.pipelineProbe("http://127.0.0.1:" + httpPort + "/ready");
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < probe.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(probe.get(i).replace("\"", "\\\"")).append('"');
        }
        return json.append(']').toString();
    }

    @Override
    public void close() {
        podman.removeQuietly(containers, List.of(volume));
    }
}

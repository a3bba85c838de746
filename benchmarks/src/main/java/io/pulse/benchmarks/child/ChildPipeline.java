package io.pulse.benchmarks.child;

import io.pulse.cli.Pulse;
import io.pulse.infra.LocalInfra;
import io.pulse.infra.internal.FreePorts;
import io.pulse.infra.internal.ParentWatchdog;
import io.pulse.pipeline.PulseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pulse pipeline} in a child JVM (512 MiB heap unless told, the vector kernel, the pipeline's collector,
 * stopped with this JVM by {@link ParentWatchdog}) on a benchmark's local broker and registry, with its own
 * application id, topics, state directory and HTTP port. It can be started again on the same settings after
 * {@link #kill()} (SIGKILL) or {@link #stop(Duration)} (SIGTERM), as an operator restarts a process; every start
 * appends to one log file. Only the given settings reach it: no {@code PULSE_*} variable or {@code PULSE_CONFIG} file
 * of the calling shell.
 */
public final class ChildPipeline implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String applicationId;
    private final Path stateDir;
    private final Path log;
    private final int httpPort;
    private final List<String> command;
    private Process process;

    private ChildPipeline(String name, String applicationId, Path stateDir, Path log, int httpPort,
            List<String> command) {
        this.name = name;
        this.applicationId = applicationId;
        this.stateDir = stateDir;
        this.log = log;
        this.httpPort = httpPort;
        this.command = command;
    }

    /**
     * A pipeline called {@code name} under {@code work} (its state directory {@code work/name}, its log
     * {@code work/name.log}), its topics prefixed with a fresh application id, {@code partitions} partitions each;
     * {@code settings} are added last and win.
     */
    public static ChildPipeline configure(LocalInfra infra, Path work, String name, int partitions,
            Map<String, String> settings) {
        return configure(infra, work, name, partitions, settings, ChildJvm.CHILD_PIPELINE_HEAP,
                ChildJvm.PIPELINE_COLLECTOR);
    }

    /**
     * As {@link #configure(LocalInfra, Path, String, int, Map)}, with another heap ({@code -Xmx…}) and collector
     * ({@code -XX:+UseZGC}).
     */
    public static ChildPipeline configure(LocalInfra infra, Path work, String name, int partitions,
            Map<String, String> settings, String heap, String collector) {
        String appId = "pulse-bench-" + name + "-" + System.currentTimeMillis();
        int port = FreePorts.findFreePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put(PulseConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers());
        all.put(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl());
        all.put(PulseConfig.APPLICATION_ID, appId);
        all.put(PulseConfig.STATE_DIR, work.resolve(name).toString());
        all.put(PulseConfig.HTTP_PORT, Integer.toString(port));
        all.put(PulseConfig.TOPIC_USER_EVENTS, appId + "-events");
        all.put(PulseConfig.TOPIC_LABELS, appId + "-labels");
        all.put(PulseConfig.TOPIC_DLQ, appId + "-dlq");
        all.put(PulseConfig.TOPIC_PREDICTIONS, appId + "-predictions");
        all.put(PulseConfig.TOPIC_CHURN_ALERTS, appId + "-churn");
        all.put(PulseConfig.TOPIC_FRAUD_ALERTS, appId + "-fraud");
        all.put(PulseConfig.TOPIC_MODEL_WEIGHTS, appId + "-weights");
        all.put(PulseConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
        all.putAll(settings);
        List<String> command = ChildJvm.command(List.of("--add-modules", "jdk.incubator.vector", heap, collector,
                "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile")),
                Pulse.class.getName(), List.of("pipeline"));
        all.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        return new ChildPipeline(name, appId, work.resolve(name), work.resolve(name + ".log"), port,
                List.copyOf(command));
    }

    /**
     * The same pipeline, started on {@code cpus} only ({@link CpuPinning#onCpus}); call before {@link #start()}.
     * Empty: this one, on any CPU.
     */
    public ChildPipeline onCpus(List<Integer> cpus) {
        if (process != null) {
            throw new IllegalStateException(name + " has been started: pin it before");
        }
        return cpus.isEmpty() ? this : new ChildPipeline(name, applicationId, stateDir, log, httpPort,
                List.copyOf(CpuPinning.onCpus(cpus, command)));
    }

    /** Starts the process (again, after a kill or a stop); returns at once. */
    public ChildPipeline start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(variable -> variable.startsWith("PULSE_"));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pipeline " + name, e);
        }
        return this;
    }

    /** Waits until {@code /ready} answers 200 (Kafka Streams RUNNING); fails if the process dies or time runs out. */
    public ChildPipeline awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isReady()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("pipeline " + name + " did not become ready within " + timeout
                        + "; see " + log);
            }
            Thread.sleep(250); // polling a child process's readiness
        }
        return this;
    }

    public boolean isReady() {
        try {
            HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return ready.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL, as a crash or the OOM killer would; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * SIGTERM, as an orchestrator stops a container; waits up to {@code grace} for the process to exit, then kills it.
     *
     * @return whether it exited by itself within {@code grace}
     */
    public boolean stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        kill();
        return false;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * The sum of every sample of a Prometheus metric on {@code /metrics} (0 if it has none yet); NaN if the pipeline
     * does not answer.
     */
    public double metric(String metricName) {
        return metrics(0, metricName)[0];
    }

    /**
     * Several metrics from one scrape of {@code /metrics}, in the order asked: each the sum of its samples, or
     * {@code ifAbsent} for a name that has none; all NaN if the pipeline does not answer.
     */
    public double[] metrics(double ifAbsent, String... metricNames) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return sums(response.body(), ifAbsent, metricNames);
        } catch (IOException e) {
            return nans(metricNames.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return nans(metricNames.length);
        }
    }

    /** Each metric's samples in a Prometheus text exposition summed over their labels, or {@code ifAbsent}. */
    static double[] sums(String exposition, double ifAbsent, String... metricNames) {
        double[] sums = new double[metricNames.length];
        for (int i = 0; i < metricNames.length; i++) {
            Matcher m = Pattern.compile("^" + Pattern.quote(metricNames[i]) + "(\\{[^}]*})? ([0-9.eE+-]+)$",
                    Pattern.MULTILINE).matcher(exposition);
            boolean any = false;
            while (m.find()) {
                sums[i] += Double.parseDouble(m.group(2));
                any = true;
            }
            if (!any) {
                sums[i] = ifAbsent;
            }
        }
        return sums;
    }

    private static double[] nans(int n) {
        double[] nans = new double[n];
        Arrays.fill(nans, Double.NaN);
        return nans;
    }

    /** Predictions written since this process started. */
    public long predictedTotal() {
        return (long) metric("pulse_predictions_total");
    }

    /** Old generation after the last collection: what the heap holds on to. */
    public double heapAfterGcMiB() {
        return metric("jvm_gc_live_data_size_bytes") / (1024.0 * 1024.0);
    }

    /** Resident set size of the process (Linux), NaN elsewhere. */
    public double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** The process id of the running JVM ({@code taskset} execs it, so a pinned one has the same). */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " has not been started");
        }
        return process.pid();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String applicationId() {
        return applicationId;
    }

    public String eventsTopic() {
        return applicationId + "-events";
    }

    public String predictionsTopic() {
        return applicationId + "-predictions";
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path log() {
        return log;
    }

    /** Stops the process if it runs (SIGTERM, then SIGKILL after a minute). */
    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            stop(Duration.ofMinutes(1));
        }
    }
}

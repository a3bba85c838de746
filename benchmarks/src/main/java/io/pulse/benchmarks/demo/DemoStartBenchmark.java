package io.pulse.benchmarks.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.benchmarks.ResultsBlock;
import io.pulse.benchmarks.child.ChildJvm;
import io.pulse.benchmarks.e2e.Machine;
import io.pulse.benchmarks.e2e.Percentiles;
import io.pulse.cli.Pulse;
import io.pulse.infra.internal.DataDirs;
import io.pulse.infra.internal.FreePorts;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * What a new user sees after typing {@code ./pulse demo} (issue #16): {@code pulse demo} in a child JVM (its own free
 * ports and data directory {@code .pulse/bench-demo/run-N}, so it never meets a demo the user runs), its dashboard's {@code /api/overview} polled every
 * 250 ms. Per run: when the dashboard first answers, when it first shows a prediction, and when the trained model
 * replaces the built-in one (the hot swap); plus every console line at WARN or ERROR, which is what reads like trouble
 * to a new user. The demo is stopped with SIGTERM once the trained model is in (or after {@code --minutes}). The
 * launcher's own build check before the JVM starts is not included: this measures a built checkout.
 *
 * <p>{@code ./pulse bench --demo [--repeats 2] [--out benchmarks/OPERATIONS.md]}
 */
public final class DemoStartBenchmark {

    private static final Duration POLL = Duration.ofMillis(250);
    /**
     * Where the runs keep their data and console ({@code run-N/console.log}), wiped when the benchmark starts and kept
     * after it for a look; in the checkout like the demo's own {@code .pulse/demo}, not under {@code /tmp} (Kafka
     * Streams warns about a state directory there).
     */
    private static final Path WORK = Path.of(".pulse", "bench-demo");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** One demo start, in seconds from the JVM's start; NaN for what did not happen within the run. */
    record Run(double dashboard, double firstPrediction, double trainedModel, List<String> warnings) {
    }

    private DemoStartBenchmark() {
    }

    public static int run(String[] args, PrintStream stdout) throws Exception {
        int repeats = 2;
        int minutes = 10;
        Path out = Path.of("benchmarks/OPERATIONS.md");
        String command = "./pulse bench --demo";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + "; flags: --repeats N --minutes M --out FILE");
            }
        }
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverages();
        List<Run> runs = new ArrayList<>();
        DataDirs.deleteRecursively(WORK);
        for (int r = 1; r <= repeats; r++) {
            Run run = demo(WORK.resolve("run-" + r), Duration.ofMinutes(minutes));
            runs.add(run);
            stdout.printf(Locale.ROOT, "demo #%d: dashboard %.1f s, first prediction %.1f s, trained model %.1f s,"
                    + " %d console warnings%n", r, run.dashboard(), run.firstPrediction(), run.trainedModel(),
                    run.warnings().size());
        }
        String block = report(command, started, runs, loadBefore);
        ResultsBlock.named("demo-start").write(out, block);
        stdout.println(block);
        return 0;
    }

    private static Run demo(Path work, Duration limit) throws Exception {
        Files.createDirectories(work);
        int httpPort = FreePorts.findFreePort();
        List<String> command = ChildJvm.command(List.of("--add-modules", "jdk.incubator.vector"),
                Pulse.class.getName(), List.of("demo", "--http-port", Integer.toString(httpPort),
                        "--kafka-port", Integer.toString(FreePorts.findFreePort()),
                        "--registry-port", Integer.toString(FreePorts.findFreePort()),
                        "--data-dir", work.resolve("demo").toString(), "--duration", limit.toMinutes() + "m"));
        Path console = work.resolve("console.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(console.toFile());
        // the launcher's logging, as ./pulse demo has it
        builder.environment().keySet().removeIf(variable -> variable.startsWith("PULSE_"));
        long t0 = System.nanoTime();
        Process process = builder.start();
        double dashboard = Double.NaN;
        double firstPrediction = Double.NaN;
        double trainedModel = Double.NaN;
        try {
            long deadline = t0 + limit.toNanos();
            while (process.isAlive() && System.nanoTime() < deadline && Double.isNaN(trainedModel)) {
                JsonNode overview = overview(httpPort);
                double now = (System.nanoTime() - t0) / 1e9;
                if (overview != null) {
                    if (Double.isNaN(dashboard)) {
                        dashboard = now;
                    }
                    if (Double.isNaN(firstPrediction) && overview.path("totals").path("predictions").asLong() > 0) {
                        firstPrediction = now;
                    }
                    for (JsonNode model : overview.path("models")) {
                        if (model.path("current").asBoolean() && !model.path("randomInit").asBoolean(true)) {
                            trainedModel = now;
                        }
                    }
                }
                TimeUnit.MILLISECONDS.sleep(POLL.toMillis()); // polling the dashboard as a browser would
            }
        } finally {
            process.destroy();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
            }
        }
        List<String> warnings = Files.readAllLines(console, StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
        return new Run(dashboard, firstPrediction, trainedModel, warnings);
    }

    private static JsonNode overview(int port) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/overview")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException notYet) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String report(String command, Instant started, List<Run> runs, String loadBefore) {
        StringBuilder md = new StringBuilder();
        md.append("## `./pulse demo`: time to the first prediction (issue #16)\n\n");
        md.append("Generated by `DemoStartBenchmark`; regenerate with `").append(command).append("`. ")
                .append(UTC.format(started)).append("; ").append(String.join("; ", Machine.describe()))
                .append("; load before: ").append(loadBefore).append(".\n\n");
        md.append("Seconds from the start of the `pulse demo` JVM (a built checkout; the launcher's build check comes"
                + " before it), as the dashboard's `/api/overview` showed it, polled every 250 ms. Goal: the first"
                + " prediction within 60 s.\n\n");
        md.append("| | median | min | max | runs |\n|---|---|---|---|---|\n");
        row(md, "dashboard answers", runs, Run::dashboard);
        row(md, "**first prediction on the dashboard**", runs, Run::firstPrediction);
        row(md, "trained model hot-swapped in", runs, Run::trainedModel);
        Map<String, Integer> warnings = new LinkedHashMap<>();
        for (Run run : runs) {
            for (String line : run.warnings()) {
                // the message without its time stamp, so that the same warning of two runs counts once per run
                warnings.merge(line.length() > 13 ? line.substring(13) : line, 1, Integer::sum);
            }
        }
        md.append("\nConsole lines at WARN or ERROR (what reads like trouble to a new user; the consoles are in"
                + " `.pulse/bench-demo/run-N/console.log`), over ").append(runs.size())
                .append(" run(s): ").append(warnings.isEmpty() ? "**none**." : warnings.size() + " distinct:")
                .append('\n');
        warnings.forEach((line, count) -> md.append("- ").append(count).append("× `")
                .append((line.length() > 200 ? line.substring(0, 200) + "…" : line).replace('`', '\'')).append("`\n"));
        return md.toString();
    }

    private static void row(StringBuilder md, String what, List<Run> runs, ToDoubleFunction<Run> seconds) {
        double[] values = runs.stream().mapToDouble(seconds).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            md.append("| ").append(what).append(" | – | – | – | 0 of ").append(runs.size()).append(" |\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d of %d |%n", what,
                Percentiles.median(values), values[0], values[values.length - 1], values.length, runs.size()));
    }
}

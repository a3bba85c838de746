package io.pulse.benchmarks.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.benchmarks.ResultsBlock;
import io.pulse.benchmarks.child.ChildJvm;
import io.pulse.benchmarks.e2e.Machine;
import io.pulse.cli.Pulse;
import io.pulse.infra.internal.DataDirs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Issue #16: does the trainer's memory grow with the history? One {@code pulse train} round (CSV source, the fraud
 * data set's mapping, one terminal entity type, {@code --epochs} epochs, publishing off) in a child JVM with Pulse's
 * heap limit of {@code --heap} (default 1g), on the data set as it is and on it made {@code --scale} times longer
 * ({@link LongerHistory}); the data set also with the JVM's default limit (a quarter of the machine's memory, as
 * {@code ./pulse train} runs without {@code JAVA_OPTS}), where G1 grows the heap towards that limit whatever the
 * live data. Per run: peak resident set size
 * (the kernel's {@code ru_maxrss} of the child, through {@code /usr/bin/time}), wall time, and the peak size of the
 * trainer's spill directory (polled every second). Writes the {@code trainer-memory} block of {@code --out} and, with
 * the default {@code --out}, the README's {@code trainer-memory-summary} block.
 *
 * <p>{@code ./pulse bench --trainer-memory [--scale 10] [--days N] [--epochs 1] [--heap 1g]
 * [--out benchmarks/OPERATIONS.md]}
 */
public final class TrainerMemoryBenchmark {

    private static final Path DEFAULT_OUT = Path.of("benchmarks/OPERATIONS.md");
    private static final Path README = Path.of("README.md");
    private static final Path TIME = Path.of("/usr/bin/time");
    private static final String ENTITY = "terminal=attr.terminal";
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The options. */
    record Options(Path data, int days, int scale, int epochs, String heap, Path out, String command) {

        static Options parse(String[] args) {
            Path data = TrainerOptions.DEFAULT_DATA;
            int days = 0;
            int scale = 10;
            int epochs = 1;
            String heap = "1g";
            Path out = DEFAULT_OUT;
            String command = "./pulse bench --trainer-memory";
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data" -> data = Path.of(args[++i]);
                    case "--days" -> days = Integer.parseInt(args[++i]);
                    case "--scale" -> scale = Integer.parseInt(args[++i]);
                    case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                    case "--heap" -> heap = args[++i];
                    case "--out" -> out = Path.of(args[++i]);
                    case "--command" -> command = args[++i];
                    default -> throw new IllegalArgumentException("unknown flag " + args[i] + "; flags: --data DIR"
                            + " --days N --scale N --epochs N --heap SIZE --out FILE");
                }
            }
            if (scale < 2 || epochs < 1 || days < 0) {
                throw new IllegalArgumentException("--scale must be at least 2, --epochs at least 1, --days >= 0");
            }
            return new Options(data, days, scale, epochs, heap, out, command);
        }
    }

    /** One training round, measured. */
    record Run(String history, String heap, int scale, int files, long rows, int users, long events,
            long peakRssKb, double seconds, long peakSpillBytes, int exitCode) {
    }

    private TrainerMemoryBenchmark() {
    }

    public static int run(String[] args, PrintStream stdout) throws Exception {
        Options options = Options.parse(args);
        if (!Files.isExecutable(TIME)) {
            throw new IllegalStateException(TIME + " is missing; it measures the child's peak memory (Debian:"
                    + " apt-get install time)");
        }
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverages();
        Path work = Files.createTempDirectory("pulse-bench-trainer-memory-");
        List<Run> runs = new ArrayList<>();
        try {
            for (int scale : new int[] {1, options.scale()}) {
                stdout.printf(Locale.ROOT, "writing the history x%d ...%n", scale);
                LongerHistory.Written data = LongerHistory.write(options.data(), options.days(), scale,
                        work.resolve("data-x" + scale));
                // the data set also with the JVM's default heap limit, to show what a limit changes
                for (String heap : scale == 1 ? new String[] {null, options.heap()} : new String[] {options.heap()}) {
                    String name = "x" + scale + (heap == null ? "-default-heap" : "");
                    stdout.printf(Locale.ROOT, "%,d rows in %d files; training %s (log: %s)%n", data.rows(),
                            data.files(), name, work.resolve("train-" + name + ".log"));
                    Run run = train(options, scale, heap, name, data, work);
                    runs.add(run);
                    stdout.printf(Locale.ROOT, "%s: peak RSS %.2f GiB, %.0f s, peak spill %.2f GiB%n", name,
                            run.peakRssKb() / 1024.0 / 1024.0, run.seconds(),
                            run.peakSpillBytes() / Math.pow(1024, 3));
                    if (run.exitCode() != 0) {
                        throw new IllegalStateException("pulse train " + name + " failed (exit " + run.exitCode()
                                + "); see " + work.resolve("train-" + name + ".log"));
                    }
                }
                DataDirs.deleteRecursively(data.directory());
            }
            DataDirs.deleteRecursively(work);
        } catch (RuntimeException e) {
            stdout.println("kept for inspection: " + work);
            throw e;
        }
        String block = block(options, started, loadBefore, runs);
        ResultsBlock.named("trainer-memory").write(options.out(), block);
        stdout.println(block);
        if (options.out().equals(DEFAULT_OUT) && Files.exists(README)
                && Files.readString(README).contains(ResultsBlock.named("trainer-memory-summary").begin())) {
            ResultsBlock.named("trainer-memory-summary").write(README, summary(options, runs));
        }
        return 0;
    }

    private static Run train(Options options, int scale, String heap, String name, LongerHistory.Written data,
            Path work) throws Exception {
        Path spill = Files.createDirectories(work.resolve("spill-" + name));
        Path times = work.resolve("time-" + name);
        Path log = work.resolve("train-" + name + ".log");
        List<String> command = new ArrayList<>(List.of(TIME.toString(), "-f", "%M %e", "-o", times.toString()));
        command.addAll(ChildJvm.command(List.of("--add-modules", "jdk.incubator.vector", "-XX:+ExitOnOutOfMemoryError",
                "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile"),
                "-Dpulse.spill.dir=" + spill), Pulse.class.getName(), List.of("train", "--source", "csv", "--csv",
                data.directory().toString(), "--map", TrainerOptions.FRAUD_MAPPING, "--entity", ENTITY, "--epochs",
                Integer.toString(options.epochs()), "--no-publish", "--out", work.resolve("out-" + name).toString())));
        if (heap != null) {
            command.add(command.indexOf("-XX:+ExitOnOutOfMemoryError"), "-Xmx" + heap);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().keySet().removeIf(variable -> variable.startsWith("PULSE_"));
        Process process = builder.start();
        long peakSpill = 0;
        while (process.isAlive()) {
            peakSpill = Math.max(peakSpill, size(spill));
            process.waitFor(1, java.util.concurrent.TimeUnit.SECONDS);
        }
        String[] measured = Files.readAllLines(times).get(Files.readAllLines(times).size() - 1).trim().split(" ");
        int users = 0;
        long events = 0;
        try (Stream<Path> reports = Files.walk(work.resolve("out-" + name))) {
            Path report = reports.filter(f -> f.getFileName().toString().equals("report.json")).findFirst()
                    .orElse(null);
            if (report != null) {
                JsonNode json = JSON.readTree(report.toFile()).path("data");
                users = json.path("users").asInt();
                events = json.path("events").asLong();
            }
        }
        return new Run(scale == 1 ? "the data set" : scale + "x longer", heap == null ? "JVM default" : heap, scale,
                data.files(), data.rows(), users, events, Long.parseLong(measured[0]),
                Double.parseDouble(measured[1]), peakSpill, process.exitValue());
    }

    private static long size(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // a file vanished while walked: the next poll counts again
        }
    }

    static String block(Options options, Instant started, String loadBefore, List<Run> runs) {
        StringBuilder md = new StringBuilder();
        md.append("### Trainer memory against history length (issue #16)\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| command | `").append(options.command()).append("` |\n");
        md.append("| when | ").append(UTC.format(started)).append(" |\n");
        md.append("| each run | `pulse train --source csv --csv <history> --map '<the fraud data set's mapping>'"
                + " --entity ")
                .append(ENTITY).append(" --epochs ").append(options.epochs())
                .append(" --no-publish` in a child JVM (`-XX:+ExitOnOutOfMemoryError`), with the heap limit in the"
                        + " table: `-Xmx").append(options.heap()).append("`, or the JVM's default (a quarter of the"
                        + " machine's memory), as `./pulse train` runs without `JAVA_OPTS` |\n");
        md.append("| history x").append(options.scale()).append(" | the data set")
                .append(options.days() > 0 ? " (first " + options.days() + " days)" : "")
                .append(" repeated ").append(options.scale())
                .append(" times end to end in time (same customers and terminals, each history ")
                .append(options.scale()).append(" times as long) |\n");
        md.append("| machine | ").append(Machine.describe()).append("; load before ").append(loadBefore)
                .append(" |\n\n");
        md.append("| history | heap limit | events | users | peak RSS | wall time | peak spill on disk |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Run run : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %.2f GiB | %.0f s | %.2f GiB |%n",
                    run.history(), run.heap(), run.events(), run.users(), run.peakRssKb() / 1024.0 / 1024.0,
                    run.seconds(), run.peakSpillBytes() / Math.pow(1024, 3)));
        }
        if (runs.size() == 3) {
            double ratio = (double) runs.get(2).peakRssKb() / runs.get(1).peakRssKb();
            md.append(String.format(Locale.ROOT, "%nPeak RSS x%d / x1 with the same heap limit: **%.2f** (goal: at most"
                    + " 1.5): %s.%n", options.scale(), ratio, ratio <= 1.5 ? "met" : "not met"));
        }
        return md.toString();
    }

    static String summary(Options options, List<Run> runs) {
        StringBuilder md = new StringBuilder();
        md.append("| history (fraud data set) | heap limit | events | trainer peak RSS | spill on disk |\n"
                + "|---|---|---:|---:|---:|\n");
        for (Run run : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.2f GiB | %.2f GiB |%n", run.history(),
                    run.heap(), run.events(), run.peakRssKb() / 1024.0 / 1024.0,
                    run.peakSpillBytes() / Math.pow(1024, 3)));
        }
        md.append("\nMeasured by `").append(options.command()).append("` (details: [OPERATIONS.md](benchmarks/")
                .append("OPERATIONS.md#trainer-memory-against-history-length-issue-16)).\n");
        return md.toString();
    }
}

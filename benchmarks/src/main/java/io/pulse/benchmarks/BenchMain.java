package io.pulse.benchmarks;

import io.pulse.benchmarks.demo.DemoStartBenchmark;
import io.pulse.benchmarks.e2e.E2eBenchmark;
import io.pulse.benchmarks.e2e.E2eOptions;
import io.pulse.benchmarks.recovery.RecoveryBenchmark;
import io.pulse.benchmarks.trainer.TrainerBenchmark;
import io.pulse.benchmarks.trainer.TrainerMemoryBenchmark;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The benchmarks' own entry point, with the options of {@code ./pulse bench} (which runs this class in a child JVM on
 * this module's class path: the launcher has no compile dependency on the benchmarks, and the image ships without
 * them). By default the end-to-end benchmark (issue #6) against its own local broker and registry on free 127.0.0.1
 * ports (never the cluster of {@code ./pulse infra}); start the JVM with {@code --add-modules jdk.incubator.vector}
 * so the LSTM runs on the vector kernel, as in {@code pulse pipeline}.
 *
 * <p>{@code --trainer}: the trainer benchmark instead (no broker, no registry): one training round on the fraud data
 * set with a fixed number of epochs, timed stage by stage, in a child JVM with {@code OMP_NUM_THREADS=1} unless the
 * environment already has it; it writes only its own block of the report.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "benchmarks/target/pulse-benchmarks.jar:benchmarks/target/lib/*" \
 *     io.pulse.benchmarks.BenchMain --quick
 * </pre>
 */
@Command(name = "pulse bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the pipeline end to end against a real local broker and registry: throughput of a"
                + " pass-through, a model-free stateful and the full topology, with a version-1 and with an interest"
                + " model (recommendations per event, and on request only), with --entities also with one entity type"
                + " (exactly-once, 1 and 2 stream threads),"
                + " event-to-prediction latency at 25/50/75 %% of the maximum rate, scaling with the number of users,"
                + " and a JFR profile.",
                "Prints the tables as it goes and writes them as markdown to --out.",
                "With --trainer: the trainer instead (one training round on the fraud data set, 2 epochs; sequences,"
                        + " events and chunks per second, the time of every stage and of the whole job, peak memory);"
                        + " it replaces only the <!-- trainer:begin --> ... <!-- trainer:end --> block of --out.",
                "With --interests: the interest heads' cost per event (JMH); it replaces only the"
                        + " <!-- interest-cost:begin --> ... <!-- interest-cost:end --> block of --out."})
public final class BenchMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Reduced run (10k users, 1 thread, 1 repeat, one latency point at 50 %%);"
            + " under 5 minutes on 2 cores. Prints the ratios c/a, c/b and the p99 at 50 %%. With --trainer: the"
            + " first 30 days and 1 epoch.")
    boolean quick;

    @Option(names = "--trainer", description = "Benchmark the trainer instead of the pipeline (see --data, --days,"
            + " --epochs, --hidden, --map).")
    boolean trainer;

    @Option(names = "--interests", description = "Benchmark the interest heads' cost per event instead (JMH, no"
            + " broker): a version-2 model over a 12,000-item catalogue; the step with embeddings, the heads, the"
            + " top-K, the whole per-event interest work; medians per event. Replaces only the"
            + " <!-- interest-cost:begin --> ... <!-- interest-cost:end --> block of --out. ~5 minutes, ~1 with"
            + " --quick.")
    boolean interests;

    @Option(names = "--recovery", description = "Measure instead how long one pipeline instance is gone after a crash"
            + " (SIGKILL), a clean restart (SIGTERM) and a lost disk, as a consumer of its predictions sees it (see"
            + " --repeats, --compare); writes benchmarks/OPERATIONS.md. ~10 minutes, ~30 with --compare.")
    boolean recovery;

    @Option(names = "--demo", description = "Measure instead what a new user sees after ./pulse demo: the time to"
            + " the dashboard, its first prediction and the trained model's hot swap, and the console's warnings (see"
            + " --repeats); writes benchmarks/OPERATIONS.md. ~5 minutes a run.")
    boolean demo;

    @Option(names = "--trainer-memory", description = "Measure instead the trainer's peak memory on the fraud data set"
            + " and on it made --scale times longer (one pulse train round each in a child JVM; see --days, --epochs);"
            + " writes benchmarks/OPERATIONS.md. ~35 minutes at --scale 10.")
    boolean trainerMemory;

    @Option(names = "--scale", paramLabel = "N", description = "--trainer-memory: how many times longer the second"
            + " history is (default: 10).")
    Integer scale;

    @Option(names = "--heap", paramLabel = "SIZE", description = "--trainer-memory: the trainers' heap limit, -Xmx"
            + " (default: 1g).")
    String heap;

    @Option(names = "--compare", description = "--recovery: also the configurations Pulse ran with before issue #16"
            + " (dynamic membership; stores not transactional), side by side.")
    boolean compare;

    @Option(names = "--data", paramLabel = "PATH", description = "--trainer: the CSV log, a file or a directory"
            + " (default: ../shared/datasets/fraud-transactions).")
    Path data;

    @Option(names = "--map", paramLabel = "MAPPING", description = "--trainer: its column mapping (default: the"
            + " fraud data set's).")
    String mapping;

    @Option(names = "--days", paramLabel = "N", description = "--trainer: only the first N files (days) of --data"
            + " (default: all; 30 with --quick).")
    Integer days;

    @Option(names = "--epochs", paramLabel = "N", description = "--trainer: epochs, all of them run (default: 2;"
            + " 1 with --quick).")
    Integer epochs;

    @Option(names = "--hidden", paramLabel = "N", description = "--trainer: LSTM units (default: 64).")
    Integer hidden;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Markdown report (default: benchmarks/RESULTS.md, or benchmarks/RESULTS-quick.md with"
                    + " --quick).")
    Path out;

    @Option(names = "--users", paramLabel = "N[,N...]", split = ",",
            description = "User counts: the first is the throughput and latency workload, all are scaling points"
                    + " (default: 10000,100000,1000000; 10000 with --quick). Suffixes k and m allowed.")
    List<String> users;

    @Option(names = "--threads", paramLabel = "N[,N...]", split = ",",
            description = "num.stream.threads values of the throughput table (default: 1,2; 1 with --quick).")
    List<Integer> threads;

    @Option(names = "--repeats", paramLabel = "N", description = "Side-by-side repeats per thread count (default: 3;"
            + " 1 with --quick).")
    Integer repeats;

    @Option(names = "--events", paramLabel = "N", description = "Events of the throughput workload.")
    Integer events;

    @Option(names = "--only", paramLabel = "TABLE[,TABLE...]", split = ",",
            description = "Only these tables: throughput, latency, scaling (one command per table).")
    List<String> only;

    @Option(names = "--entities", description = "Also measure (f): the full pipeline with one entity type"
            + " (entities.types=terminal; every input event carries attr.terminal, 5,000 terminals with Zipf"
            + " popularity), side by side with (c) in every repeat (goal: f/c >= 0.6), and its p99 at half of its own"
            + " maximum rate, exactly-once (goal: <= 250 ms) in the latency table.")
    boolean entities;

    @Option(names = "--variants", paramLabel = "X[,X...]", split = ",",
            description = "Only these throughput variants, by letter (a, b, n for b′ (Pulse's topology with a no-op"
                    + " model), c, d, e, f, g; c is required: every ratio is against it). Default: a, b, n, c, d, e,"
                    + " plus f with --entities.")
    List<String> variants;

    @Option(names = "--diagnostic", paramLabel = "KEY=VALUE[,KEY=VALUE...]",
            description = "Also run (c) with these Pulse or Kafka Streams settings, 1 thread, in the rotation of every"
                    + " repeat, and report it against (c) of the same repeat, with a latency row at 50 %% and one run"
                    + " at the largest scaling point (repeatable: one setting per flag), e.g. --diagnostic"
                    + " commit.interval.ms=1000. Replaces the full run's own diagnostic runs.")
    List<String> diagnostics;

    @Option(names = "--steady-seconds", paramLabel = "N",
            description = "Bound every throughput run in time: it stops once it has N one-second steady windows (from"
                    + " 1 s after its first committed output), so every variant is judged on the same length of steady"
                    + " state. The input then repeats the --events distinct events up to --input-records (default"
                    + " 25m) for pass-through and (b); Pulse's variants stop at the distinct ones. Default: off (every"
                    + " run reads its whole input).")
    Integer steadySeconds;

    @Option(names = "--input-records", paramLabel = "N",
            description = "Records of the throughput input (the --events distinct events, then repeated in order);"
                    + " suffixes k and m allowed. Default: --events, or 25m with --steady-seconds.")
    String inputRecords;

    @Option(names = "--latency-in-own-jvm",
            description = "Measure the full pipeline's latency as deployed: `pulse pipeline` in a JVM of its own (a fresh"
                    + " one per row), paced against its maximum measured with a sender running. Default: Kafka Streams"
                    + " in the benchmark's JVM, next to the broker, paced against (c)'s maximum.")
    boolean latencyInOwnJvm;

    @Option(names = "--latency-pipeline-cpus", paramLabel = "CPUS",
            description = "With --latency-in-own-jvm and --only latency: run the pipeline's JVM on these CPUs only"
                    + " (e.g. 1; `taskset`, util-linux) and the benchmark's JVM (broker, registry, reader) and the"
                    + " sender on the others, as a deployment gives the pipeline the core its manifest requests."
                    + " Default: every process on any CPU.")
    String latencyPipelineCpus;

    @Option(names = "--latency-warmup", paramLabel = "SECONDS",
            description = "Seconds of paced sending before each latency row's measured window. Default: 5, or 20 with"
                    + " --latency-in-own-jvm (a fresh JVM per row).")
    Integer latencyWarmup;

    @Option(names = "--entity-latency-threads", paramLabel = "N[,N…]",
            description = "With --entities: run the entity variants' latency rows at these stream thread counts, each"
                    + " paced at half of the variant's own maximum measured at as many threads (default: 1).")
    String entityLatencyThreads;

    @Option(names = "--jfr", negatable = true,
            description = "Profile the full pipeline with JFR (default: on, off with --quick).")
    Boolean jfr;

    @Option(names = "--seed", paramLabel = "S", description = "Simulator seed (default: 42).")
    Long seed;

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "pulse-bench-logback.xml");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: errors as one line saying what went wrong, as the launcher prints them. */
    static CommandLine commandLine() {
        return new CommandLine(new BenchMain()).setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("pulse bench: " + ex.getMessage()));
            if (System.getenv("PULSE_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(set PULSE_DEBUG=1 for the stack trace)");
            }
            return 1;
        });
    }

    @Override
    public Integer call() throws Exception {
        if ((trainer ? 1 : 0) + (interests ? 1 : 0) + (recovery ? 1 : 0) + (demo ? 1 : 0) + (trainerMemory ? 1 : 0)
                > 1) {
            throw new IllegalArgumentException("--trainer, --interests, --recovery, --demo and --trainer-memory are"
                    + " five benchmarks: one at a time");
        }
        if (trainerMemory) {
            return trainerMemory();
        }
        if (scale != null || heap != null) {
            throw new IllegalArgumentException("--scale and --heap need --trainer-memory");
        }
        if (demo) {
            return demo();
        }
        if (compare && !recovery) {
            throw new IllegalArgumentException("--compare needs --recovery");
        }
        if (recovery) {
            return recovery();
        }
        if (trainer) {
            return trainer();
        }
        if (interests) {
            return interests();
        }
        if (data != null || mapping != null || days != null || epochs != null || hidden != null) {
            throw new IllegalArgumentException("--data, --map, --days, --epochs and --hidden need --trainer");
        }
        List<String> args = new ArrayList<>();
        if (quick) {
            args.add("--quick");
        }
        if (users != null) {
            args.add("--users");
            args.add(String.join(",", users));
        }
        if (threads != null) {
            args.add("--threads");
            args.add(String.join(",", threads.stream().map(String::valueOf).toList()));
        }
        if (repeats != null) {
            args.add("--repeats");
            args.add(repeats.toString());
        }
        if (events != null) {
            args.add("--events");
            args.add(events.toString());
        }
        if (only != null) {
            args.add("--only");
            args.add(String.join(",", only));
        }
        if (jfr != null) {
            args.add(jfr ? "--jfr" : "--no-jfr");
        }
        if (entities) {
            args.add("--entities");
        }
        if (variants != null) {
            args.add("--variants");
            args.add(String.join(",", variants));
        }
        if (diagnostics != null) {
            for (String diagnostic : diagnostics) {
                args.add("--diagnostic");
                args.add(diagnostic);
            }
        }
        if (seed != null) {
            args.add("--seed");
            args.add(seed.toString());
        }
        if (steadySeconds != null) {
            args.add("--steady-seconds");
            args.add(steadySeconds.toString());
        }
        if (inputRecords != null) {
            args.add("--input-records");
            args.add(inputRecords);
        }
        if (latencyInOwnJvm) {
            args.add("--latency-in-own-jvm");
        }
        if (latencyPipelineCpus != null) {
            args.add("--latency-pipeline-cpus");
            args.add(latencyPipelineCpus);
        }
        if (latencyWarmup != null) {
            args.add("--latency-warmup");
            args.add(latencyWarmup.toString());
        }
        if (entityLatencyThreads != null) {
            args.add("--entity-latency-threads");
            args.add(entityLatencyThreads);
        }
        Path report = out != null ? out : Path.of("benchmarks", quick ? "RESULTS-quick.md" : "RESULTS.md");
        args.add("--out");
        args.add(report.toString());
        E2eOptions options = E2eOptions.parse(args.toArray(String[]::new));
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        new E2eBenchmark(options, stdout).run(("./pulse bench " + String.join(" ",
                args.subList(0, args.size() - 2))).strip() + (out != null ? " --out " + out : ""));
        spec.commandLine().getOut().flush();
        // a missed goal is a finding the report states, not a failure of the command
        return 0;
    }

    /** Whether an option of the pipeline benchmark's time-bounded runs or its latency's JVM was given. */
    private boolean steadyRunOptions() {
        return steadySeconds != null || inputRecords != null || latencyInOwnJvm || latencyPipelineCpus != null
                || latencyWarmup != null || entityLatencyThreads != null;
    }

    /** {@code --trainer}: the trainer benchmark, recorded in its report as the {@code ./pulse bench} command. */
    private int trainer() {
        if (users != null || threads != null || repeats != null || events != null || only != null || jfr != null
                || entities || variants != null || diagnostics != null || steadyRunOptions()) {
            throw new IllegalArgumentException("--users, --threads, --repeats, --events, --only, --jfr, --entities,"
                    + " --variants, --steady-seconds, --input-records, --latency-in-own-jvm, --latency-pipeline-cpus,"
                    + " --latency-warmup and --entity-latency-threads"
                    + " are the pipeline benchmark's; --trainer takes"
                    + " --data, --map, --days, --epochs, --hidden, --seed");
        }
        List<String> args = new ArrayList<>();
        if (quick) {
            args.add("--quick");
        }
        addIfSet(args, "--data", data);
        addIfSet(args, "--map", mapping);
        addIfSet(args, "--days", days);
        addIfSet(args, "--epochs", epochs);
        addIfSet(args, "--hidden", hidden);
        addIfSet(args, "--seed", seed);
        addIfSet(args, "--out", out);
        StringBuilder command = new StringBuilder("./pulse bench --trainer");
        for (String arg : args) {
            command.append(' ').append(arg.contains(" ") || arg.contains(",") ? "'" + arg + "'" : arg);
        }
        args.add("--command");
        args.add(command.toString());
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code = TrainerBenchmark.run(args.toArray(String[]::new), stdout);
        spec.commandLine().getOut().flush();
        return code;
    }

    /** {@code --interests}: the JMH interest-cost benchmark, recorded in its report as the {@code ./pulse bench} command. */
    private int interests() {
        if (data != null || mapping != null || days != null || epochs != null || hidden != null || users != null
                || threads != null || repeats != null || events != null || only != null || jfr != null
                || seed != null || entities || variants != null || diagnostics != null || steadyRunOptions()) {
            throw new IllegalArgumentException("--interests takes only --quick and --out");
        }
        List<String> args = new ArrayList<>();
        if (quick) {
            args.add("--quick");
        }
        addIfSet(args, "--out", out);
        args.add("--command");
        args.add("./pulse bench --interests" + (quick ? " --quick" : "") + (out != null ? " --out " + out : ""));
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code = InterestCostBenchmark.run(args.toArray(String[]::new), stdout);
        spec.commandLine().getOut().flush();
        return code;
    }

    /** {@code --recovery}: the recovery benchmark, recorded in its report as the {@code ./pulse bench} command. */
    private int recovery() throws Exception {
        if (data != null || mapping != null || days != null || epochs != null || hidden != null || users != null
                || threads != null || events != null || only != null || jfr != null || seed != null || entities
                || variants != null || diagnostics != null || quick || steadyRunOptions()) {
            throw new IllegalArgumentException("--recovery takes only --repeats, --compare and --out");
        }
        List<String> args = new ArrayList<>();
        addIfSet(args, "--repeats", repeats);
        if (compare) {
            args.add("--compare");
        }
        addIfSet(args, "--out", out);
        args.add("--command");
        args.add(("./pulse bench --recovery " + String.join(" ", args.subList(0, args.size() - 1))).strip());
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code = RecoveryBenchmark.run(args.toArray(String[]::new), stdout);
        spec.commandLine().getOut().flush();
        return code;
    }

    /** {@code --trainer-memory}: the trainer memory benchmark, recorded in its report as the command. */
    private int trainerMemory() throws Exception {
        if (mapping != null || hidden != null || users != null || threads != null || events != null || only != null
                || jfr != null || seed != null || entities || variants != null || quick || compare
                || repeats != null || diagnostics != null || steadyRunOptions()) {
            throw new IllegalArgumentException("--trainer-memory takes only --data, --days, --scale, --epochs, --heap"
                    + " and --out");
        }
        List<String> args = new ArrayList<>();
        addIfSet(args, "--data", data);
        addIfSet(args, "--days", days);
        addIfSet(args, "--scale", scale);
        addIfSet(args, "--epochs", epochs);
        addIfSet(args, "--heap", heap);
        addIfSet(args, "--out", out);
        args.add("--command");
        args.add(("./pulse bench --trainer-memory " + String.join(" ", args.subList(0, args.size() - 1))).strip());
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code = TrainerMemoryBenchmark.run(args.toArray(String[]::new), stdout);
        spec.commandLine().getOut().flush();
        return code;
    }

    /** {@code --demo}: the demo-start benchmark, recorded in its report as the {@code ./pulse bench} command. */
    private int demo() throws Exception {
        if (data != null || mapping != null || days != null || epochs != null || hidden != null || users != null
                || threads != null || events != null || only != null || jfr != null || seed != null || entities
                || variants != null || diagnostics != null || quick || compare || steadyRunOptions()) {
            throw new IllegalArgumentException("--demo takes only --repeats and --out");
        }
        List<String> args = new ArrayList<>();
        addIfSet(args, "--repeats", repeats);
        addIfSet(args, "--out", out);
        args.add("--command");
        args.add(("./pulse bench --demo " + String.join(" ", args.subList(0, args.size() - 1))).strip());
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code = DemoStartBenchmark.run(args.toArray(String[]::new), stdout);
        spec.commandLine().getOut().flush();
        return code;
    }

    private static void addIfSet(List<String> args, String flag, Object value) {
        if (value != null) {
            args.add(flag);
            args.add(value.toString());
        }
    }
}

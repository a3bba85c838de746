package io.pulse.benchmarks;

import io.pulse.benchmarks.e2e.Machine;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link InterestStepBenchmark} through JMH's API and writes what it measured, with the command, into the
 * {@code interest-cost} block of a results file ({@link ResultsBlock}; default {@code benchmarks/RESULTS.md}, or
 * {@code benchmarks/RESULTS-quick.md} with {@code --quick}), checking issue 13's cost goal: new heads plus top-K over a
 * 12k-item catalogue at most 50 µs median per event. Every invocation is sampled ({@code SampleTime}), so the medians
 * and percentiles are of single events; the spread is also given as the range of the per-iteration medians (the
 * repeated measurement windows after warm-up, over every fork).
 *
 * <pre>
 * ./pulse bench --interests            # 2 forks x 5 x 2 s per benchmark, ~5 minutes: the published figures
 * ./pulse bench --interests --quick    # 1 fork x 3 x 1 s, ~1 minute: a smoke check
 * </pre>
 */
public final class InterestCostBenchmark {

    /** The block of the results file this benchmark owns. */
    public static final ResultsBlock BLOCK = ResultsBlock.named("interest-cost");
    /** The goal, in ns per event (median). */
    static final double GOAL_NANOS = 50_000;

    private InterestCostBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Flags: {@code --quick}, {@code --out FILE}, {@code --command TEXT} (what the report records as the command).
     *
     * @return the exit status: 0, also when the goal is missed (a finding the report states)
     */
    public static int run(String[] args, PrintStream out) {
        boolean quick = false;
        Path file = null;
        String command = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> file = Path.of(value(args, ++i));
                case "--command" -> command = value(args, ++i);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + "; flags: --quick --out FILE --command TEXT");
            }
        }
        if (file == null) {
            file = Path.of("benchmarks", quick ? "RESULTS-quick.md" : "RESULTS.md");
        }
        if (command == null) {
            command = "./pulse bench --interests" + (quick ? " --quick" : "");
        }
        String startedAt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                .format(Instant.now().atOffset(ZoneOffset.UTC));
        String loadBefore = Machine.loadAverages();
        long started = System.nanoTime();
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(InterestStepBenchmark.class.getName()) + "\\.")
                .shouldFailOnError(true);
        if (quick) {
            options.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results;
        try {
            results = new Runner(options.build()).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed: " + e.getMessage(), e);
        }
        List<Row> rows = results.stream().map(Row::of).sorted(Comparator.comparing(Row::order)).toList();
        List<String> md = markdown(rows, quick, command, startedAt, loadBefore, Machine.loadAverages(),
                (System.nanoTime() - started) / 1e9);
        md.forEach(out::println);
        BLOCK.write(file, String.join("\n", md));
        out.println("# interest-cost block written to " + file);
        return 0;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /**
     * One benchmark (with its K) in nanoseconds per event.
     *
     * @param iterationMedians the median of every measurement iteration, over all forks
     */
    record Row(String method, String k, long samples, double p50, double p90, double p99, double mean,
            double[] iterationMedians) {

        static Row of(RunResult result) {
            String benchmark = result.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String k = Optional.ofNullable(result.getParams().getParam("k")).orElse("");
            Statistics all = result.getPrimaryResult().getStatistics();
            List<Double> medians = new ArrayList<>();
            for (BenchmarkResult fork : result.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    medians.add(iteration.getPrimaryResult().getStatistics().getPercentile(50));
                }
            }
            return new Row(method, k, all.getN(), all.getPercentile(50), all.getPercentile(90),
                    all.getPercentile(99), all.getMean(), medians.stream().mapToDouble(Double::doubleValue).toArray());
        }

        double minMedian() {
            return Arrays.stream(iterationMedians).min().orElse(Double.NaN);
        }

        double maxMedian() {
            return Arrays.stream(iterationMedians).max().orElse(Double.NaN);
        }

        /** The table's order: the v1 reference, then (a) to (e). */
        String order() {
            int index = List.of("v1StepAndHeads", "stepWithEmbeddings", "heads", "nextItems", "perEventInterests",
                    "perEventServed").indexOf(method);
            return (index < 0 ? 9 : index) + method + (k.length() < 2 ? "0" + k : k);
        }

        String what() {
            return switch (method) {
                case "v1StepAndHeads" -> "reference: version-1 step + heads (hidden 64)";
                case "stepWithEmbeddings" -> "(a) version-2 step with item + category embeddings";
                case "heads" -> "(b) heads incl. next_category (51 categories)";
                case "nextItems" -> "(c) `LstmModel.nextItems` top-" + k + " of 12,000, 30 seen excluded";
                case "perEventInterests" -> "(d) per-event interest work through the pipeline's `Interests`, K = "
                        + k;
                case "perEventServed" -> "(e) as (d), with a served bundle's prior, category and brand affinities"
                        + " and history, K = " + k;
                default -> method + (k.isEmpty() ? "" : " k=" + k);
            };
        }
    }

    static List<String> markdown(List<Row> rows, boolean quick, String command, String startedAt, String loadBefore,
            String loadAfter, double seconds) {
        List<String> md = new ArrayList<>();
        md.add("## Interest heads: cost per event (JMH" + (quick ? ", `--quick` smoke run" : "") + ")");
        md.add("");
        md.add("Issue 13's cost goal: new heads plus top-K over a 12k-item catalogue ≤ 50 µs median per event."
                + " Generated by `io.pulse.benchmarks.InterestCostBenchmark` (benchmark class"
                + " `InterestStepBenchmark`; what each row runs: `benchmarks/README.md`).");
        md.add("");
        md.add("- Date: " + startedAt + String.format(Locale.ROOT, "; took %.0f s.", seconds));
        md.add("- Command: `" + command + "`" + (quick ? " (1 fork, 2 × 1 s warm-up, 3 × 1 s measured per benchmark:"
                + " a smoke check, not figures to quote)" : " (2 forks, 3 × 2 s warm-up, 5 × 2 s measured per"
                + " benchmark)") + ".");
        Machine.describe().forEach(l -> md.add("- " + l));
        md.add("- Load average (1/5/15 min): " + loadBefore + " before, " + loadAfter + " after.");
        md.add("- Model: version 2, 12,000 items + OOV, 50 level-2 categories, hidden 64, item embedding 64, category"
                + " embedding 8, seeded random weights (`BenchCatalogue`); forks run with"
                + " `--add-modules=jdk.incubator.vector`.");
        md.add("");
        md.add("Every invocation is timed (JMH `SampleTime`): p50/p90/p99 are per event. *iteration medians*: the"
                + " lowest and highest median of the repeated measurement windows (every iteration of every fork).");
        md.add("");
        md.add("| benchmark | samples | **median µs** | p90 µs | p99 µs | mean µs | iteration medians µs |");
        md.add("|---|---:|---:|---:|---:|---:|---|");
        for (Row r : rows) {
            md.add(String.format(Locale.ROOT, "| %s | %,d | **%.2f** | %.2f | %.2f | %.2f | %.2f – %.2f |", r.what(),
                    r.samples(), r.p50() / 1e3, r.p90() / 1e3, r.p99() / 1e3, r.mean() / 1e3, r.minMedian() / 1e3,
                    r.maxMedian() / 1e3));
        }
        md.add("");
        Optional<Row> v1 = rows.stream().filter(r -> r.method().equals("v1StepAndHeads")).findFirst();
        for (Row r : rows) {
            boolean served = r.method().equals("perEventServed");
            if (!r.method().equals("perEventInterests") && !served) {
                continue;
            }
            boolean met = r.p50() <= GOAL_NANOS;
            md.add(String.format(Locale.ROOT, "- **Goal, K = %s%s:** the whole per-event interest work (%s), which"
                    + " includes the step, the heads and the top-K, has a median of **%.1f µs** per event"
                    + " (iteration medians %.1f – %.1f µs): goal ≤ 50 µs %s.", r.k(), served ? ", served bundle" : "",
                    served ? "e" : "d", r.p50() / 1e3, r.minMedian() / 1e3, r.maxMedian() / 1e3,
                    met ? "✔ met" : "✘ missed"));
            v1.ifPresent(reference -> md.add(String.format(Locale.ROOT, "  Beyond the version-1 step and heads:"
                    + " %.1f µs (difference of the medians).", (r.p50() - reference.p50()) / 1e3)));
        }
        if (rows.stream().noneMatch(r -> r.method().equals("perEventInterests"))) {
            md.add("- The per-event benchmark (d) did not run: no verdict.");
        }
        return md;
    }
}

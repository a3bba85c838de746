package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The interest variants (d) and (e) against (c) in the verdict and the results tables. */
class E2eReportTest {

    /** One 1-thread run of {@code variant} in {@code repeat} whose steady windows have the median {@code rate}. */
    private static Results.Throughput run(Variant variant, int repeat, double rate, double wholeRun) {
        Map<String, Long> side = variant.usesInterestModel() ? Map.of("fraud alerts", 3L,
                E2eRunner.USER_INTERESTS_OUTPUT, 1_000L) : Map.of("fraud alerts", 3L);
        return new Results.Throughput(variant, 1, repeat, 1_000, 1_000, 1_000 / wholeRun, wholeRun, wholeRun * 1.1,
                1.0, 0.5, 1.0, 0.0, "1.00 1.00 1.00", "1.00 1.00 1.00", true, side, null, Map.of(),
                List.of(rate - 100, rate, rate + 100), null);
    }

    private static E2eReport report() {
        E2eReport report = new E2eReport(E2eOptions.parse("--threads", "1", "--repeats", "3", "--only", "throughput"));
        double[] c = {1_000, 1_200, 1_100};
        double[] d = {600, 780, 640};   // d/c per repeat: 0.600, 0.650, 0.582 -> median 0.600
        double[] e = {900, 1_080, 990}; // e/c per repeat: 0.900, 0.900, 0.900
        for (int repeat = 0; repeat < 3; repeat++) {
            report.throughput.add(run(Variant.FULL, repeat, c[repeat], c[repeat] / 2));
            report.throughput.add(run(Variant.INTERESTS, repeat, d[repeat], d[repeat] / 2));
            report.throughput.add(run(Variant.INTERESTS_ON_REQUEST, repeat, e[repeat], e[repeat] / 2));
        }
        return report;
    }

    @Test
    void shouldJudgeEachInterestVariantAgainstCOnTheMedianSteadyWindowRate() {
        E2eReport report = report();

        assertThat(report.medianRatio(Variant.INTERESTS, Variant.FULL, 1, Results.Throughput::medianWindowRate)
                .getAsDouble()).isCloseTo(0.6, within(1e-9));
        assertThat(report.medianRatio(Variant.INTERESTS_ON_REQUEST, Variant.FULL, 1,
                Results.Throughput::medianWindowRate).getAsDouble()).isCloseTo(0.9, within(1e-9));
        assertThat(report.verdict()).containsExactly(
                "issue 15: (c) application CPU per event (1 thread, median over the repeats) = 500.0 µs  (goal <= 25"
                        + " µs: MISSED)",
                "d/c (full pipeline, interest model, recommendations per event) ÷ (c) v1 model, steady windows"
                        + " (1 thread) = 0.600  (goal >= 0.7: MISSED)",
                "e/c (full pipeline, interest model, recommendations on request) ÷ (c) v1 model, steady windows"
                        + " (1 thread) = 0.900  (goal >= 0.7: met)");
    }

    /** (c) and (f) in three repeats, and (f)'s latency row at half its maximum. */
    private static E2eReport entityReport() {
        E2eReport report = new E2eReport(E2eOptions.parse("--threads", "1", "--repeats", "3", "--only",
                "throughput,latency", "--variants", "c,f"));
        double[] c = {1_000, 1_200, 1_100};
        double[] f = {650, 700, 550}; // f/c per repeat: 0.650, 0.583, 0.500 -> median 0.583
        for (int repeat = 0; repeat < 3; repeat++) {
            report.throughput.add(run(Variant.FULL, repeat, c[repeat], c[repeat] / 2));
            report.throughput.add(run(Variant.ENTITIES, repeat, f[repeat], f[repeat] / 2));
        }
        report.entityMaxima.add(new E2eReport.EntityMax(Variant.ENTITIES, 1, 640.0, "measured with a sender"));
        report.latency.add(new Results.Latency(Variant.FULL, "exactly-once", "exactly_once_v2", 0.5, 500, 500,
                6_000, 6_000, 0, 90, 140, 180, 200, 5, 8, 12, "1.00", "1.00", 1_400, 2_500, 310.4,
                Results.GcPauses.UNKNOWN, new Results.RunDelay(612.4, 233.6, 1_450.2, 3.4),
                new Results.ClientWaits(301.2, 12.34), 1));
        report.latency.add(new Results.Latency(Variant.ENTITIES, "(f) exactly-once", "exactly_once_v2", 0.5, 320,
                320, 3_840, 3_840, 0, 160, 230, 260, 300, 120, 170, 190, "1.00", "1.00", 900, 1_200,
                Double.NaN, Results.GcPauses.UNKNOWN, Results.RunDelay.UNKNOWN, Results.ClientWaits.UNKNOWN, 1));
        return report;
    }

    @Test
    void shouldJudgeTheEntityVariantAgainstCAndItsOwnP99AtHalfItsMaximum() {
        E2eReport report = entityReport();

        assertThat(report.eosP99AtHalf().getAsDouble()).isEqualTo(180);
        assertThat(report.eosP99AtHalf(Variant.ENTITIES).getAsDouble()).isEqualTo(260);
        assertThat(report.verdict()).containsExactly(
                "issue 15: (c) application CPU per event (1 thread, median over the repeats) = 500.0 µs  (goal <= 25"
                        + " µs: MISSED)",
                "f/c (full pipeline, one entity type (terminal)) ÷ (c) without entities, steady windows (1 thread)"
                        + " = 0.583  (goal >= 0.6: MISSED)",
                "p99 event-to-prediction, exactly-once, 50 % of max = 180 ms  (goal <= 250 ms: met)",
                "issue 15: p99 event-to-prediction, exactly-once, 50 % of max, every run = 180 ms  (goal <= 150 ms in"
                        + " three runs out of three: 0 of 1, MISSED)",
                "(f) full pipeline, one entity type (terminal): p99 event-to-prediction, exactly-once, 50 % of its max,"
                        + " every run = 260 ms  (goal <= 250 ms in every run: 0 of 1, MISSED)");

        List<String> md = ResultsReport.markdown(report);
        assertThat(md).contains("## One entity type: (f) against (c)",
                "| f/c on the median steady-window rates | 1 | **0.583** | 0.650, 0.583, 0.500 | ≥ 0.6 ✘ missed |",
                "| f/c on whole-run events/s | 1 | **0.583** | 0.650, 0.583, 0.500 |  |");
        assertThat(md).anyMatch(line -> line.startsWith("| f) full pipeline, one entity type (terminal) | 1 | 3 | 9 |"
                + " **650** |"));
        assertThat(md).anyMatch(line -> line.contains("p99 event-to-prediction (visible) **260 ms**, one run (goal ≤"
                + " 250 ms in every run: 0 of 1, ✘ missed)") && line.contains("640 events/s"));
        assertThat(md).anyMatch(line -> line.startsWith("(f) runs (c)'s topology with `entities.types=terminal`"
                + " (horizons 1/7/30 days, label delay 7 days, buckets of 1 day: the defaults)"));
        assertThat(md).noneMatch(line -> line.startsWith("## Interest heads on"));
        assertThat(md).as("the sender's own lag and JIT next to the latencies they are part of")
                .anyMatch(line -> line.startsWith("| (f) exactly-once | 50 |")
                        && line.contains("| 0.9 ms | 1.2 ms | - |"))
                .anyMatch(line -> line.startsWith("| exactly-once | 50 |")
                        && line.contains("| 1.4 ms | 2.5 ms | 310 |"));
        assertThat(md).as("the kernel's account of the stream thread, the JVM and its JIT, then the Kafka clients'"
                        + " of their waits, or '-' where unread")
                .anyMatch(line -> line.startsWith("| exactly-once | 50 |") && line.endsWith("| 310 | - | - | 612 |"
                        + " 234 | 1450 | 3 | 301 | 12.3 | 1.00→1.00 |"))
                .anyMatch(line -> line.startsWith("| (f) exactly-once | 50 |") && line.endsWith("| - | - | - | - | - |"
                        + " - | - | - | - | 1.00→1.00 |"));
    }

    @Test
    void shouldJudgeTheEntityVariantsRowsAtEachStreamThreadCountAgainstTheirOwnMaximum() {
        E2eReport report = entityReport();
        // (f) again at 2 stream threads, paced at half of its 2-thread maximum: two judged runs and a diagnostic row
        report.entityMaxima.add(new E2eReport.EntityMax(Variant.ENTITIES, 2, 900.0, "measured at 2 threads"));
        for (long p99 : new long[] {190, 230}) {
            report.latency.add(new Results.Latency(Variant.ENTITIES, "(f) 2 stream threads, exactly-once",
                    "exactly_once_v2", 0.5, 450, 450, 5_400, 5_400, 0, 60, 120, p99, 300, 10, 50, 90, "1.00", "1.00",
                    900, 1_200, Double.NaN, Results.GcPauses.UNKNOWN, Results.RunDelay.UNKNOWN,
                    Results.ClientWaits.UNKNOWN, 2));
        }
        report.latency.add(new Results.Latency(Variant.ENTITIES, "(f) 2 stream threads, diagnostic: {a=b}",
                "exactly_once_v2", 0.5, 450, 450, 5_400, 5_400, 0, 60, 120, 700, 800, 10, 50, 90, "1.00", "1.00",
                900, 1_200, Double.NaN, Results.GcPauses.UNKNOWN, Results.RunDelay.UNKNOWN,
                Results.ClientWaits.UNKNOWN, 2));

        // and a diagnostic row of the 1-thread rows whose settings gave it 3 threads: shown, never judged
        report.latency.add(new Results.Latency(Variant.ENTITIES, "(f) diagnostic: {num.stream.threads=3}",
                "exactly_once_v2", 0.5, 320, 320, 3_840, 3_840, 0, 60, 120, 90, 100, 10, 50, 60, "1.00", "1.00",
                900, 1_200, Double.NaN, Results.GcPauses.UNKNOWN, Results.RunDelay.UNKNOWN,
                Results.ClientWaits.UNKNOWN, 3));

        assertThat(report.latencyThreads(Variant.ENTITIES)).containsExactly(1, 2, 3);
        assertThat(report.eosP99sAtHalf(Variant.ENTITIES, 3)).isEmpty();
        assertThat(report.verdict()).noneMatch(line -> line.contains("3 stream threads"));
        assertThat(report.eosP99sAtHalf(Variant.ENTITIES)).containsExactly(260);
        assertThat(report.eosP99sAtHalf(Variant.ENTITIES, 2)).containsExactly(190, 230);
        assertThat(report.verdict()).contains(
                "(f) full pipeline, one entity type (terminal): p99 event-to-prediction, exactly-once, 50 % of its"
                        + " max, every run = 260 ms  (goal <= 250 ms in every run: 0 of 1, MISSED)",
                "(f) full pipeline, one entity type (terminal), 2 stream threads: p99 event-to-prediction,"
                        + " exactly-once, 50 % of its max, every run = 190, 230 ms  (goal <= 250 ms in every run: 2 of"
                        + " 2, met)");
        List<String> md = ResultsReport.markdown(report);
        assertThat(md).anyMatch(line -> line.startsWith("Latency with one entity type, 2 stream threads,")
                && line.contains("maximum at 2 stream threads (900 events/s, measured at 2 threads)")
                && line.contains("**190, 230 ms**, 2 runs, one per repeat (goal ≤ 250 ms in every run: 2 of 2,"
                        + " ✔ met)"));
        assertThat(md).contains("The (f) rows marked 2 stream threads are paced at a fraction of (f)'s own maximum at"
                + " 2 stream threads, 900 events/s (measured at 2 threads).");
    }

    @Test
    void shouldJudgeTheEntityVariantsP99OnEveryRunOfItsJudgedRow() {
        E2eReport report = entityReport();
        // two more runs of (f)'s judged row (one per repeat), and a row of another setting that is not judged
        for (long p99 : new long[] {240, 250}) {
            report.latency.add(new Results.Latency(Variant.ENTITIES, "(f) exactly-once", "exactly_once_v2", 0.5, 320,
                    320, 3_840, 3_840, 0, 160, 230, p99, 300, 120, 170, 190, "1.00", "1.00", 900, 1_200,
                    Double.NaN, Results.GcPauses.UNKNOWN, Results.RunDelay.UNKNOWN, Results.ClientWaits.UNKNOWN, 1));
        }
        report.latency.add(new Results.Latency(Variant.ENTITIES, "(f) exactly-once, commit.interval.ms=20",
                "exactly_once_v2", 0.5, 320, 320, 3_840, 3_840, 0, 160, 230, 900, 950, 120, 170, 190, "1.00", "1.00",
                900, 1_200, Double.NaN, Results.GcPauses.UNKNOWN, Results.RunDelay.UNKNOWN,
                Results.ClientWaits.UNKNOWN, 1));

        assertThat(report.eosP99sAtHalf(Variant.ENTITIES)).containsExactly(260, 240, 250);
        assertThat(report.verdict()).contains("(f) full pipeline, one entity type (terminal): p99 event-to-prediction,"
                + " exactly-once, 50 % of its max, every run = 260, 240, 250 ms  (goal <= 250 ms in every run: 2 of 3,"
                + " MISSED)");
        assertThat(ResultsReport.markdown(report)).anyMatch(line -> line.contains("p99 event-to-prediction (visible)"
                + " **260, 240, 250 ms**, 3 runs, one per repeat (goal ≤ 250 ms in every run: 2 of 3, ✘ missed)"));

        report.latency.removeIf(l -> l.variant() == Variant.ENTITIES && l.visibleP99() == 260);
        assertThat(report.verdict()).contains("(f) full pipeline, one entity type (terminal): p99 event-to-prediction,"
                + " exactly-once, 50 % of its max, every run = 240, 250 ms  (goal <= 250 ms in every run: 2 of 2,"
                + " met)");
    }

    @Test
    void shouldPrintEachProfileUnderAHeadingThatNamesWhatItsRunRead() {
        E2eReport report = entityReport();
        report.profiles.add(new Results.Profile("the full pipeline", "10,000 users, the throughput input",
                "/tmp/a.jfr", List.of("| step | method | % |", "| commits | `TaskManager.commit` | 10.2 |")));
        report.profiles.add(new Results.Profile("(g) full pipeline, one entity type (terminal), broadcast",
                "10,000 users, the throughput input", "/tmp/g.jfr",
                List.of("| step | method | % |", "| entity step | `EntityProcessor.process` | 12.0 |")));
        report.profiles.add(new Results.Profile("the full pipeline",
                "1,000,000 users, the largest scaling point (2,000,000 events)", "/tmp/b.jfr",
                List.of("| step | method | % |", "| commits | `TaskManager.commit` | 7.0 |")));

        assertThat(ResultsReport.markdown(report)).containsSubsequence(
                "## Profile of the full pipeline (JFR): 10,000 users, the throughput input",
                "| commits | `TaskManager.commit` | 10.2 |",
                "## Profile of (g) full pipeline, one entity type (terminal), broadcast (JFR): 10,000 users, the"
                        + " throughput input",
                "| entity step | `EntityProcessor.process` | 12.0 |",
                "## Profile of the full pipeline (JFR): 1,000,000 users, the largest scaling point (2,000,000 events)",
                "| commits | `TaskManager.commit` | 7.0 |");
    }

    @Test
    void shouldTabulateWhatThePipelineTookOfEachOfferAndLeaveTheTableOutWithoutARamp() {
        E2eReport report = entityReport();
        assertThat(ResultsReport.markdown(report)).noneMatch(line -> line.startsWith("| offer (× throughput max)"));

        report.offers.add(new Results.Offer(0.5, 30_000, new E2eRunner.LiveMax(29_940, 29_990, 33.0)));
        report.offers.add(new Results.Offer(1.5, 90_000, new E2eRunner.LiveMax(44_000, 88_000, 32.5)));

        List<String> md = ResultsReport.markdown(report);
        assertThat(md).containsSubsequence(
                "| offer (× throughput max) | offered/s | sent/s | **predicted/s** | predicted ÷ sent | counted over s |",
                "|---:|---:|---:|---:|---:|---:|",
                "| 0.50 | 30,000 | 29,990 | **29,940** | 0.998 | 33.0 |",
                "| 1.50 | 90,000 | 88,000 | **44,000** | 0.500 | 32.5 |");
    }

    @Test
    void shouldReportEOverCNextToDOverCInTheTables() {
        List<String> md = ResultsReport.markdown(report());

        assertThat(md).contains("## Interest heads on: (d) and (e) against (c)",
                "| d/c on the median steady-window rates | 1 | **0.600** | 0.600, 0.650, 0.582 | ≥ 0.7 ✘ missed |",
                "| e/c on the median steady-window rates | 1 | **0.900** | 0.900, 0.900, 0.900 | ≥ 0.7 ✔ met |",
                "| e/c on whole-run events/s | 1 | **0.900** | 0.900, 0.900, 0.900 |  |",
                "- **(e) full pipeline, interest model, recommendations on request**: the top-3 next categories, no"
                        + " recommendations (`interests.recommendations.k=0`: on request only), the seen set still"
                        + " kept, the interest shift (`interests.recommendations.k=0`).",
                "`user-interests` records written by a run: (d) 1,000 for 1,000 predictions; (e) 1,000 for 1,000"
                        + " predictions.");
        assertThat(md).anyMatch(line -> line.startsWith("| e) full pipeline, interest model, recommendations on"
                + " request | 1 | 3 | 9 | **990** |"));
        assertThat(md).anyMatch(line -> line.startsWith("| e) full pipeline, interest model, recommendations on"
                + " request | 1 | **495** |"));
        assertThat(md).contains("- " + report().verdict().get(1));
    }

    /** A run of {@code variant} as {@link #run} makes it, with {@code appCpuSeconds} and extra settings. */
    private static Results.Throughput run(Variant variant, int repeat, double rate, double appCpuSeconds,
            Map<String, String> extra) {
        Results.Throughput r = run(variant, repeat, rate, rate / 2);
        return new Results.Throughput(r.variant(), r.threads(), r.repeat(), r.events(), r.outputs(), r.seconds(),
                r.eventsPerSecond(), r.steadyEventsPerSecond(), r.firstOutputSeconds(), appCpuSeconds,
                r.jvmCpuSeconds(), r.jitSeconds(), r.loadBefore(), r.loadAfter(), r.completed(), r.sideOutputs(), r.state(), extra,
                r.windowRates(), null);
    }

    @Test
    void shouldJudgeIssue15sGoalsAndKeepDiagnosticRunsOutOfTheVariantRatios() {
        E2eReport report = new E2eReport(E2eOptions.parse("--threads", "1", "--repeats", "3", "--only",
                "throughput,latency", "--variants", "a,n,c", "--diagnostic", "commit.interval.ms=100"));
        Map<String, String> slowerCommits = Map.of("commit.interval.ms", "100");
        double[] a = {10_000, 12_000, 11_000};
        double[] n = {4_000, 4_400, 4_200};
        double[] c = {3_800, 4_000, 4_300};  // c/a 0.380, 0.333, 0.391 -> 0.380; c/b′ 0.950, 0.909, 1.024 -> 0.950
        double[] diag = {4_180, 4_000, 3_870}; // ÷ c: 1.100, 1.000, 0.900 -> 1.000
        for (int repeat = 0; repeat < 3; repeat++) {
            report.throughput.add(run(Variant.PASS_THROUGH, repeat, a[repeat], 0.002, Map.of()));
            report.throughput.add(run(Variant.NO_OP_MODEL, repeat, n[repeat], 0.020, Map.of()));
            // 1,000 events: 24, 26 and 22 ms of application CPU -> 24 µs per event (median)
            report.throughput.add(run(Variant.FULL, repeat, c[repeat], 0.024 + (repeat == 1 ? 0.002 : 0)
                    - (repeat == 2 ? 0.002 : 0), Map.of()));
            // a diagnostic run is (c) with other settings: never a repeat of (c) itself
            report.throughput.add(run(Variant.FULL, repeat, diag[repeat], 0.030, slowerCommits));
        }
        for (long p99 : new long[] {120, 149, 151}) {
            report.latency.add(new Results.Latency(Variant.FULL, "exactly-once (defaults)", "exactly_once_v2", 0.5,
                    2_000, 2_000, 30_000, 30_000, 0, 60, 100, p99, 200, 2, 8, 12, "1.00", "1.00", 300, 800,
                    Double.NaN, Results.GcPauses.UNKNOWN, Results.RunDelay.UNKNOWN, Results.ClientWaits.UNKNOWN, 1));
        }

        assertThat(report.medianRatio(Variant.FULL, Variant.PASS_THROUGH, 1, Results.Throughput::medianWindowRate)
                .getAsDouble()).isCloseTo(0.38, within(1e-9));
        assertThat(report.medianAppCpuMicros(Variant.FULL, 1).getAsDouble()).isCloseTo(24, within(1e-9));
        assertThat(report.diagnosticRatios(slowerCommits, Results.Throughput::medianWindowRate))
                .containsExactly(new double[] {1.1, 1.0, 0.9}, within(1e-9));
        assertThat(report.eosP99sAtHalf()).containsExactly(120, 149, 151);
        assertThat(report.verdict()).contains(
                "issue 15: c/a on the median steady-window rates (1 thread) = 0.380  (goal >= 0.35: met)",
                "issue 15: c/b′ (b′: Pulse's topology with a no-op model) on the median steady-window rates (1 thread)"
                        + " = 0.950  (goal >= 0.9: met)",
                "issue 15: (c) application CPU per event (1 thread, median over the repeats) = 24.0 µs  (goal <= 25"
                        + " µs: met)",
                "issue 15: p99 event-to-prediction, exactly-once, 50 % of max, every run = 120, 149, 151 ms  (goal <="
                        + " 150 ms in three runs out of three: 2 of 3, MISSED)");

        List<String> md = ResultsReport.markdown(report);
        assertThat(md).contains("| `{commit.interval.ms=100}` | 3 | 2,000 | 4,000 | 30.0 | 24.0 | **1.000** (1.100,"
                + " 1.000, 0.900) |");
        String summary = ResultsReport.summary(report, java.nio.file.Path.of("benchmarks", "RESULTS.md"));
        assertThat(summary).contains("| n) Pulse topology, no-op model (b′) | 4,200 (3,900 – 4,500) | 20.0 |",
                "| c) full Pulse pipeline | 4,000 (3,700 – 4,400) | 24.0 |",
                "- issue 15: c/b′ (b′: Pulse's topology with a no-op model)", "[RESULTS.md](../benchmarks/RESULTS.md)");
    }

    @Test
    void shouldSayTheSteadyRatioToPassThroughIsNotMeasuredWhenPassThroughIsTooFastForAWindow() {
        E2eReport report = new E2eReport(E2eOptions.parse("--threads", "1", "--repeats", "1", "--only", "throughput",
                "--variants", "a,c"));
        Results.Throughput fast = run(Variant.PASS_THROUGH, 0, 200_000, 150_000);
        report.throughput.add(new Results.Throughput(fast.variant(), 1, 0, fast.events(), fast.outputs(),
                fast.seconds(), fast.eventsPerSecond(), fast.steadyEventsPerSecond(), fast.firstOutputSeconds(),
                fast.appCpuSeconds(), fast.jvmCpuSeconds(), fast.jitSeconds(), fast.loadBefore(), fast.loadAfter(), true,
                fast.sideOutputs(), null, Map.of(), List.of(), null));
        report.throughput.add(run(Variant.FULL, 0, 30_000, 25_000));

        assertThat(report.verdict()).anyMatch(line -> line.startsWith("issue 15: c/a on the median steady-window"
                + " rates (1 thread): NOT MEASURED (goal >= 0.35)"));
    }

    @Test
    void shouldJudgeTheLargestUserCountAgainstTheFirstOnMedianSteadyRates() {
        E2eReport report = new E2eReport(E2eOptions.parse("--threads", "1", "--repeats", "3", "--only", "scaling",
                "--variants", "c"));
        // steady/s is 1.1 x the whole-run rate in these runs: median 22,000 of 22,000 / 11,000 / 33,000
        report.scaling.add(new Results.Scaling(10_000, 9_000, 200_000, 130, run(Variant.STATEFUL, 0, 60_000, 50_000),
                List.of(run(Variant.FULL, 0, 25_000, 20_000), run(Variant.FULL, 1, 12_000, 10_000),
                        run(Variant.FULL, 2, 36_000, 30_000)), List.of()));
        // median 16,500 of 16,500 / 17,600 / 15,400; and (c) with a larger block cache: steady 24,200 -> 1.467
        report.scaling.add(new Results.Scaling(1_000_000, 1_000_000, 2_000_000, 130,
                run(Variant.STATEFUL, 0, 50_000, 40_000), List.of(run(Variant.FULL, 0, 18_000, 15_000),
                        run(Variant.FULL, 1, 19_000, 16_000), run(Variant.FULL, 2, 17_000, 14_000)),
                List.of(run(Variant.FULL, 0, 44_000, 0.02, Map.of("rocksdb.block.cache.bytes", "536870912")))));

        assertThat(report.scalingRatio().getAsDouble()).isCloseTo(0.75, within(1e-9));
        assertThat(report.scaling().get(1).full().steadyEventsPerSecond()).as("the median run").isEqualTo(16_500);
        assertThat(report.verdict()).containsExactly("issue 15: (c) at 1,000,000 users ÷ (c) at 10,000 users, median"
                + " steady rates, 2 events per user = 0.750  (goal >= 0.7: met)");
        List<String> md = ResultsReport.markdown(report);
        assertThat(md).anyMatch(line -> line.startsWith("Issue 15: (c) at 1,000,000 users ÷ (c) at 10,000 users,"
                + " median steady/s (from the first committed output) over each point's runs of (c) = **0.750** (goal"
                + " ≥ 0.7 ✔ met). After the first point the events are dealt out to every user in turn, 2 per user"));
        assertThat(md).anyMatch(line -> line.startsWith("For comparison, the whole-run rates")
                && line.endsWith("at 1,000,000 users ÷ at 10,000 users = 0.800; (c) = 0.750."));
        assertThat(md).anyMatch(line -> line.startsWith("| 10,000 | 9,000 | 200,000 | 50,000 | 20,000 | 22,000"
                + " (11,000 – 33,000) | 3 | 0.400 |"));
        assertThat(md).contains("| `{rocksdb.block.cache.bytes=536870912}` | 22,000 | 24,200 | 1.467 |");
    }

    @Test
    void shouldReportWhatTheFrameworkDidPerEventAsTheMedianOverRepeats() {
        E2eReport report = new E2eReport(E2eOptions.parse("--threads", "1", "--repeats", "3", "--only", "throughput",
                "--variants", "c"));
        double[] commits = {90, 100, 110};
        for (int repeat = 0; repeat < 3; repeat++) {
            // 1,000 events in 1 s (wholeRun 1,000/s); 20 ms per commit; 3 records of 260 bytes per event
            Results.Throughput run = run(Variant.FULL, repeat, 1_000, 1_000);
            FrameworkWork work = new FrameworkWork(commits[repeat], commits[repeat] * 0.02, 40 + repeat, 0.5,
                    0.25, 3_000, 260_000, 120, 1_000, repeat, 0,
                    repeat == 0 ? Map.of() : Map.of("user-predictions", (double) repeat), 40, 0.1, 3 + repeat);
            report.throughput.add(new Results.Throughput(run.variant(), run.threads(), run.repeat(), run.events(),
                    run.outputs(), run.seconds(), run.eventsPerSecond(), run.steadyEventsPerSecond(),
                    run.firstOutputSeconds(), run.appCpuSeconds(), run.jvmCpuSeconds(), run.jitSeconds(), run.loadBefore(),
                    run.loadAfter(), run.completed(), run.sideOutputs(), run.state(), run.extraSettings(),
                    run.windowRates(), work));
        }

        // a diagnostic run of (c): its own row, labelled with its settings
        Results.Throughput base = run(Variant.FULL, 0, 1_000, 1_000);
        report.throughput.add(new Results.Throughput(base.variant(), base.threads(), base.repeat(), base.events(),
                base.outputs(), base.seconds(), base.eventsPerSecond(), base.steadyEventsPerSecond(),
                base.firstOutputSeconds(), base.appCpuSeconds(), base.jvmCpuSeconds(), base.jitSeconds(),
                base.loadBefore(), base.loadAfter(), base.completed(), base.sideOutputs(), base.state(),
                Map.of("inactivity.check.interval.ms", "100"), base.windowRates(), new FrameworkWork(50, 1, 30, 0.5,
                        0.25, 3_000, 260_000, 120, 1_000, 0, 0, Map.of(), 400, 0.05, 0.5)));

        List<String> md = ResultsReport.markdown(report);

        // medians: 100 commits/s, 2.00 s committing per 1 s run, max 41 ms, 5.0 ms in commitTransaction per commit,
        // 3.0 records and 260 bytes per event, 1.00 changelog record per event, 30 records per commit; 40
        // punctuations taking 0.1 s in the 1 s run, the longest 4 ms (the median of 3, 4, 5)
        assertThat(md).contains("| c) full Pulse pipeline | 1 | 100.0 | 2.00 | 41.0 | 5.0 | 3.00 | 260 | 1.00 | 30.0 |"
                + " 0.25 | 40.0 | 0.100 | 4.0 | 0, 1, 2 |");
        assertThat(md).contains("| c) with `{inactivity.check.interval.ms=100}` | 1 | 50.0 | 1.00 | 30.0 | 10.0 | 3.00 |"
                + " 260 | 1.00 | 60.0 | 0.25 | 400.0 | 0.050 | 0.5 | 0 |");
        assertThat(md).contains("Record retries by topic: c) 1 thread, repeat 2: user-predictions 1; c) 1 thread,"
                + " repeat 3: user-predictions 2.");
    }
}

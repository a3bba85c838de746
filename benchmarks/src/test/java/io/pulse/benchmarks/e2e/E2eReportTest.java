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
                1.0, 0.5, 1.0, "1.00 1.00 1.00", "1.00 1.00 1.00", true, side, null, Map.of(),
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
        report.maxRateForEntityLatency.put(Variant.ENTITIES, 640.0);
        report.latency.add(new Results.Latency(Variant.FULL, "exactly-once", "exactly_once_v2", 0.5, 500, 500,
                6_000, 6_000, 0, 90, 140, 180, 200, 5, 8, 12, "1.00", "1.00"));
        report.latency.add(new Results.Latency(Variant.ENTITIES, "(f) exactly-once", "exactly_once_v2", 0.5, 320,
                320, 3_840, 3_840, 0, 160, 230, 260, 300, 120, 170, 190, "1.00", "1.00"));
        return report;
    }

    @Test
    void shouldJudgeTheEntityVariantAgainstCAndItsOwnP99AtHalfItsMaximum() {
        E2eReport report = entityReport();

        assertThat(report.eosP99AtHalf().getAsDouble()).isEqualTo(180);
        assertThat(report.eosP99AtHalf(Variant.ENTITIES).getAsDouble()).isEqualTo(260);
        assertThat(report.verdict()).containsExactly(
                "f/c (full pipeline, one entity type (terminal)) ÷ (c) without entities, steady windows (1 thread)"
                        + " = 0.583  (goal >= 0.6: MISSED)",
                "p99 event-to-prediction, exactly-once, 50 % of max = 180 ms  (goal <= 250 ms: met)",
                "(f) full pipeline, one entity type (terminal): p99 event-to-prediction, exactly-once, 50 % of its max"
                        + " = 260 ms  (goal <= 250 ms: MISSED)");

        List<String> md = ResultsReport.markdown(report);
        assertThat(md).contains("## One entity type: (f) against (c)",
                "| f/c on the median steady-window rates | 1 | **0.583** | 0.650, 0.583, 0.500 | ≥ 0.6 ✘ missed |",
                "| f/c on whole-run events/s | 1 | **0.583** | 0.650, 0.583, 0.500 |  |");
        assertThat(md).anyMatch(line -> line.startsWith("| f) full pipeline, one entity type (terminal) | 1 | 3 | 9 |"
                + " **650** |"));
        assertThat(md).anyMatch(line -> line.contains("p99 event-to-prediction (visible) **260 ms** (goal ≤ 250 ms:"
                + " ✘ missed)") && line.contains("640 events/s"));
        assertThat(md).anyMatch(line -> line.startsWith("(f) runs (c)'s topology with `entities.types=terminal`"
                + " (horizons 1/7/30 days, label delay 7 days, buckets of 1 day: the defaults)"));
        assertThat(md).noneMatch(line -> line.startsWith("## Interest heads on"));
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
                    repeat == 0 ? Map.of() : Map.of("user-predictions", (double) repeat));
            report.throughput.add(new Results.Throughput(run.variant(), run.threads(), run.repeat(), run.events(),
                    run.outputs(), run.seconds(), run.eventsPerSecond(), run.steadyEventsPerSecond(),
                    run.firstOutputSeconds(), run.appCpuSeconds(), run.jvmCpuSeconds(), run.loadBefore(),
                    run.loadAfter(), run.completed(), run.sideOutputs(), run.state(), run.extraSettings(),
                    run.windowRates(), work));
        }

        List<String> md = ResultsReport.markdown(report);

        // medians: 100 commits/s, 2.00 s committing per 1 s run, max 41 ms, 5.0 ms in commitTransaction per commit,
        // 3.0 records and 260 bytes per event, 1.00 changelog record per event, 30 records per commit
        assertThat(md).contains("| c) full Pulse pipeline | 1 | 100.0 | 2.00 | 41.0 | 5.0 | 3.00 | 260 | 1.00 | 30.0 |"
                + " 0.25 | 0, 1, 2 |");
        assertThat(md).contains("Record retries by topic: c) 1 thread, repeat 2: user-predictions 1; c) 1 thread,"
                + " repeat 3: user-predictions 2.");
    }
}

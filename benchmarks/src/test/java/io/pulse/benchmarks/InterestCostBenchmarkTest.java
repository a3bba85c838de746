package io.pulse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InterestCostBenchmarkTest {

    @Test
    void shouldJudgeTheGoalByTheMedianOfThePerEventInterestWork() {
        List<InterestCostBenchmark.Row> rows = List.of(
                row("v1StepAndHeads", "", 2_000),
                row("nextItems", "10", 30_000),
                row("perEventInterests", "10", 42_000),
                row("perEventInterests", "20", 61_000),
                row("perEventServed", "10", 48_000));

        String md = String.join("\n", InterestCostBenchmark.markdown(rows, true, "./pulse bench --interests --quick",
                "2026-01-01 00:00 UTC", "1.00 1.00 1.00", "1.00 1.00 1.00", 60));

        assertThat(md).contains("Command: `./pulse bench --interests --quick`")
                .contains("| (c) `LstmModel.nextItems` top-10 of 12,000, 30 seen excluded | 1,000 | **30.00** |")
                .contains("**Goal, K = 10:** the whole per-event interest work (d), which includes the step, the heads"
                        + " and the top-K, has a median of **42.0 µs** per event (iteration medians 41.0 – 43.0 µs):"
                        + " goal ≤ 50 µs ✔ met.")
                .contains("Beyond the version-1 step and heads: 40.0 µs")
                .contains("**Goal, K = 20:** the whole per-event interest work (d), which includes the step, the heads"
                        + " and the top-K, has a median of **61.0 µs** per event (iteration medians 60.0 – 62.0 µs):"
                        + " goal ≤ 50 µs ✘ missed.")
                .contains("| (e) as (d), with a served bundle's prior, category and brand affinities and history, K = 10"
                        + " | 1,000 | **48.00** |")
                .contains("**Goal, K = 10, served bundle:** the whole per-event interest work (e), which includes the"
                        + " step, the heads and the top-K, has a median of **48.0 µs** per event (iteration medians"
                        + " 47.0 – 49.0 µs): goal ≤ 50 µs ✔ met.");
    }

    private static InterestCostBenchmark.Row row(String method, String k, double medianNanos) {
        return new InterestCostBenchmark.Row(method, k, 1_000, medianNanos, medianNanos * 1.2, medianNanos * 2,
                medianNanos * 1.1, new double[] {medianNanos - 1_000, medianNanos, medianNanos + 1_000});
    }
}

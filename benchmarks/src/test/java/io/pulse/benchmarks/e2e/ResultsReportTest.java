package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultsReportTest {

    @Test
    void shouldKeepTheBlocksOfOtherBenchmarksWhenTheTablesAreRewritten() {
        String previous = "# old tables\n\n<!-- trainer:begin -->\n## Trainer\n| a | b |\n<!-- trainer:end -->\n"
                + "stale text\n<!-- soak:begin -->\n## Soak\n<!-- soak:end -->\n";

        String written = ResultsReport.withKeptBlocks("# new tables\n", previous);

        assertThat(written).startsWith("# new tables\n")
                .contains("<!-- trainer:begin -->\n## Trainer\n| a | b |\n<!-- trainer:end -->")
                .contains("<!-- soak:begin -->\n## Soak\n<!-- soak:end -->")
                .doesNotContain("old tables").doesNotContain("stale text");
    }

    @Test
    void shouldDropAnUnterminatedBlockRatherThanKeepHalfOfIt() {
        String written = ResultsReport.withKeptBlocks("# new\n", "<!-- trainer:begin -->\n## half a table\n");

        assertThat(written).isEqualTo("# new\n");
    }
}

package io.pulse.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.simulator.sequences.SequenceFormat;
import io.pulse.trainer.interest.NextItemModelReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse evaluate next-item} end to end on a small sequence file: trains, replays every history through the
 * production topology and scores what it published; the published lists must be exactly the offline ranking of the
 * same bundle (with the state stored as the pipeline stores it).
 */
class NextItemEvaluationTest {

    @TempDir
    Path dir;

    /** 60 users walk a cycle over items 1..24 from a seeded start; items 1-12 and 13-24 are two level-2 categories. */
    private Path cycles() throws IOException {
        StringBuilder lines = new StringBuilder();
        Random random = new Random(5);
        for (int user = 1; user <= 60; user++) {
            lines.append("user-").append(user);
            int item = 1 + random.nextInt(24);
            for (int step = 0; step < 5 + random.nextInt(6); step++) {
                lines.append(' ').append(item);
                item = item % 24 + 1;
            }
            lines.append('\n');
        }
        Files.writeString(dir.resolve("README.md"), String.join("\n", "# a data set", "",
                "| model | HR@10 | NDCG@10 | source |", "|---|---|---|---|", "| Model A | 0.0605 | 0.0318 | reported |",
                "| Model B | **0.0928** | 0.0523 | recomputed |", "", "after the table | 1 | 2 | 3 |"));
        return Files.writeString(dir.resolve("cycles.txt"), lines);
    }

    private Path items() throws IOException {
        List<String> entries = new ArrayList<>();
        for (int item = 1; item <= 24; item++) {
            // level-1 category 1 for all, level 2: 2 or 3; even items carry a brand first
            entries.add("\"" + item + "\": [" + (item % 2 == 0 ? (100 + item) + ", " : "") + "1, "
                    + (item <= 12 ? 2 : 3) + "]");
        }
        return Files.writeString(dir.resolve("items.json"), "{" + String.join(", ", entries) + "}");
    }

    private NextItemEvaluation.Options options(Path data, Path items) {
        return new NextItemEvaluation.Options(data, items, SequenceFormat.AUTO, 2,
                new NextItemModelReport.Settings(8, 4, 2, 0.0, 0.01, 0, 1, 1, 50, 64, 1), dir.resolve("NEXT_ITEM.md"),
                dir, "./pulse evaluate next-item --data cycles.txt");
    }

    @Test
    void shouldScoreWhatThePipelinePublishedAndFindItIdenticalToTheOfflineRanking() throws Exception {
        List<String> progress = new ArrayList<>();

        NextItemEvaluation.Outcome outcome = NextItemEvaluation.run(options(cycles(), items()), progress::add);

        assertThat(outcome.agreement()).as("published top-20 = offline top-20 with the state stored as the pipeline"
                + " stores it").isEqualTo(1.0);
        assertThat(outcome.published().users()).isEqualTo(60);
        assertThat(outcome.published().hitRate(10)).isEqualTo(outcome.offline().hitRate(10));
        assertThat(outcome.published().ndcg(10)).isEqualTo(outcome.offline().ndcg(10));
        assertThat(outcome.published().hitRate(10)).as("the co-occurrence prior recovers the cycle").isEqualTo(1.0);
        assertThat(outcome.publishedCategories().users()).isEqualTo(60);
        String report = Files.readString(dir.resolve("NEXT_ITEM.md"));
        assertThat(report).isEqualTo(outcome.report())
                .contains("| command | `./pulse evaluate next-item --data cycles.txt` |")
                .contains("| Model A (published) | 0.0605 | 0.0318 | – | – | reported |")
                .contains("| Model B (published) | **0.0928** | 0.0523 | – | – | recomputed |")
                .doesNotContain("after the table")
                .contains("| **Pulse, scored from the pipeline's published predictions** | 1.0000 | ")
                .contains("identical (same items, same order) to the trainer's offline top-20 for **100.00 %** of"
                        + " users")
                .contains("### The prior recounted with the validation items (not the published protocol)")
                .contains("| Pulse, scored from the pipeline's published predictions, prior recounted with the"
                        + " validation items | 1.0000 | ")
                .contains("### Next category (level 2)")
                .contains("| **Pulse, scored from the pipeline's published `nextCategories`** | ")
                .contains("## Category history, chosen on the validation targets")
                .contains("## Baselines on the same split")
                .contains("### Next item (24 items)");
        assertThat(progress).anyMatch(line -> line.contains("replayed position"));
    }

    @Test
    void shouldRunWithoutAnItemFileAndSayThereAreNoCategories() throws Exception {
        NextItemEvaluation.Outcome outcome = NextItemEvaluation.run(options(cycles(), null), line -> { });

        assertThat(outcome.agreement()).isEqualTo(1.0);
        assertThat(outcome.report()).contains("no item file (`--items`), so every item is in one category");
    }

    @Test
    void shouldMeasureOverlapIgnoringOrder() {
        assertThat(NextItemEvaluation.overlap(new int[] {1, 2, 3, 4}, new int[] {4, 3, 9, 8})).isEqualTo(0.5);
        assertThat(NextItemEvaluation.overlap(new int[0], new int[0])).isEqualTo(1.0);
    }
}

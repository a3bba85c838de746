package io.pulse.trainer.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.model.ModelBundles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NextItemModelReportTest {

    @TempDir
    Path dir;

    /**
     * 60 users walk a cycle over items 1..20 (item k then k + 1) from a seeded start: every next item is a function of
     * the last one, so the co-occurrence rule ranks every target first; the report trains a tiny network for two epochs
     * and prints it next to that baseline.
     */
    @Test
    void shouldTrainScoreWithTheKernelAndPrintNextToTheCooccurrenceBaseline() throws IOException {
        Path data = cycle();
        Path itemsFile = cycleItems();
        List<NextItemModelReport.Settings> grid = List.of(new NextItemModelReport.Settings(8, 4, 2, 0.0, 0.01, 0, 2,
                2, 50, 64, 1));

        String report = NextItemModelReport.run(data, itemsFile, 2, Integer.MAX_VALUE, grid,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(report)
                .contains("60 users, 20 items, 2 categories at level 2; 60 users evaluated")
                .contains("| hidden 8, item dim 4, category dim 2, dropout 0.0, lr 0.01, l2 0.0 | ")
                .contains("| Pulse LSTM (kernel), next_item head | ")
                .contains("| Pulse LSTM + co-occurrence blend (w = ")
                .contains("| co-occurrence W=3 L=5 decay=0.5 (baseline, same split) | 1.0000 | 1.0000 | 1.0000 |"
                        + " 1.0000 | 1.0000 | 1.0000 |")
                .contains("| Pulse LSTM next_category head | ")
                .contains("| Pulse LSTM next_category + the user's category counts");
    }

    /**
     * A learning rate too small to move the validation figures: no epoch after the first is better, so each one
     * multiplies the rate by the plateau factor, and patience ends the run; the chosen bundle (epoch 1) is saved.
     */
    @Test
    void shouldMultiplyTheLearningRateByThePlateauFactorAfterEveryEpochThatDidNotImprove() throws IOException {
        Path saved = dir.resolve("chosen.bundle");
        List<NextItemModelReport.Settings> grid = List.of(new NextItemModelReport.Settings(8, 4, 2, 0.0, 1e-9, 0, 5,
                2, 50, 64, 1).withPlateauFactor(0.5));
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        String report = NextItemModelReport.run(cycle(), cycleItems(), 2, Integer.MAX_VALUE, grid, saved,
                new PrintStream(log, true, StandardCharsets.UTF_8));

        String lines = log.toString(StandardCharsets.UTF_8);
        assertThat(lines).contains("no better than epoch 1, learning rate now 5.0E-10",
                "no better than epoch 1, learning rate now 2.5E-10").doesNotContain("1.25E-10").contains("epoch 3:")
                .doesNotContain("epoch 4:");
        assertThat(report).contains("lr 1.0E-9 (× 0.5 on a plateau)").contains("## Chosen: ").contains(", epoch 1");
        assertThat(ModelBundles.read(saved).getVersion()).isEqualTo("epoch-1");
        assertThatThrownBy(() -> grid.get(0).withPlateauFactor(0)).hasMessageContaining("(0, 1]");
    }

    private Path cycle() throws IOException {
        StringBuilder lines = new StringBuilder();
        Random random = new Random(2);
        for (int user = 1; user <= 60; user++) {
            lines.append(user);
            int item = 1 + random.nextInt(20);
            for (int step = 0; step < 6 + random.nextInt(4); step++) {
                lines.append(' ').append(item);
                item = item % 20 + 1;
            }
            lines.append('\n');
        }
        return Files.writeString(dir.resolve("cycle.txt"), lines);
    }

    private Path cycleItems() throws IOException {
        StringBuilder items = new StringBuilder("{");
        for (int item = 1; item <= 20; item++) {
            // level 1 category 1, level 2 category 2 or 3 (first and second half of the cycle); even items have a
            // brand first, which is how the attribute file reveals that 1 is a level-1 category
            items.append(item == 1 ? "" : ", ").append('"').append(item).append("\": [")
                    .append(item % 2 == 0 ? (100 + item) + ", " : "").append("1, ").append(item <= 10 ? 2 : 3)
                    .append(']');
        }
        return Files.writeString(dir.resolve("cycle_item2attributes.json"), items.append('}'));
    }
}

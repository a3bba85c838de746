package io.pulse.trainer.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.simulator.sequences.MalformedFileException;
import io.pulse.simulator.sequences.SequenceFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineReportTest {

    @TempDir
    Path dir;

    @Test
    void shouldPrintEveryBaselineOnValidationAndTest() throws IOException {
        Path data = Files.writeString(dir.resolve("tiny.txt"), """
                1 10 11 12 13 14
                2 11 12 13 10
                3 10 12 11 14 13
                4 12 13 14
                """);
        Path items = Files.writeString(dir.resolve("tiny_item2attributes.json"),
                "{\"10\": [1, 2], \"11\": [9, 1, 3], \"12\": [4, 5], \"13\": [8, 4], \"14\": [1]}");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        BaselineReport.run(data, items, 2, SequenceFormat.AUTO, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report)
                .contains("4 users, 5 items, 17 interactions; 4 users evaluated")
                .contains("| popularity |", "| Markov chain |", "| recent popularity (last ", "| co-occurrence W=",
                        "| co-occurrence by 1/distance W=", "the served prior's family",
                        "the served ranking without the network", "+ category affinity ")
                .contains("## Next item, test with the models refitted on training + validation items")
                .contains("## Next category at level 2 (5 categories")
                .contains("| repeat last |", "| user's most frequent |", "| category Markov chain |")
                .contains("Run time: ");
    }

    @Test
    void shouldFailOnAMalformedDataFileNamingTheLine() throws IOException {
        Path data = Files.writeString(dir.resolve("bad.txt"), "1 10 11 12\n2\n");

        assertThatThrownBy(() -> BaselineReport.run(data, null, 2, SequenceFormat.AUTO,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("bad.txt:2: user '2' has no item");
    }
}

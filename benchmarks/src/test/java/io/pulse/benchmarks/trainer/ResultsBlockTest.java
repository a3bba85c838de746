package io.pulse.benchmarks.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsBlockTest {

    private static final String B = ResultsBlock.BEGIN;
    private static final String E = ResultsBlock.END;

    @Test
    void shouldAppendTheBlockAfterABlankLineWhenTheDocumentHasNone() {
        String document = "# Results\n\ne2e tables\n";

        assertThat(ResultsBlock.upsert(document, "## Trainer\nnew"))
                .isEqualTo("# Results\n\ne2e tables\n\n" + B + "\n## Trainer\nnew\n" + E + "\n");
    }

    @Test
    void shouldAddTheMissingLineBreakBeforeAppending() {
        assertThat(ResultsBlock.upsert("no newline at the end", "x"))
                .isEqualTo("no newline at the end\n\n" + B + "\nx\n" + E + "\n");
    }

    @Test
    void shouldWriteOnlyTheBlockIntoAnEmptyDocument() {
        assertThat(ResultsBlock.upsert("", "x\n\n")).isEqualTo(B + "\nx\n" + E + "\n");
    }

    @Test
    void shouldReplaceOnlyTheBlockAndKeepEverythingAroundIt() {
        String document = "before\n\n" + B + "\nold\nlines\n" + E + "\n\nafter\n";

        assertThat(ResultsBlock.upsert(document, "new"))
                .isEqualTo("before\n\n" + B + "\nnew\n" + E + "\n\nafter\n");
    }

    @Test
    void shouldGiveTheSameDocumentWhenTheSameBodyIsWrittenTwice() {
        String once = ResultsBlock.upsert("head\n", "body");

        assertThat(ResultsBlock.upsert(once, "body")).isEqualTo(once);
    }

    @Test
    void shouldRefuseADocumentWithABeginMarkerButNoEndMarker() {
        assertThatThrownBy(() -> ResultsBlock.upsert("x\n" + B + "\nhalf a block\n", "new"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(E);
    }

    @Test
    void shouldExtractTheBlockWithItsMarkers() {
        String document = "head\n" + B + "\nbody\n" + E + "\ntail\n";

        assertThat(ResultsBlock.extract(document)).contains(B + "\nbody\n" + E + "\n");
        assertThat(ResultsBlock.extract("no block here\n")).isEmpty();
    }

    @Test
    void shouldCarryTheOldBlockIntoARegeneratedDocument() {
        String old = "# old e2e tables\n\n" + B + "\ntrainer numbers\n" + E + "\n";
        String regenerated = "# new e2e tables\n";

        assertThat(ResultsBlock.carryOver(old, regenerated))
                .isEqualTo("# new e2e tables\n\n" + B + "\ntrainer numbers\n" + E + "\n");
        assertThat(ResultsBlock.carryOver("# no block\n", regenerated)).isEqualTo(regenerated);
        assertThat(ResultsBlock.carryOver(null, regenerated)).isEqualTo(regenerated);
    }

    @Test
    void shouldReplaceTheBlockOfAFileAndCreateAMissingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub").resolve("RESULTS.md");

        ResultsBlock.write(file, "first");
        Files.writeString(file, "e2e\n" + Files.readString(file) + "tail\n");
        ResultsBlock.write(file, "second");

        assertThat(Files.readString(file)).isEqualTo("e2e\n" + B + "\nsecond\n" + E + "\ntail\n");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).containsExactly(file);
        }
    }
}

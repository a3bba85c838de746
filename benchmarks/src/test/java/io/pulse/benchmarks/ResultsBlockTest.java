package io.pulse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsBlockTest {

    private static final ResultsBlock TRAINER = ResultsBlock.named("trainer");
    private static final String B = TRAINER.begin();
    private static final String E = TRAINER.end();

    @Test
    void shouldAppendTheBlockAfterABlankLineWhenTheDocumentHasNone() {
        String document = "# Results\n\ne2e tables\n";

        assertThat(TRAINER.upsert(document, "## Trainer\nnew"))
                .isEqualTo("# Results\n\ne2e tables\n\n" + B + "\n## Trainer\nnew\n" + E + "\n");
    }

    @Test
    void shouldAddTheMissingLineBreakBeforeAppending() {
        assertThat(TRAINER.upsert("no newline at the end", "x"))
                .isEqualTo("no newline at the end\n\n" + B + "\nx\n" + E + "\n");
    }

    @Test
    void shouldWriteOnlyTheBlockIntoAnEmptyDocument() {
        assertThat(TRAINER.upsert("", "x\n\n")).isEqualTo(B + "\nx\n" + E + "\n");
    }

    @Test
    void shouldReplaceOnlyTheBlockAndKeepEverythingAroundIt() {
        String document = "before\n\n" + B + "\nold\nlines\n" + E + "\n\nafter\n";

        assertThat(TRAINER.upsert(document, "new"))
                .isEqualTo("before\n\n" + B + "\nnew\n" + E + "\n\nafter\n");
    }

    @Test
    void shouldGiveTheSameDocumentWhenTheSameBodyIsWrittenTwice() {
        String once = TRAINER.upsert("head\n", "body");

        assertThat(TRAINER.upsert(once, "body")).isEqualTo(once);
    }

    @Test
    void shouldRefuseADocumentWithABeginMarkerButNoEndMarker() {
        assertThatThrownBy(() -> TRAINER.upsert("x\n" + B + "\nhalf a block\n", "new"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(E);
    }

    @Test
    void shouldExtractTheBlockWithItsMarkers() {
        String document = "head\n" + B + "\nbody\n" + E + "\ntail\n";

        assertThat(TRAINER.extract(document)).contains(B + "\nbody\n" + E + "\n");
        assertThat(TRAINER.extract("no block here\n")).isEmpty();
    }


    @Test
    void shouldReplaceTheBlockOfAFileAndCreateAMissingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub").resolve("RESULTS.md");

        TRAINER.write(file, "first");
        Files.writeString(file, "e2e\n" + Files.readString(file) + "tail\n");
        TRAINER.write(file, "second");

        assertThat(Files.readString(file)).isEqualTo("e2e\n" + B + "\nsecond\n" + E + "\ntail\n");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).containsExactly(file);
        }
    }
}

package io.pulse.simulator.sequences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadOneUserPerLineInFileOrder() throws IOException {
        Path file = write("Beauty.txt", "1 1 2 3 4 5\n2 6 7\t8\n\n10 3 1\n");

        List<UserSequence> users = SequenceFile.read(file);

        assertThat(users).containsExactly(
                new UserSequence("1", List.of("1", "2", "3", "4", "5")),
                new UserSequence("2", List.of("6", "7", "8")),
                new UserSequence("10", List.of("3", "1")));
    }

    @Test
    void shouldReadInterleavedPairsKeepingEachUsersFileOrder() throws IOException {
        Path file = write("pairs.txt", "u2 a\nu1 b\nu2 c\nu1 a\nu1 a\nu3 z\n");

        List<UserSequence> users = SequenceFile.read(file);

        // users in the order of their first line; u1 consumed a twice and keeps both
        assertThat(users).containsExactly(
                new UserSequence("u2", List.of("a", "c")),
                new UserSequence("u1", List.of("b", "a", "a")),
                new UserSequence("u3", List.of("z")));
    }

    @Test
    void shouldReadTheSameFileAsEitherFormatWhenAskedExplicitly() throws IOException {
        Path file = write("two.txt", "u1 a\nu2 b\n");

        assertThat(SequenceFile.read(file, SequenceFormat.USER_PER_LINE))
                .isEqualTo(SequenceFile.read(file, SequenceFormat.PAIR_PER_LINE))
                .containsExactly(new UserSequence("u1", List.of("a")), new UserSequence("u2", List.of("b")));
    }

    @Test
    void shouldRejectAUserWithNoItemNamingFileAndLine() throws IOException {
        Path file = write("Beauty.txt", "1 1 2 3\n2\n3 4 5\n");

        assertThatThrownBy(() -> SequenceFile.read(file))
                .isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("Beauty.txt:2: ")
                .hasMessageContaining("user '2' has no item")
                .satisfies(e -> assertThat(((MalformedFileException) e).line()).isEqualTo(2));
    }

    @Test
    void shouldRejectAUserOnTwoLines() throws IOException {
        Path file = write("Beauty.txt", "1 1 2 3\n2 4 5 6\n1 7 8\n");

        assertThatThrownBy(() -> SequenceFile.read(file))
                .isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("Beauty.txt:3: user '1' already has a line (line 1)");
    }

    @Test
    void shouldRejectAPairLineWithThreeFields() throws IOException {
        Path file = write("pairs.txt", "u1 a\nu1 b c\n");

        assertThatThrownBy(() -> SequenceFile.read(file, SequenceFormat.PAIR_PER_LINE))
                .isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("pairs.txt:2: 3 fields (expected USER ITEM)");
    }

    @Test
    void shouldRejectAPairLineWithOneField() throws IOException {
        Path file = write("pairs.txt", "u1 a\n\nu1\n");

        assertThatThrownBy(() -> SequenceFile.read(file, SequenceFormat.PAIR_PER_LINE))
                .isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("pairs.txt:3: 1 field (expected USER ITEM)");
    }

    @Test
    void shouldRejectAnEmptyOrBlankFile() throws IOException {
        Path empty = write("empty.txt", "");
        Path blank = write("blank.txt", "\n  \n\t\n");

        assertThatThrownBy(() -> SequenceFile.read(empty))
                .isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("empty.txt: no sequence in the file");
        assertThatThrownBy(() -> SequenceFile.read(blank, SequenceFormat.PAIR_PER_LINE))
                .isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("blank.txt: no sequence in the file");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}

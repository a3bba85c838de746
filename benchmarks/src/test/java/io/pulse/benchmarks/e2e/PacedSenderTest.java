package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacedSenderTest {

    @TempDir
    Path dir;

    @Test
    void shouldHandTheSenderJvmExactlyTheRecordsItIsToSendInOrder() throws Exception {
        Path file = dir.resolve("records.bin");
        PacedSender.writeRecords(file, 3, i -> ("user-" + i).getBytes(StandardCharsets.UTF_8),
                i -> new byte[] {(byte) i, (byte) (i * 2), 0});

        List<byte[][]> records = PacedSender.readRecords(file);

        assertThat(records).hasSize(3);
        assertThat(new String(records.get(2)[0], StandardCharsets.UTF_8)).isEqualTo("user-2");
        assertThat(records.get(2)[1]).containsExactly(2, 4, 0);
        assertThat(records.get(0)[1]).containsExactly(0, 0, 0);
    }
}

package io.pulse.deployment.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshnessProbeTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path reports;

    @Test
    void shouldBeHealthyWhenARoundWroteAReportWithinTheMaximumAge() throws IOException {
        // Given an old round and one 20 minutes ago
        writeReport("20260301T080000Z-aaaa", NOW.minusSeconds(4 * 3600));
        writeReport("20260301T114000Z-bbbb", NOW.minusSeconds(20 * 60));

        assertThat(FreshnessProbe.run(CLOCK, reports.toString(), "3600")).isEqualTo(HttpProbe.HEALTHY);
    }

    @Test
    void shouldBeUnhealthyWhenTheNewestReportIsOlderThanTheMaximumAge() throws IOException {
        writeReport("20260301T080000Z-aaaa", NOW.minusSeconds(4 * 3600));

        assertThat(FreshnessProbe.run(CLOCK, reports.toString(), "9000")).isEqualTo(HttpProbe.UNHEALTHY);
    }

    @Test
    void shouldBeUnhealthyBeforeTheFirstRoundWroteAnything() {
        assertThat(FreshnessProbe.run(CLOCK, reports.toString(), "9000")).isEqualTo(HttpProbe.UNHEALTHY);
        assertThat(FreshnessProbe.run(CLOCK, reports.resolve("missing").toString(), "9000"))
                .isEqualTo(HttpProbe.UNHEALTHY);
    }

    @Test
    void shouldRefuseMisuseWithAUsageExitCode() {
        assertThat(FreshnessProbe.run(CLOCK, reports.toString())).isEqualTo(HttpProbe.USAGE);
        assertThat(FreshnessProbe.run(CLOCK, reports.toString(), "2h")).isEqualTo(HttpProbe.USAGE);
        assertThat(FreshnessProbe.run(CLOCK, reports.toString(), "0")).isEqualTo(HttpProbe.USAGE);
    }

    private void writeReport(String round, Instant written) throws IOException {
        Path file = Files.createDirectories(reports.resolve(round)).resolve("report.md");
        Files.writeString(file, "# report\n");
        Files.setLastModifiedTime(file, FileTime.from(written));
    }
}

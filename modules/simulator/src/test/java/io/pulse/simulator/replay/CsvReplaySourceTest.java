package io.pulse.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulse.contracts.EventType;
import io.pulse.contracts.LabelKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReplaySourceTest {

    /** The fraud data set shared by the team; its README describes the columns. */
    private static final Path FRAUD_DATA = Path.of(System.getProperty("pulse.datasets",
            "../../../shared/datasets"), "fraud-transactions");
    private static final String FRAUD_MAPPING = "user=CUSTOMER_ID,time=TX_DATETIME:yyyy-MM-dd HH:mm:ss,"
            + "type=const:PAYMENT,item=TERMINAL_ID,amount=TX_AMOUNT,label=TX_FRAUD,id=TRANSACTION_ID,"
            + "attr.terminal=TERMINAL_ID";

    @TempDir
    Path dir;

    private static List<ReplayRecord> readAll(CsvReplaySource source) {
        List<ReplayRecord> records = new ArrayList<>();
        source.forEachRemaining(records::add);
        return records;
    }

    @Test
    void shouldReplayTwoDaysOfTheFraudDataSetInTimeOrderWithDelayedFraudLabels() throws IOException {
        assumeTrue(Files.isDirectory(FRAUD_DATA), "the fraud data set is at " + FRAUD_DATA.toAbsolutePath()
                + " (set -Dpulse.datasets=DIR)");
        Files.copy(FRAUD_DATA.resolve("2018-04-01.csv.gz"), dir.resolve("2018-04-01.csv.gz"));
        Files.copy(FRAUD_DATA.resolve("2018-04-02.csv.gz"), dir.resolve("2018-04-02.csv.gz"));

        List<ReplayRecord> records;
        long outOfOrder;
        try (CsvReplaySource source = CsvReplaySource.open(dir, ColumnMapping.parse(FRAUD_MAPPING),
                ReplayOptions.defaults())) {
            records = readAll(source);
            outOfOrder = source.outOfOrderRows();
            assertThat(source.badRows()).isZero();
            assertThat(source.rowsRead()).isEqualTo(records.size());
        }

        assertThat(records).hasSizeGreaterThan(15_000);
        assertThat(outOfOrder).isZero();
        assertThat(records).isSortedAccordingTo((a, b) -> a.event().getEventTime().compareTo(b.event().getEventTime()));
        ReplayRecord first = records.get(0);
        // 0,0,2018-04-01 00:00:31,596,3156,57.16,31,0,0,0
        assertThat(first.event().getEventId()).isEqualTo("0");
        assertThat(first.event().getUserId()).isEqualTo("596");
        assertThat(first.event().getItemId()).isEqualTo("3156");
        assertThat(first.event().getAttributes()).containsEntry("terminal", "3156");
        assertThat(first.event().getAmount()).isEqualTo(57.16);
        assertThat(first.event().getType()).isEqualTo(EventType.PAYMENT);
        assertThat(first.event().getEventTime()).isEqualTo(Instant.parse("2018-04-01T00:00:31Z"));
        assertThat(first.label()).isNull();
        assertThat(records.get(records.size() - 1).event().getEventTime()).isBefore(Instant.parse("2018-04-03T00:00:00Z"));
        List<ReplayRecord> frauds = records.stream().filter(r -> r.label() != null).toList();
        assertThat(frauds).isNotEmpty().allSatisfy(r -> {
            assertThat(r.label().getKind()).isEqualTo(LabelKind.FRAUD);
            assertThat(r.label().getPositive()).isTrue();
            assertThat(r.label().getEventId()).isEqualTo(r.event().getEventId());
            assertThat(r.label().getUserId()).isEqualTo(r.event().getUserId());
            assertThat(Duration.between(r.label().getAppliesAt(), r.label().getObservedAt()))
                    .isEqualTo(Duration.ofDays(7));
        });
    }

    @Test
    void shouldReplayAMovieLensStyleRatingsFileSortedByTime() throws IOException {
        Path ratings = dir.resolve("ratings.csv");
        // MovieLens orders by user, not by time
        Files.writeString(ratings, """
                userId,movieId,rating,timestamp
                1,1,4.0,964982703
                1,3,4.0,964981247
                2,333,4.0,1445715029
                2,"1,5",4.5,1445714980
                3,31,0.5,1306463578
                """);

        List<ReplayRecord> records;
        try (CsvReplaySource source = CsvReplaySource.open(ratings,
                ColumnMapping.parse("user=userId,time=timestamp:epoch-s,type=const:RATING,item=movieId,rating=rating"),
                ReplayOptions.defaults())) {
            records = readAll(source);
            assertThat(source.outOfOrderRows()).isZero();
        }

        assertThat(records).extracting(r -> r.event().getEventTime().getEpochSecond())
                .containsExactly(964981247L, 964982703L, 1306463578L, 1445714980L, 1445715029L);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.event().getType()).isEqualTo(EventType.RATING);
            assertThat(r.label()).isNull();
            assertThat(r.event().getAmount()).isNull();
        });
        assertThat(records.get(3).event().getItemId()).as("quoted field with a comma").isEqualTo("1,5");
        assertThat(records.get(3).event().getRating()).isEqualTo(4.5f);
        assertThat(records.get(2).event().getRating()).isEqualTo(0.5f);
        // ids are a hash of file and row: stable across replays, unique
        assertThat(records).extracting(r -> r.event().getEventId()).doesNotHaveDuplicates();
        try (CsvReplaySource again = CsvReplaySource.open(ratings,
                ColumnMapping.parse("user=userId,time=timestamp:epoch-s,type=const:RATING"), ReplayOptions.defaults())) {
            assertThat(readAll(again)).extracting(r -> r.event().getEventId())
                    .isEqualTo(records.stream().map(r -> r.event().getEventId()).toList());
        }
    }

    @Test
    void shouldCountOutOfOrderRowsAcrossFilesAndWhenStreaming() throws IOException {
        writeGzip(dir.resolve("a.csv.gz"), "user,ts\nu1,30\nu2,10\n");
        Files.writeString(dir.resolve("b.csv"), "user,ts\nu1,20\nu3,40\n");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        ColumnMapping mapping = ColumnMapping.parse("user=user,time=ts:epoch-s");

        try (CsvReplaySource sorted = CsvReplaySource.open(dir, mapping, ReplayOptions.defaults())) {
            assertThat(readAll(sorted)).extracting(r -> r.event().getEventTime().getEpochSecond())
                    .containsExactly(10L, 30L, 20L, 40L);
            assertThat(sorted.outOfOrderRows()).as("20 comes after 30, in the next file").isEqualTo(1);
            assertThat(sorted.files()).extracting(p -> p.getFileName().toString()).containsExactly("a.csv.gz", "b.csv");
        }
        try (CsvReplaySource streamed = CsvReplaySource.open(dir, mapping,
                ReplayOptions.defaults().withSortWithinFile(false))) {
            assertThat(readAll(streamed)).extracting(r -> r.event().getEventTime().getEpochSecond())
                    .containsExactly(30L, 10L, 20L, 40L);
            assertThat(streamed.outOfOrderRows()).isEqualTo(2);
        }
    }

    @Test
    void shouldSkipAndReportBadRowsUpToTheLimit() throws IOException {
        Path file = dir.resolve("events.csv");
        Files.writeString(file, "user,ts,amount,fraud\nu1,10,1.5,0\n,11,1,0\nu2,yesterday,1,0\nu3,12,abc,1\n"
                + "u4,13,2,1\n");
        ColumnMapping mapping = ColumnMapping.parse("user=user,time=ts:epoch-s,amount=amount,label=fraud");

        try (CsvReplaySource source = CsvReplaySource.open(file, mapping,
                ReplayOptions.defaults().withNegativeLabels(true).withLabelDelay(Duration.ofHours(1)))) {
            List<ReplayRecord> records = readAll(source);
            assertThat(records).extracting(r -> r.event().getUserId()).containsExactly("u1", "u4");
            assertThat(records.get(0).label().getPositive()).isFalse();
            assertThat(records.get(1).label().getPositive()).isTrue();
            assertThat(records.get(1).label().getObservedAt()).isEqualTo(Instant.ofEpochSecond(13 + 3600));
            assertThat(source.badRows()).isEqualTo(3);
            assertThat(source.badRowSamples()).hasSize(3);
            assertThat(source.badRowSamples().get(0)).contains("events.csv line 3").contains("empty user");
            assertThat(source.badRowSamples().get(1)).contains("line 4").contains("'yesterday'");
            assertThat(source.badRowSamples().get(2)).contains("line 5").contains("amount 'abc'");
        }
        try (CsvReplaySource strict = CsvReplaySource.open(file, mapping, ReplayOptions.defaults().withMaxBadRows(1))) {
            assertThatThrownBy(() -> readAll(strict)).hasMessageContaining("more than 1 unreadable rows");
        }
    }

    @Test
    void shouldRefuseAFileWhoseHeaderLacksAMappedColumn() throws IOException {
        Path file = dir.resolve("events.csv");
        Files.writeString(file, "customer,ts\nu1,10\n");

        try (CsvReplaySource source = CsvReplaySource.open(file, ColumnMapping.parse("user=user,time=ts"),
                ReplayOptions.defaults())) {
            assertThatThrownBy(source::hasNext).hasMessageContaining("column 'user' (for user)")
                    .hasMessageContaining("[customer, ts]");
        }
        assertThatThrownBy(() -> CsvReplaySource.open(dir.resolve("missing"), ColumnMapping.parse("user=u,time=t"),
                ReplayOptions.defaults())).hasMessageContaining("no such file or directory");
    }

    private static void writeGzip(Path file, String content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }
}

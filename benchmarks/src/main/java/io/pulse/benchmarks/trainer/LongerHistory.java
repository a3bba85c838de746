package io.pulse.benchmarks.trainer;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The fraud data set made {@code scale} times longer: its daily files repeated end to end in time, copy {@code k}
 * shifted by {@code k} times the data set's span (so each customer's history, and each terminal's, is {@code scale}
 * times as long; the population stays the same), with row and transaction ids made distinct per copy. A longer
 * history of the same business, which is what "history grows" means for a trainer. Written as plain CSV files whose
 * names sort in time order ({@code 00-2018-04-01.csv}, ...), the way {@code CsvHistory} reads a directory.
 */
final class LongerHistory {

    /** The data set's header (its README): an unnamed row index, then the transaction's columns. */
    static final String HEADER = ",TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,"
            + "TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final long ID_STRIDE = 100_000_000L;

    /** What was written. */
    record Written(Path directory, int files, long rows) {
    }

    private LongerHistory() {
    }

    /** The first {@code maxDays} daily files of {@code data} ({@code 0}: all), {@code scale} times over. */
    static Written write(Path data, int maxDays, int scale, Path directory) throws IOException {
        List<Path> days;
        try (Stream<Path> files = Files.list(data)) {
            days = files.filter(f -> f.getFileName().toString().endsWith(".csv.gz")).sorted()
                    .limit(maxDays > 0 ? maxDays : Long.MAX_VALUE).toList();
        }
        if (days.isEmpty()) {
            throw new IllegalArgumentException(data + " has no daily .csv.gz files: point --data at the fraud data set"
                    + " (../shared/datasets/fraud-transactions)");
        }
        int spanDays = days.size();
        Files.createDirectories(directory);
        long rows = 0;
        int files = 0;
        for (int k = 0; k < scale; k++) {
            Duration shift = Duration.ofDays((long) k * spanDays);
            for (Path day : days) {
                String name = day.getFileName().toString().replace(".csv.gz", ".csv");
                Path out = directory.resolve(String.format(Locale.ROOT, "%02d-%s", k, name));
                rows += copy(day, out, k, shift);
                files++;
            }
        }
        return new Written(directory, files, rows);
    }

    private static long copy(Path in, Path out, int k, Duration shift) throws IOException {
        long rows = 0;
        try (InputStream raw = Files.newInputStream(in);
             BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw, 1 << 16),
                     StandardCharsets.UTF_8));
             BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (!HEADER.equals(header)) {
                throw new IllegalArgumentException(in + " does not have the fraud data set's header " + HEADER);
            }
            writer.write(header);
            writer.newLine();
            long shiftSeconds = shift.toSeconds();
            long shiftDays = shift.toDays();
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.split(",", -1);
                f[0] = Long.toString(k * ID_STRIDE + Long.parseLong(f[0]));
                f[1] = Long.toString(k * ID_STRIDE + Long.parseLong(f[1]));
                f[2] = TIME.format(LocalDateTime.parse(f[2], TIME).plus(shift));
                f[6] = Long.toString(Long.parseLong(f[6]) + shiftSeconds);
                f[7] = Long.toString(Long.parseLong(f[7]) + shiftDays);
                writer.write(String.join(",", f));
                writer.newLine();
                rows++;
            }
        }
        return rows;
    }
}

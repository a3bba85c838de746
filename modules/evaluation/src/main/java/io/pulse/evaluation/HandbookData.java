package io.pulse.evaluation;

import io.pulse.contracts.UserEvent;
import io.pulse.simulator.replay.ColumnMapping;
import io.pulse.simulator.replay.CsvReplaySource;
import io.pulse.simulator.replay.ReplayOptions;
import io.pulse.simulator.replay.ReplayRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * The fraud data set's daily files for a range of days, read through the simulator's CSV replay (the same reader
 * {@code pulse replay} uses), in event-time order, each row's FRAUD label due {@link HandbookFold#DELAY_DAYS} after it.
 * {@code TX_FRAUD_SCENARIO} is never mapped into an event; it is kept beside each transaction for the per-scenario
 * breakdown ({@link HandbookScenarios}).
 */
public final class HandbookData {

    /** The column mapping: the customer is the user, every transaction a PAYMENT, the terminal an item. */
    public static final String MAPPING = "user=CUSTOMER_ID,time=TX_DATETIME:yyyy-MM-dd HH:mm:ss,type=const:PAYMENT,"
            + "item=TERMINAL_ID,amount=TX_AMOUNT,label=TX_FRAUD,id=TRANSACTION_ID,attr.terminal=TERMINAL_ID";

    private final LocalDate from;
    private final LocalDate to;
    private final List<ReplayRecord> records;
    private final List<Transaction> transactions;

    private HandbookData(LocalDate from, LocalDate to, List<ReplayRecord> records, List<Transaction> transactions) {
        this.from = from;
        this.to = to;
        this.records = records;
        this.transactions = transactions;
    }

    /**
     * Reads the days {@code [from, to)} from {@code dir} (files {@code yyyy-MM-dd.csv.gz} or {@code .csv}).
     *
     * @throws IllegalArgumentException if a day's file is missing
     */
    public static HandbookData read(Path dir, LocalDate from, LocalDate to) {
        ColumnMapping mapping = ColumnMapping.parse(MAPPING);
        ReplayOptions options = ReplayOptions.defaults().withLabelDelay(Duration.ofDays(HandbookFold.DELAY_DAYS));
        List<ReplayRecord> records = new ArrayList<>(10_000 * (int) (to.toEpochDay() - from.toEpochDay()));
        List<Transaction> transactions = new ArrayList<>(records.size());
        CompromiseRuns runs = new CompromiseRuns();
        for (LocalDate day = from; day.isBefore(to); day = day.plusDays(1)) {
            Path file = dir.resolve(day + ".csv.gz");
            if (!Files.exists(file)) {
                file = dir.resolve(day + ".csv");
            }
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("no file for " + day + " in " + dir
                        + " (expected " + day + ".csv.gz)");
            }
            Map<String, Integer> scenarios = scenarios(file);
            try (CsvReplaySource source = CsvReplaySource.open(file, mapping, options)) {
                while (source.hasNext()) {
                    ReplayRecord record = source.next();
                    UserEvent event = record.event();
                    LocalDate eventDay = HandbookFold.dayOf(event.getEventTime().toEpochMilli());
                    boolean fraud = record.label() != null && record.label().getPositive();
                    records.add(record);
                    transactions.add(new Transaction(event.getEventId(), event.getUserId(), eventDay, fraud ? 1 : 0,
                            scenarios.getOrDefault(event.getEventId(), 0), runs.revealed(event, fraud)));
                }
                if (source.badRows() > 0) {
                    throw new IllegalStateException(source.badRows() + " unreadable rows in " + file + ": "
                            + source.badRowSamples());
                }
            }
        }
        return new HandbookData(from, to, records, transactions);
    }

    /**
     * {@link Transaction#compromiseRevealed()}, fed every transaction in event-time order: per terminal, the time of
     * the first fraud of its current unbroken run of frauds (a genuine transaction there ends the run); a fraud is
     * revealed when that first fraud is at least {@link HandbookFold#DELAY_DAYS} old (its label has arrived).
     */
    private static final class CompromiseRuns {

        private final long delay = Duration.ofDays(HandbookFold.DELAY_DAYS).toMillis();
        private final Map<String, Long> runStart = new HashMap<>();

        boolean revealed(UserEvent event, boolean fraud) {
            String terminal = event.getAttributes().get("terminal");
            if (!fraud) {
                runStart.remove(terminal);
                return false;
            }
            long at = event.getEventTime().toEpochMilli();
            return runStart.computeIfAbsent(terminal, k -> at) <= at - delay;
        }
    }

    /**
     * {@code TRANSACTION_ID → TX_FRAUD_SCENARIO} of a day's frauds, for the per-scenario breakdown only (the column
     * never reaches an event). A second plain read of the file: the replay's column mapping has no place for a
     * column the model must not see.
     */
    private static Map<String, Integer> scenarios(Path file) {
        Map<String, Integer> scenarios = new HashMap<>();
        try (BufferedReader in = reader(file)) {
            String header = in.readLine();
            List<String> columns = header == null ? List.of() : List.of(header.split(",", -1));
            int id = columns.indexOf("TRANSACTION_ID");
            int scenario = columns.indexOf("TX_FRAUD_SCENARIO");
            if (id < 0 || scenario < 0) {
                throw new IllegalArgumentException(file + ": no TRANSACTION_ID or TX_FRAUD_SCENARIO column in the"
                        + " header " + header);
            }
            int line = 1;
            for (String row = in.readLine(); row != null; row = in.readLine()) {
                line++;
                String[] fields = row.split(",", -1);
                if (fields.length <= Math.max(id, scenario)) {
                    throw new IllegalArgumentException(file + ":" + line + ": " + fields.length
                            + " fields, the header has " + columns.size());
                }
                String value = fields[scenario].trim();
                if (!value.isEmpty() && !value.equals("0")) {
                    scenarios.put(fields[id].trim(), Integer.parseInt(value));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return scenarios;
    }

    private static BufferedReader reader(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    public LocalDate from() {
        return from;
    }

    public LocalDate to() {
        return to;
    }

    /** Every row as the replay reads it (event + FRAUD label when fraudulent), in event-time order. */
    public List<ReplayRecord> records() {
        return records;
    }

    /** The bookkeeping view of {@link #records()}, index for index. */
    public List<Transaction> transactions() {
        return transactions;
    }

    /** Indices {@code [first, last)} of the records whose event time falls in {@code [fromDay, toDay)}. */
    public int[] range(LocalDate fromDay, LocalDate toDay) {
        Objects.requireNonNull(fromDay);
        long lo = HandbookFold.at(fromDay).toEpochMilli();
        long hi = HandbookFold.at(toDay).toEpochMilli();
        int first = records.size();
        int last = 0;
        for (int i = 0; i < records.size(); i++) {
            long t = records.get(i).event().getEventTime().toEpochMilli();
            if (t >= lo && t < hi) {
                first = Math.min(first, i);
                last = i + 1;
            }
        }
        return first >= last ? new int[] {0, 0} : new int[] {first, last};
    }
}

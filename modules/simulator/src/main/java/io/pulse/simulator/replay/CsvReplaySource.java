package io.pulse.simulator.replay;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.simulator.internal.CsvTokenizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads a CSV event log (one file, or every {@code *.csv} / {@code *.csv.gz} file of a directory in name order;
 * gzip is recognised by its magic bytes, not the name) into {@link ReplayRecord}s through a {@link ColumnMapping}.
 *
 * <p><b>Order.</b> Each file's first line is its header. With {@link ReplayOptions#sortWithinFile()} (the default)
 * each file is read whole and its rows sorted by time (stable, so equal times keep the file's order); files are then
 * expected to follow each other in time, as daily or monthly partitions do. Rows that are still out of order (earlier
 * than a row already emitted) are emitted anyway, where they are, and counted in {@link #outOfOrderRows()}: Pulse's
 * pipeline handles late events deliberately, and dropping data silently would be worse.
 *
 * <p><b>Bad rows</b> (unparsable time or number, empty user, wrong number of fields) are skipped and counted in
 * {@link #badRows()}, with the first few reasons in {@link #badRowSamples()}; beyond
 * {@link ReplayOptions#maxBadRows()} reading fails. I/O errors are thrown as {@link UncheckedIOException}.
 *
 * <p>Not thread-safe. Close it to release the open file.
 */
public final class CsvReplaySource implements Iterator<ReplayRecord>, AutoCloseable {

    private static final int MAX_SAMPLES = 10;

    private final List<Path> files;
    private final ColumnMapping mapping;
    private final ReplayOptions options;
    private final long labelDelayMillis;
    private final Map<String, String> interned = new HashMap<>();
    private final MessageDigest md5 = md5();
    private int fileIndex = -1;
    private Reader reader;
    private CsvTokenizer tokenizer;
    private ColumnMapping.Bound bound;
    private String fileName;
    private long row;
    private Iterator<ReplayRecord> sortedFile;
    private ReplayRecord lookahead;
    private long newestMillis = Long.MIN_VALUE;
    private long rowsRead;
    private long recordsEmitted;
    private long outOfOrderRows;
    private long badRows;
    private final List<String> badRowSamples = new ArrayList<>();

    private CsvReplaySource(List<Path> files, ColumnMapping mapping, ReplayOptions options) {
        this.files = files;
        this.mapping = mapping;
        this.options = options;
        this.labelDelayMillis = options.labelDelay().toMillis();
    }

    /**
     * Opens a file or a directory of files. Nothing is read yet except the list of files.
     *
     * @throws IllegalArgumentException if the path does not exist or a directory holds no CSV file
     */
    public static CsvReplaySource open(Path fileOrDirectory, ColumnMapping mapping, ReplayOptions options) {
        List<Path> files;
        if (Files.isDirectory(fileOrDirectory)) {
            try (Stream<Path> listing = Files.list(fileOrDirectory)) {
                files = listing.filter(Files::isRegularFile)
                        .filter(p -> {
                            String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                            return !name.startsWith(".") && (name.endsWith(".csv") || name.endsWith(".csv.gz"));
                        })
                        .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + fileOrDirectory, e);
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no *.csv or *.csv.gz file in " + fileOrDirectory);
            }
        } else if (Files.isRegularFile(fileOrDirectory)) {
            files = List.of(fileOrDirectory);
        } else {
            throw new IllegalArgumentException("no such file or directory: " + fileOrDirectory);
        }
        return new CsvReplaySource(files, mapping, options);
    }

    /** The files, in the order they are read. */
    public List<Path> files() {
        return files;
    }

    @Override
    public boolean hasNext() {
        if (lookahead == null) {
            lookahead = advance();
        }
        return lookahead != null;
    }

    @Override
    public ReplayRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException("end of " + files.size() + " file(s)");
        }
        ReplayRecord record = lookahead;
        lookahead = null;
        long time = record.event().getEventTime().toEpochMilli();
        if (time < newestMillis) {
            outOfOrderRows++;
        } else {
            newestMillis = time;
        }
        recordsEmitted++;
        return record;
    }

    /** Data rows read so far (good and bad, headers excluded). */
    public long rowsRead() {
        return rowsRead;
    }

    /** Records returned so far. */
    public long recordsEmitted() {
        return recordsEmitted;
    }

    /** Records returned with a time earlier than one returned before them. */
    public long outOfOrderRows() {
        return outOfOrderRows;
    }

    /** Rows skipped because they could not be read. */
    public long badRows() {
        return badRows;
    }

    /** The reasons of the first few bad rows, each naming file and line. */
    public List<String> badRowSamples() {
        return List.copyOf(badRowSamples);
    }

    @Override
    public void close() {
        closeFile();
    }

    private ReplayRecord advance() {
        try {
            while (true) {
                if (sortedFile != null) {
                    if (sortedFile.hasNext()) {
                        return sortedFile.next();
                    }
                    sortedFile = null;
                    closeFile();
                }
                if (tokenizer == null && !openNextFile()) {
                    return null;
                }
                if (options.sortWithinFile()) {
                    List<ReplayRecord> all = new ArrayList<>();
                    for (ReplayRecord r = readRow(); r != null; r = readRow()) {
                        all.add(r);
                    }
                    closeFile();
                    all.sort(Comparator.comparingLong(r -> r.event().getEventTime().toEpochMilli()));
                    sortedFile = all.iterator();
                    continue;
                }
                ReplayRecord record = readRow();
                if (record != null) {
                    return record;
                }
                closeFile();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + fileName + " near line " + tokenizerLine(), e);
        }
    }

    private long tokenizerLine() {
        return tokenizer == null ? 0 : tokenizer.recordLine();
    }

    private boolean openNextFile() throws IOException {
        if (fileIndex + 1 >= files.size()) {
            return false;
        }
        fileIndex++;
        Path file = files.get(fileIndex);
        fileName = file.getFileName().toString();
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        tokenizer = new CsvTokenizer(reader, mapping.delimiter());
        List<String> header = tokenizer.next();
        if (header == null) {
            closeFile();
            return openNextFile();
        }
        for (int i = 0; i < header.size(); i++) {
            header.set(i, header.get(i).trim());
        }
        bound = mapping.bind(header, file.toString());
        row = 0;
        return true;
    }

    private void closeFile() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                // nothing was written; a failing close of a file read to its end loses nothing
            }
        }
        reader = null;
        tokenizer = null;
    }

    /** The next good row of the current file, or null at its end. */
    private ReplayRecord readRow() throws IOException {
        while (true) {
            List<String> fields = tokenizer.next();
            if (fields == null) {
                return null;
            }
            row++;
            rowsRead++;
            try {
                return toRecord(fields);
            } catch (IllegalArgumentException e) {
                badRows++;
                if (badRowSamples.size() < MAX_SAMPLES) {
                    badRowSamples.add(fileName + " line " + tokenizer.recordLine() + ": " + e.getMessage());
                }
                if (badRows > options.maxBadRows()) {
                    throw new IllegalStateException("more than " + options.maxBadRows() + " unreadable rows; first: "
                            + badRowSamples, e);
                }
            }
        }
    }

    private ReplayRecord toRecord(List<String> fields) {
        ColumnMapping.Bound b = bound;
        String user = field(fields, b.user());
        if (user == null) {
            throw new IllegalArgumentException("empty user (" + mapping.userColumn() + ")");
        }
        user = intern(user);
        String timeText = field(fields, b.time());
        if (timeText == null) {
            throw new IllegalArgumentException("empty time (" + mapping.timeColumn() + ")");
        }
        long millis = mapping.timeFormat().parseMillis(timeText);
        EventType type = mapping.constantType();
        if (type == null) {
            String value = field(fields, b.type());
            type = value == null ? EventType.UNKNOWN : ColumnMapping.typeOf(value);
        }
        String eventId = field(fields, b.id());
        if (eventId == null) {
            eventId = nameUuid(fileName + ":" + row);
        }
        Map<String, String> attributes = Map.of();
        int[] attributeIndexes = b.attributes();
        if (attributeIndexes.length > 0) {
            attributes = new HashMap<>(attributeIndexes.length * 2);
            int i = 0;
            for (String name : mapping.attributeColumns().keySet()) {
                String value = field(fields, attributeIndexes[i++]);
                if (value != null) {
                    attributes.put(name, value);
                }
            }
        }
        Instant time = Instant.ofEpochMilli(millis);
        UserEvent event = new UserEvent(eventId, user, type, time, internOrNull(field(fields, b.item())),
                internOrNull(field(fields, b.category())), number(fields, b.amount(), "amount"),
                floatOrNull(number(fields, b.rating(), "rating")), field(fields, b.session()), attributes);
        Label label = null;
        if (b.label() >= 0) {
            boolean fraud = flag(field(fields, b.label()));
            if (fraud || options.negativeLabels()) {
                label = new Label(user, LabelKind.FRAUD, fraud, eventId, time,
                        Instant.ofEpochMilli(millis + labelDelayMillis), options.labelSource());
            }
        }
        return new ReplayRecord(event, label);
    }

    /** {@code UUID.nameUUIDFromBytes(name)} (version 3), without looking up a new MD5 digest per row. */
    private String nameUuid(String name) {
        byte[] hash = md5.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x30);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (hash[i] & 0xff);
            least = (least << 8) | (hash[i + 8] & 0xff);
        }
        return new UUID(most, least).toString();
    }

    private static String field(List<String> fields, int index) {
        if (index < 0) {
            return null;
        }
        if (index >= fields.size()) {
            throw new IllegalArgumentException("the row has " + fields.size() + " fields, column " + (index + 1)
                    + " is mapped");
        }
        String value = fields.get(index);
        return value.isBlank() ? null : value.trim();
    }

    private Double number(List<String> fields, int index, String what) {
        String value = field(fields, index);
        if (value == null) {
            return null;
        }
        try {
            double number = Double.parseDouble(value);
            if (!Double.isFinite(number)) {
                throw new IllegalArgumentException(what + " '" + value + "' is not a finite number");
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + value + "' is not a number", e);
        }
    }

    private static Float floatOrNull(Double value) {
        return value == null ? null : value.floatValue();
    }

    private static boolean flag(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "1.0", "true", "yes", "y", "t" -> true;
            case "0", "0.0", "false", "no", "n", "f" -> false;
            default -> throw new IllegalArgumentException("label '" + value + "' is not 0/1, true/false or yes/no");
        };
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }

    /** User ids and items repeat a lot: share one String per distinct value (bounded, to keep memory flat). */
    private String intern(String value) {
        if (interned.size() > 1_000_000) {
            return value;
        }
        String known = interned.putIfAbsent(value, value);
        return known != null ? known : value;
    }

    private String internOrNull(String value) {
        return value == null ? null : intern(value);
    }
}

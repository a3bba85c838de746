package io.pulse.simulator.internal;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, fast RFC 4180 reader: fields separated by a delimiter, optionally enclosed in double quotes (a quoted field
 * may contain the delimiter, line breaks and doubled quotes), records ended by LF or CRLF. A UTF-8 byte-order mark at
 * the start is skipped. Blank lines are skipped. Not thread-safe; the caller closes the reader.
 */
public final class CsvTokenizer {

    private static final int BUFFER = 1 << 16;

    private final Reader reader;
    private final char delimiter;
    private final char[] buffer = new char[BUFFER];
    private int position;
    private int limit;
    private boolean first = true;
    private final StringBuilder field = new StringBuilder(64);
    private long line = 1;
    private long recordLine;

    public CsvTokenizer(Reader reader, char delimiter) {
        this.reader = reader;
        this.delimiter = delimiter;
    }

    /** The line number (1-based) at which the last record returned by {@link #next} started. */
    public long recordLine() {
        return recordLine;
    }

    /** The next record's fields, or {@code null} at the end of the input. */
    public List<String> next() throws IOException {
        while (true) {
            int c = read();
            if (c < 0) {
                return null;
            }
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            if (c == '\n') {
                line++;
                continue;
            }
            if (c == '\r') {
                continue;
            }
            recordLine = line;
            return readRecord(c);
        }
    }

    private List<String> readRecord(int firstChar) throws IOException {
        List<String> fields = new ArrayList<>(16);
        int c = firstChar;
        while (true) {
            field.setLength(0);
            if (c == '"') {
                c = readQuoted();
            } else {
                while (c >= 0 && c != delimiter && c != '\n' && c != '\r') {
                    field.append((char) c);
                    c = read();
                }
            }
            fields.add(field.toString());
            if (c == delimiter) {
                c = read();
                continue;
            }
            if (c == '\r') {
                c = read();
            }
            if (c == '\n') {
                line++;
            }
            return fields;
        }
    }

    /** Reads a quoted field (the opening quote consumed); returns the character after it. */
    private int readQuoted() throws IOException {
        while (true) {
            int c = read();
            if (c < 0) {
                throw new IOException("unterminated quoted field starting at line " + recordLine);
            }
            if (c == '"') {
                int next = read();
                if (next == '"') {
                    field.append('"');
                    continue;
                }
                // tolerate characters between the closing quote and the delimiter, as most readers do
                while (next >= 0 && next != delimiter && next != '\n' && next != '\r') {
                    field.append((char) next);
                    next = read();
                }
                return next;
            }
            if (c == '\n') {
                line++;
            }
            field.append((char) c);
        }
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = reader.read(buffer, 0, BUFFER);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++];
    }
}

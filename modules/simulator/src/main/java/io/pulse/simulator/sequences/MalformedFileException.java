package io.pulse.simulator.sequences;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data or item file that cannot be read as its format says: the message names the file, the 1-based line (0 when
 * the problem is the file as a whole, e.g. an empty file) and the reason, as {@code FILE:LINE: REASON}.
 */
public final class MalformedFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final String reason;

    public MalformedFileException(Path file, long line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    /** The file that failed. */
    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when it concerns the whole file. */
    public long line() {
        return line;
    }

    /** Why the file was refused, without the file and line. */
    public String reason() {
        return reason;
    }
}

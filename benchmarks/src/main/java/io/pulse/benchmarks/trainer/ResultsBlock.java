package io.pulse.benchmarks.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * The trainer's section of {@code benchmarks/RESULTS.md}: everything from {@link #BEGIN} to {@link #END}, markers
 * included. Two benchmarks write that file: the trainer benchmark replaces only its block, and the end-to-end
 * benchmark, which rewrites the whole file, keeps the block with {@link #carryOver(String, String)}.
 */
public final class ResultsBlock {

    public static final String BEGIN = "<!-- trainer:begin -->";
    public static final String END = "<!-- trainer:end -->";

    private ResultsBlock() {
    }

    /**
     * {@code document} with its trainer block replaced by one holding {@code body}, or with that block appended
     * (after a blank line) when it has none.
     *
     * @throws IllegalArgumentException if the document has {@link #BEGIN} but no {@link #END} after it: replacing
     *                                  would have to guess where the block ends, so the file needs a look by hand
     */
    public static String upsert(String document, String body) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(body, "body");
        return withBlock(document, BEGIN + "\n" + body.strip() + "\n" + END + "\n");
    }

    /** The trainer block of {@code document}, markers included and ending with a line break, if it has one. */
    public static Optional<String> extract(String document) {
        Objects.requireNonNull(document, "document");
        int begin = document.indexOf(BEGIN);
        if (begin < 0) {
            return Optional.empty();
        }
        int end = endOfBlock(document, begin);
        String block = document.substring(begin, end);
        return Optional.of(block.endsWith("\n") ? block : block + "\n");
    }

    /**
     * {@code newDocument} with the trainer block of {@code oldDocument} (replacing any block of its own); just
     * {@code newDocument} when the old one has none. What a writer that regenerates the whole file calls with the
     * file's previous content, so the trainer's section survives.
     */
    public static String carryOver(String oldDocument, String newDocument) {
        Objects.requireNonNull(newDocument, "newDocument");
        return oldDocument == null ? newDocument
                : extract(oldDocument).map(block -> withBlock(newDocument, block)).orElse(newDocument);
    }

    /** Replaces or appends the block of {@code file} (created if missing), through a temporary file and a move. */
    public static void write(Path file, String body) {
        try {
            String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, upsert(old, body), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trainer block of " + file, e);
        }
    }

    private static String withBlock(String document, String block) {
        int begin = document.indexOf(BEGIN);
        if (begin >= 0) {
            int end = endOfBlock(document, begin);
            return document.substring(0, begin) + block + document.substring(end);
        }
        if (document.isEmpty()) {
            return block;
        }
        return document + (document.endsWith("\n") ? "\n" : "\n\n") + block;
    }

    /** Index just after the block that starts at {@code begin}: after END and the line break that follows it. */
    private static int endOfBlock(String document, int begin) {
        int end = document.indexOf(END, begin + BEGIN.length());
        if (end < 0) {
            throw new IllegalArgumentException("the document has " + BEGIN + " but no " + END
                    + " after it; fix the trainer block by hand before writing it again");
        }
        end += END.length();
        if (document.startsWith("\r\n", end)) {
            return end + 2;
        }
        return document.startsWith("\n", end) ? end + 1 : end;
    }
}

package io.pulse.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * One benchmark's section of {@code benchmarks/RESULTS.md}: everything from {@code <!-- name:begin -->} to
 * {@code <!-- name:end -->}, markers included. Several benchmarks write that file: the trainer and soak benchmarks
 * (and the scale-out test's numbers) replace only their block; the end-to-end benchmark rewrites the rest and keeps
 * every such block ({@code ResultsReport.withKeptBlocks}).
 */
public final class ResultsBlock {

    private final String name;
    private final String begin;
    private final String end;

    private ResultsBlock(String name) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("block names are lower-case words with dashes, got " + name);
        }
        this.name = name;
        this.begin = "<!-- " + name + ":begin -->";
        this.end = "<!-- " + name + ":end -->";
    }

    /** The block called {@code name} ({@code trainer}, {@code soak}, {@code scale-out}). */
    public static ResultsBlock named(String name) {
        return new ResultsBlock(name);
    }

    public String begin() {
        return begin;
    }

    public String end() {
        return end;
    }

    /**
     * {@code document} with this block replaced by one holding {@code body}, or with that block appended
     * (after a blank line) when it has none.
     *
     * @throws IllegalArgumentException if the document has {@link #begin()} but no {@link #end()} after it: replacing
     *                                  would have to guess where the block ends, so the file needs a look by hand
     */
    public String upsert(String document, String body) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(body, "body");
        return withBlock(document, begin + "\n" + body.strip() + "\n" + end + "\n");
    }

    /** This block of {@code document}, markers included and ending with a line break, if it has one. */
    public Optional<String> extract(String document) {
        Objects.requireNonNull(document, "document");
        int from = document.indexOf(begin);
        if (from < 0) {
            return Optional.empty();
        }
        String block = document.substring(from, endOfBlock(document, from));
        return Optional.of(block.endsWith("\n") ? block : block + "\n");
    }

    /** Replaces or appends the block of {@code file} (created if missing), through a temporary file and a move. */
    public void write(Path file, String body) {
        try {
            String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, upsert(old, body), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + name + " block of " + file, e);
        }
    }

    private String withBlock(String document, String block) {
        int from = document.indexOf(begin);
        if (from >= 0) {
            return document.substring(0, from) + block + document.substring(endOfBlock(document, from));
        }
        if (document.isEmpty()) {
            return block;
        }
        return document + (document.endsWith("\n") ? "\n" : "\n\n") + block;
    }

    /** Index just after the block that starts at {@code from}: after the end marker and the line break after it. */
    private int endOfBlock(String document, int from) {
        int at = document.indexOf(end, from + begin.length());
        if (at < 0) {
            throw new IllegalArgumentException("the document has " + begin + " but no " + end
                    + " after it; fix the " + name + " block by hand before writing it again");
        }
        at += end.length();
        if (document.startsWith("\r\n", at)) {
            return at + 2;
        }
        return document.startsWith("\n", at) ? at + 1 : at;
    }
}

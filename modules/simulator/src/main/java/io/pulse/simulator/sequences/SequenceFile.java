package io.pulse.simulator.sequences;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads users' item sequences from the common public sequential-recommendation formats ({@link SequenceFormat}): ids
 * are strings, users come back in the order of their first line, each user's items in file order. Blank lines carry
 * nothing and are skipped; anything else that does not fit the format fails at once with a
 * {@link MalformedFileException} naming the file, the line and the reason, and so does a file with no sequence at
 * all. Nothing is dropped silently.
 *
 * <pre>{@code
 * List<UserSequence> users = SequenceFile.read(Path.of("../shared/datasets/amazon-beauty/Beauty.txt"));
 * }</pre>
 */
public final class SequenceFile {

    private SequenceFile() {
    }

    /** Reads {@code file}, detecting its format ({@link SequenceFormat#AUTO}). */
    public static List<UserSequence> read(Path file) throws IOException {
        return read(file, SequenceFormat.AUTO);
    }

    /** Reads {@code file} in the given format. */
    public static List<UserSequence> read(Path file, SequenceFormat format) throws IOException {
        List<String[]> lines = new ArrayList<>();
        List<Long> lineNumbers = new ArrayList<>();
        boolean allPairs = true;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                String[] fields = fields(number == 1 ? stripByteOrderMark(line) : line);
                if (fields.length == 0) {
                    continue;
                }
                allPairs &= fields.length == 2;
                lines.add(fields);
                lineNumbers.add(number);
            }
        }
        if (lines.isEmpty()) {
            throw new MalformedFileException(file, 0, "no sequence in the file (it is empty or blank)");
        }
        SequenceFormat resolved = format == SequenceFormat.AUTO
                ? allPairs ? SequenceFormat.PAIR_PER_LINE : SequenceFormat.USER_PER_LINE
                : format;
        return resolved == SequenceFormat.PAIR_PER_LINE
                ? readPairs(file, lines, lineNumbers)
                : readUserLines(file, lines, lineNumbers);
    }

    private static List<UserSequence> readUserLines(Path file, List<String[]> lines, List<Long> lineNumbers)
            throws MalformedFileException {
        Map<String, Long> firstLine = new LinkedHashMap<>();
        List<UserSequence> users = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i);
            long number = lineNumbers.get(i);
            if (fields.length < 2) {
                throw new MalformedFileException(file, number,
                        "user '" + fields[0] + "' has no item (expected USER ITEM ITEM ...)");
            }
            Long earlier = firstLine.putIfAbsent(fields[0], number);
            if (earlier != null) {
                throw new MalformedFileException(file, number,
                        "user '" + fields[0] + "' already has a line (line " + earlier + "); one line per user");
            }
            users.add(new UserSequence(fields[0], List.of(fields).subList(1, fields.length)));
        }
        return users;
    }

    private static List<UserSequence> readPairs(Path file, List<String[]> lines, List<Long> lineNumbers)
            throws MalformedFileException {
        Map<String, List<String>> items = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i);
            if (fields.length != 2) {
                throw new MalformedFileException(file, lineNumbers.get(i),
                        fields.length + " field" + (fields.length == 1 ? "" : "s") + " (expected USER ITEM)");
            }
            items.computeIfAbsent(fields[0], user -> new ArrayList<>()).add(fields[1]);
        }
        List<UserSequence> users = new ArrayList<>(items.size());
        items.forEach((user, sequence) -> users.add(new UserSequence(user, sequence)));
        return users;
    }

    /** Splits on runs of spaces and tabs; no empty fields. */
    private static String[] fields(String line) {
        List<String> fields = new ArrayList<>();
        int length = line.length();
        int i = 0;
        while (i < length) {
            while (i < length && isSeparator(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < length && !isSeparator(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                fields.add(line.substring(start, i));
            }
        }
        return fields.toArray(String[]::new);
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static String stripByteOrderMark(String line) {
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }
}

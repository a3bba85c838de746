package io.pulse.simulator.sequences;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.pulse.simulator.internal.CsvTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an item file into each item's optional brand and {@link CategoryPath}, keyed by item id in file order. Three
 * shapes:
 *
 * <ul>
 *   <li>{@link #readJsonArrays}: S3-Rec's {@code *_item2attributes.json}, one JSON object
 *       {@code {"ITEM": [ATTR, ...], ...}} whose attributes are anonymous ids. Which id is a brand and which is a
 *       category level is not in the file, so this reader derives it (Pulse's own derivation, checked on
 *       {@code Beauty_item2attributes.json}: 8 level-1 categories, 42 distinct level-1/level-2 paths, all 12,101 items
 *       classified). The data set's README says a brand, when present, is an item's first attribute and never
 *       appears at another position, and the rest of the list is the category path below the root. So a level-1
 *       category is an id that opens some item's list <em>and</em> appears further along in another's (behind a
 *       brand): {@code L1 = {a : a is at position 0 in some item} ∩ {a : a is at a position >= 1 in some item}}. An
 *       item whose first attribute is in L1 has no brand and its whole list is its path; an item whose second
 *       attribute is in L1 has the first as its brand and the rest as its path; any other item fails the read with
 *       its id and the reason (the derivation would be guessing). Attributes are read as strings.</li>
 *   <li>{@link #readJsonLines}: one JSON object per line with an item field and a category field, the category a
 *       string split on a separator ({@code "Skin Care>Face"}) or an array of levels.</li>
 *   <li>{@link #readCsv}: a comma-separated file with a header row naming an item column and a category column, the
 *       category split on a separator ({@code '>'} or {@code '/'}).</li>
 * </ul>
 *
 * <p>Levels are trimmed. A malformed file (not the shape, an item twice, an item with no category, an empty level,
 * an empty file) fails at once with a {@link MalformedFileException} naming the file, the line and the reason.
 */
public final class ItemAttributesFile {

    private static final JsonFactory JSON = new JsonFactory();

    private ItemAttributesFile() {
    }

    /** Reads an S3-Rec {@code {"ITEM": [ATTR, ...]}} file, deriving brands and category paths as described above. */
    public static Map<String, ItemAttributes> readJsonArrays(Path file) throws IOException {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        Map<String, Long> lines = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                JsonParser parser = JSON.createParser(reader)) {
            JsonToken token = next(file, parser);
            if (token == null) {
                throw new MalformedFileException(file, 0, "no item in the file (it is empty)");
            }
            if (token != JsonToken.START_OBJECT) {
                throw malformed(file, parser, "expected a JSON object {\"ITEM\": [ATTRIBUTE, ...], ...}");
            }
            for (token = next(file, parser); token == JsonToken.FIELD_NAME; token = next(file, parser)) {
                String item = parser.currentName();
                long line = parser.currentLocation().getLineNr();
                if (next(file, parser) != JsonToken.START_ARRAY) {
                    throw malformed(file, parser, "item '" + item + "': expected an array of attributes");
                }
                List<String> values = new ArrayList<>();
                for (token = next(file, parser); token != JsonToken.END_ARRAY; token = next(file, parser)) {
                    if (token == null || !token.isScalarValue() || token == JsonToken.VALUE_NULL) {
                        throw malformed(file, parser, "item '" + item + "': attributes must be numbers or strings");
                    }
                    if (parser.getText().isBlank()) {
                        throw malformed(file, parser, "item '" + item + "' has a blank attribute");
                    }
                    values.add(parser.getText().trim());
                }
                if (values.isEmpty()) {
                    throw malformed(file, parser, "item '" + item + "' has no attribute");
                }
                if (attributes.putIfAbsent(item, values) != null) {
                    throw malformed(file, parser, "item '" + item + "' appears twice");
                }
                lines.put(item, line);
            }
            if (token != JsonToken.END_OBJECT) {
                throw malformed(file, parser, "expected an item id or the end of the object");
            }
            if (next(file, parser) != null) {
                throw malformed(file, parser, "unexpected content after the object");
            }
        }
        if (attributes.isEmpty()) {
            throw new MalformedFileException(file, 0, "no item in the file (the object is empty)");
        }
        return derive(file, attributes, lines);
    }

    /**
     * Reads a JSON-lines file: one object per non-blank line with {@code itemField} (a string or a number) and
     * {@code categoryField} (a string split on {@code separator}, or an array of level strings); other fields are
     * ignored.
     */
    public static Map<String, ItemAttributes> readJsonLines(Path file, String itemField, String categoryField,
            char separator) throws IOException {
        Map<String, ItemAttributes> items = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String item = null;
                List<String> levels = null;
                try (JsonParser parser = JSON.createParser(line)) {
                    if (parser.nextToken() != JsonToken.START_OBJECT) {
                        throw new MalformedFileException(file, number, "expected a JSON object");
                    }
                    JsonToken token;
                    for (token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                        String field = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (value == null) {
                            break;
                        }
                        if (field.equals(itemField) && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                            item = parser.getText();
                        } else if (field.equals(categoryField) && value == JsonToken.VALUE_STRING) {
                            levels = split(file, number, parser.getText(), separator);
                        } else if (field.equals(categoryField) && value == JsonToken.START_ARRAY) {
                            levels = arrayLevels(file, number, parser);
                        } else if (field.equals(itemField) || field.equals(categoryField)) {
                            throw new MalformedFileException(file, number, "field '" + field + "' has a " + value
                                    + (field.equals(itemField) ? "; expected a string or a number"
                                            : "; expected a string or an array of strings"));
                        } else {
                            parser.skipChildren();
                        }
                    }
                    if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                        throw new MalformedFileException(file, number, "not one complete JSON object on the line");
                    }
                } catch (JsonProcessingException e) {
                    throw new MalformedFileException(file, number, "not JSON: " + e.getOriginalMessage());
                }
                if (item == null || item.isBlank()) {
                    throw new MalformedFileException(file, number, "no item field '" + itemField + "'");
                }
                if (levels == null) {
                    throw new MalformedFileException(file, number, "item '" + item + "' has no category field '"
                            + categoryField + "'");
                }
                put(file, number, items, new ItemAttributes(item, Optional.empty(), new CategoryPath(levels)));
            }
        }
        if (items.isEmpty()) {
            throw new MalformedFileException(file, 0, "no item in the file (it is empty or blank)");
        }
        return Collections.unmodifiableMap(items);
    }

    /**
     * Reads a comma-separated file (RFC 4180 quoting) whose header row names {@code itemColumn} and
     * {@code categoryColumn}; the category cell is split on {@code separator}.
     */
    public static Map<String, ItemAttributes> readCsv(Path file, String itemColumn, String categoryColumn,
            char separator) throws IOException {
        Map<String, ItemAttributes> items = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvTokenizer csv = new CsvTokenizer(reader, ',');
            List<String> header;
            try {
                header = csv.next();
            } catch (IOException e) {
                throw new MalformedFileException(file, csv.recordLine(), e.getMessage());
            }
            if (header == null) {
                throw new MalformedFileException(file, 0, "no header row (the file is empty)");
            }
            int itemIndex = column(file, header, itemColumn);
            int categoryIndex = column(file, header, categoryColumn);
            while (true) {
                List<String> row;
                try {
                    row = csv.next();
                } catch (IOException e) {
                    throw new MalformedFileException(file, csv.recordLine(), e.getMessage());
                }
                if (row == null) {
                    break;
                }
                long line = csv.recordLine();
                if (row.size() != header.size()) {
                    throw new MalformedFileException(file, line,
                            row.size() + " fields where the header has " + header.size());
                }
                String item = row.get(itemIndex).trim();
                if (item.isEmpty()) {
                    throw new MalformedFileException(file, line, "empty item in column '" + itemColumn + "'");
                }
                List<String> levels = split(file, line, row.get(categoryIndex), separator);
                put(file, line, items, new ItemAttributes(item, Optional.empty(), new CategoryPath(levels)));
            }
        }
        if (items.isEmpty()) {
            throw new MalformedFileException(file, 0, "no item in the file (a header and no row)");
        }
        return Collections.unmodifiableMap(items);
    }

    private static Map<String, ItemAttributes> derive(Path file, Map<String, List<String>> attributes,
            Map<String, Long> lines) throws MalformedFileException {
        Set<String> first = new HashSet<>();
        Set<String> later = new HashSet<>();
        for (List<String> values : attributes.values()) {
            first.add(values.get(0));
            later.addAll(values.subList(1, values.size()));
        }
        Set<String> levelOne = new HashSet<>(first);
        levelOne.retainAll(later);
        Map<String, ItemAttributes> items = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : attributes.entrySet()) {
            String item = entry.getKey();
            List<String> values = entry.getValue();
            ItemAttributes derived;
            if (levelOne.contains(values.get(0))) {
                derived = new ItemAttributes(item, Optional.empty(), new CategoryPath(values));
            } else if (values.size() > 1 && levelOne.contains(values.get(1))) {
                derived = new ItemAttributes(item, Optional.of(values.get(0)),
                        new CategoryPath(values.subList(1, values.size())));
            } else {
                throw new MalformedFileException(file, lines.get(item), "item '" + item + "' " + values
                        + ": neither its first nor its second attribute is a level-1 category (an id that opens one"
                        + " item's attributes and appears later in another's), so brand and category path cannot be"
                        + " derived");
            }
            items.put(item, derived);
        }
        return Collections.unmodifiableMap(items);
    }

    private static List<String> split(Path file, long line, String path, char separator)
            throws MalformedFileException {
        if (path.isBlank()) {
            throw new MalformedFileException(file, line, "empty category path");
        }
        List<String> levels = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == separator) {
                String level = path.substring(start, i).trim();
                if (level.isEmpty()) {
                    throw new MalformedFileException(file, line, "empty level in category path '" + path + "'");
                }
                levels.add(level);
                start = i + 1;
            }
        }
        return levels;
    }

    private static List<String> arrayLevels(Path file, long line, JsonParser parser) throws IOException {
        List<String> levels = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT) {
                throw new MalformedFileException(file, line, "category levels must be strings");
            }
            String level = parser.getText().trim();
            if (level.isEmpty()) {
                throw new MalformedFileException(file, line, "empty level in the category array");
            }
            levels.add(level);
        }
        if (levels.isEmpty()) {
            throw new MalformedFileException(file, line, "empty category path");
        }
        return levels;
    }

    private static int column(Path file, List<String> header, String name) throws MalformedFileException {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new MalformedFileException(file, 1, "no column '" + name + "' in the header " + header);
        }
        return index;
    }

    private static void put(Path file, long line, Map<String, ItemAttributes> items, ItemAttributes attributes)
            throws MalformedFileException {
        if (items.putIfAbsent(attributes.item(), attributes) != null) {
            throw new MalformedFileException(file, line, "item '" + attributes.item() + "' appears twice");
        }
    }

    private static JsonToken next(Path file, JsonParser parser) throws IOException {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new MalformedFileException(file, at == null ? 0 : at.getLineNr(),
                    "not JSON" + (at == null ? "" : " (column " + at.getColumnNr() + ")") + ": "
                            + e.getOriginalMessage());
        }
    }

    private static MalformedFileException malformed(Path file, JsonParser parser, String reason) {
        JsonLocation at = parser.currentLocation();
        return new MalformedFileException(file, at.getLineNr(), reason + " (column " + at.getColumnNr() + ")");
    }
}

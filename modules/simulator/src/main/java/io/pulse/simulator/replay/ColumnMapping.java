package io.pulse.simulator.replay;

import io.pulse.contracts.EventType;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the columns of a CSV event log become {@link io.pulse.contracts.UserEvent}s (and FRAUD labels), written as a
 * compact string of {@code key=value} parts separated by commas, for example
 * <pre>
 * user=CUSTOMER_ID,time=TX_DATETIME:yyyy-MM-dd HH:mm:ss,type=const:PAYMENT,item=TERMINAL_ID,amount=TX_AMOUNT,label=TX_FRAUD
 * user=userId,time=timestamp:epoch-s,type=const:RATING,item=movieId,rating=rating
 * </pre>
 * Keys (column names are matched exactly, as in the header):
 * <ul>
 *   <li>{@code user=COLUMN} (required): the user id.</li>
 *   <li>{@code time=COLUMN[:FORMAT]} (required): the event time; FORMAT is {@code epoch-s}, {@code epoch-ms},
 *   {@code iso}, {@code auto} (default) or a java.time pattern, see {@link TimeFormat}.</li>
 *   <li>{@code zone=ZONE}: zone of times without an offset (default {@code UTC}).</li>
 *   <li>{@code type=COLUMN} (values are event type names, case-insensitive; others become UNKNOWN) or
 *   {@code type=const:TYPE} (every row has this type). Default {@code const:UNKNOWN}.</li>
 *   <li>{@code item=}, {@code category=}, {@code amount=}, {@code rating=}, {@code session=COLUMN}: optional fields
 *   (empty cells are null; amount and rating must be numbers).</li>
 *   <li>{@code id=COLUMN}: the event id; default a name-based UUID of the file name and row number, so that
 *   replaying the same files again gives the same ids (and the pipeline drops the repeats).</li>
 *   <li>{@code label=COLUMN}: 1 / true / yes marks the row's event as fraud (a FRAUD label), 0 / false / no / empty as
 *   genuine.</li>
 *   <li>{@code attr.NAME=COLUMN}: copied into the event's {@code attributes} under NAME (e.g.
 *   {@code attr.terminal=TERMINAL_ID}).</li>
 *   <li>{@code delimiter=comma|semicolon|tab|pipe} (default comma).</li>
 * </ul>
 * A part without {@code =} continues the previous one, so a time pattern may contain a comma. Never map a column that
 * leaks the answer (such as the fraud data set's {@code TX_FRAUD_SCENARIO}) to a feature.
 */
public final class ColumnMapping {

    private static final List<String> KEYS = List.of("user", "time", "zone", "type", "item", "category", "amount",
            "rating", "session", "id", "label", "delimiter", "attr.NAME");

    private final String userColumn;
    private final String timeColumn;
    private final TimeFormat timeFormat;
    private final String typeColumn;
    private final EventType constantType;
    private final String itemColumn;
    private final String categoryColumn;
    private final String amountColumn;
    private final String ratingColumn;
    private final String sessionColumn;
    private final String idColumn;
    private final String labelColumn;
    private final Map<String, String> attributeColumns;
    private final char delimiter;
    private final String text;

    private ColumnMapping(Map<String, String> parts, Map<String, String> attributes, String text) {
        this.text = text;
        this.userColumn = required(parts, "user");
        String time = required(parts, "time");
        int colon = time.indexOf(':');
        this.timeColumn = colon < 0 ? time : time.substring(0, colon);
        if (timeColumn.isBlank()) {
            throw new IllegalArgumentException("'time=" + time + "': the column name is missing");
        }
        ZoneId zone = zone(parts.get("zone"));
        this.timeFormat = TimeFormat.of(colon < 0 ? "auto" : time.substring(colon + 1), zone);
        String type = parts.getOrDefault("type", "const:UNKNOWN");
        if (type.regionMatches(true, 0, "const:", 0, 6)) {
            this.typeColumn = null;
            this.constantType = eventType(type.substring(6), "type=" + type);
        } else {
            this.typeColumn = type;
            this.constantType = null;
        }
        this.itemColumn = parts.get("item");
        this.categoryColumn = parts.get("category");
        this.amountColumn = parts.get("amount");
        this.ratingColumn = parts.get("rating");
        this.sessionColumn = parts.get("session");
        this.idColumn = parts.get("id");
        this.labelColumn = parts.get("label");
        this.attributeColumns = Collections.unmodifiableMap(attributes);
        this.delimiter = delimiter(parts.getOrDefault("delimiter", "comma"));
    }

    /**
     * Parses a mapping.
     *
     * @throws IllegalArgumentException naming the bad part: unknown key, duplicate key, empty column, missing
     *                                  {@code user} or {@code time}, unknown type, zone, delimiter or time format
     */
    public static ColumnMapping parse(String mapping) {
        Objects.requireNonNull(mapping, "mapping");
        if (mapping.isBlank()) {
            throw new IllegalArgumentException("empty column mapping; expected e.g. "
                    + "user=CUSTOMER_ID,time=TX_DATETIME:yyyy-MM-dd HH:mm:ss,type=const:PAYMENT");
        }
        List<String> parts = new ArrayList<>();
        for (String piece : mapping.split(",", -1)) {
            if (piece.indexOf('=') < 0 && !parts.isEmpty()) {
                parts.set(parts.size() - 1, parts.get(parts.size() - 1) + "," + piece);
            } else {
                parts.add(piece);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String part : parts) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("mapping part '" + part + "' is not key=value; keys: " + KEYS);
            }
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).trim();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("mapping part '" + part + "' has no value");
            }
            if (key.startsWith("attr.") && key.length() > 5) {
                String name = part.substring(0, eq).trim().substring(5);
                if (attributes.put(name, value) != null) {
                    throw new IllegalArgumentException("mapping part '" + part + "': attribute '" + name
                            + "' is mapped twice");
                }
                continue;
            }
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("mapping part '" + part + "': unknown key '" + key + "'; keys: "
                        + KEYS);
            }
            if (values.put(key, value) != null) {
                throw new IllegalArgumentException("mapping part '" + part + "': key '" + key + "' given twice");
            }
        }
        return new ColumnMapping(values, attributes, mapping);
    }

    /**
     * The column positions of this mapping in a file with this header.
     *
     * @param source for messages: the file
     * @throws IllegalArgumentException naming every missing column and listing the header's columns
     */
    public Bound bind(List<String> header, String source) {
        List<String> missing = new ArrayList<>();
        Bound bound = new Bound(
                index(header, "user", userColumn, missing),
                index(header, "time", timeColumn, missing),
                index(header, "type", typeColumn, missing),
                index(header, "item", itemColumn, missing),
                index(header, "category", categoryColumn, missing),
                index(header, "amount", amountColumn, missing),
                index(header, "rating", ratingColumn, missing),
                index(header, "session", sessionColumn, missing),
                index(header, "id", idColumn, missing),
                index(header, "label", labelColumn, missing),
                attributeIndexes(header, missing));
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("column mapping does not fit " + source + ": " + String.join(", ",
                    missing) + " not in its header; its columns are " + header);
        }
        return bound;
    }

    private int[] attributeIndexes(List<String> header, List<String> missing) {
        int[] indexes = new int[attributeColumns.size()];
        int i = 0;
        for (Map.Entry<String, String> attribute : attributeColumns.entrySet()) {
            indexes[i++] = index(header, "attr." + attribute.getKey(), attribute.getValue(), missing);
        }
        return indexes;
    }

    private static int index(List<String> header, String key, String column, List<String> missing) {
        if (column == null) {
            return -1;
        }
        int index = header.indexOf(column);
        if (index < 0) {
            missing.add("column '" + column + "' (for " + key + ")");
        }
        return index;
    }

    /**
     * Column positions for one file's header; -1 where not mapped.
     *
     * @param attributes positions of {@link #attributeColumns()}' columns, in its order
     */
    public record Bound(int user, int time, int type, int item, int category, int amount, int rating, int session,
            int id, int label, int[] attributes) {
    }

    public String userColumn() {
        return userColumn;
    }

    public String timeColumn() {
        return timeColumn;
    }

    public TimeFormat timeFormat() {
        return timeFormat;
    }

    /** The type column, or {@code null} when every row has {@link #constantType()}. */
    public String typeColumn() {
        return typeColumn;
    }

    /** The type of every row, or {@code null} when {@link #typeColumn()} gives it. */
    public EventType constantType() {
        return constantType;
    }

    public String itemColumn() {
        return itemColumn;
    }

    public String categoryColumn() {
        return categoryColumn;
    }

    public String amountColumn() {
        return amountColumn;
    }

    public String ratingColumn() {
        return ratingColumn;
    }

    public String sessionColumn() {
        return sessionColumn;
    }

    public String idColumn() {
        return idColumn;
    }

    public String labelColumn() {
        return labelColumn;
    }

    /** Attribute name to column. */
    public Map<String, String> attributeColumns() {
        return attributeColumns;
    }

    public char delimiter() {
        return delimiter;
    }

    /** The mapping as given. */
    @Override
    public String toString() {
        return text;
    }

    /** An event type from a value: its name, case-insensitive; anything else is UNKNOWN. */
    static EventType typeOf(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT);
        for (EventType type : EventType.values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return EventType.UNKNOWN;
    }

    private static String required(Map<String, String> parts, String key) {
        String value = parts.get(key);
        if (value == null) {
            throw new IllegalArgumentException("column mapping lacks '" + key + "=COLUMN' (required: user, time)");
        }
        return value;
    }

    private static EventType eventType(String name, String part) {
        EventType type = typeOf(name);
        if (type == EventType.UNKNOWN && !name.trim().equalsIgnoreCase("UNKNOWN")) {
            List<String> names = new ArrayList<>();
            for (EventType t : EventType.values()) {
                names.add(t.name());
            }
            throw new IllegalArgumentException("mapping part '" + part + "': unknown event type '" + name
                    + "'; types: " + names);
        }
        return type;
    }

    private static ZoneId zone(String zone) {
        if (zone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("mapping part 'zone=" + zone + "': unknown zone (" + e.getMessage()
                    + ")", e);
        }
    }

    private static char delimiter(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "comma", "," -> ',';
            case "semicolon", ";" -> ';';
            case "tab", "\\t" -> '\t';
            case "pipe", "|" -> '|';
            default -> throw new IllegalArgumentException("mapping part 'delimiter=" + name
                    + "': use comma, semicolon, tab or pipe");
        };
    }
}

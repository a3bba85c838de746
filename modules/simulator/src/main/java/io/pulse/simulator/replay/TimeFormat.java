package io.pulse.simulator.replay;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * How a time column is written: {@code epoch-s} (seconds since the epoch, decimals allowed), {@code epoch-ms}
 * (milliseconds), {@code iso} (ISO-8601 with or without offset; without one, the mapping's zone applies),
 * {@code auto} (the default: all digits is epoch seconds below 10^11 and milliseconds above, anything else ISO-8601),
 * or a {@link DateTimeFormatter} pattern such as {@code yyyy-MM-dd HH:mm:ss}, read in the mapping's zone unless the
 * pattern has an offset or zone of its own (date-only patterns mean midnight).
 */
public final class TimeFormat {

    private enum Kind { EPOCH_SECONDS, EPOCH_MILLIS, ISO, AUTO, PATTERN }

    private final Kind kind;
    private final String spec;
    private final ZoneId zone;
    private final DateTimeFormatter formatter;
    /** The pattern is exactly yyyy-MM-dd HH:mm:ss, the most common one: parsed by hand, about 10 times faster. */
    private final boolean isoLikeLocal;
    /** Which temporal type the values parse into (0 zoned, 1 offset, 2 local date-time, 3 date); -1 unknown. */
    private int resolvedShape = -1;

    private TimeFormat(Kind kind, String spec, ZoneId zone, DateTimeFormatter formatter) {
        this.kind = kind;
        this.spec = spec;
        this.zone = zone;
        this.formatter = formatter;
        this.isoLikeLocal = kind == Kind.PATTERN && "yyyy-MM-dd HH:mm:ss".equals(spec);
    }

    /**
     * @param spec {@code epoch-s}, {@code epoch-ms}, {@code iso}, {@code auto} or a pattern
     * @param zone zone of times without an offset
     * @throws IllegalArgumentException if the pattern is invalid
     */
    public static TimeFormat of(String spec, ZoneId zone) {
        String normalised = spec.trim().toLowerCase(Locale.ROOT);
        return switch (normalised) {
            case "epoch-s", "epoch-seconds", "unix" -> new TimeFormat(Kind.EPOCH_SECONDS, "epoch-s", zone, null);
            case "epoch-ms", "epoch-millis" -> new TimeFormat(Kind.EPOCH_MILLIS, "epoch-ms", zone, null);
            case "iso" -> new TimeFormat(Kind.ISO, "iso", zone, DateTimeFormatter.ISO_DATE_TIME);
            case "auto", "" -> new TimeFormat(Kind.AUTO, "auto", zone, DateTimeFormatter.ISO_DATE_TIME);
            default -> {
                try {
                    yield new TimeFormat(Kind.PATTERN, spec.trim(), zone,
                            DateTimeFormatter.ofPattern(spec.trim(), Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid time format '" + spec + "': " + e.getMessage()
                            + " (use epoch-s, epoch-ms, iso, auto or a java.time pattern like yyyy-MM-dd HH:mm:ss)", e);
                }
            }
        };
    }

    /** The spec this format was made from (normalised for the keywords). */
    public String spec() {
        return spec;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * Epoch milliseconds of a value.
     *
     * @throws IllegalArgumentException naming the value and the format when it does not parse
     */
    public long parseMillis(String text) {
        String value = text.trim();
        try {
            return switch (kind) {
                case EPOCH_SECONDS -> epochSeconds(value);
                case EPOCH_MILLIS -> Long.parseLong(value);
                case ISO -> parseTemporal(value, formatter);
                case AUTO -> {
                    if (isDigits(value)) {
                        long number = Long.parseLong(value);
                        yield number < 100_000_000_000L ? number * 1000 : number;
                    }
                    yield parseTemporal(value, formatter);
                }
                case PATTERN -> isoLikeLocal ? fastLocal(value) : parseTemporal(value, formatter);
            };
        } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("time '" + text + "' does not match format " + spec, e);
        }
    }

    private static long epochSeconds(String value) {
        if (isDigits(value)) {
            return Math.multiplyExact(Long.parseLong(value), 1000L);
        }
        double seconds = Double.parseDouble(value);
        if (!Double.isFinite(seconds)) {
            throw new NumberFormatException("not finite");
        }
        return Math.round(seconds * 1000.0);
    }

    private long parseTemporal(String value, DateTimeFormatter f) {
        // parseBest tries each query in turn and pays for an exception per miss: remember which one fits this
        // column (racy but idempotent, so safe to share) and ask for it directly
        int shape = resolvedShape;
        TemporalAccessor parsed = null;
        if (shape >= 0) {
            try {
                parsed = switch (shape) {
                    case 0 -> f.parse(value, ZonedDateTime::from);
                    case 1 -> f.parse(value, OffsetDateTime::from);
                    case 2 -> f.parse(value, LocalDateTime::from);
                    default -> f.parse(value, LocalDate::from);
                };
            } catch (DateTimeException e) {
                parsed = null;
            }
        }
        if (parsed == null) {
            parsed = f.parseBest(value, ZonedDateTime::from, OffsetDateTime::from, LocalDateTime::from,
                    LocalDate::from);
            resolvedShape = parsed instanceof ZonedDateTime ? 0 : parsed instanceof OffsetDateTime ? 1
                    : parsed instanceof LocalDateTime ? 2 : 3;
        }
        if (parsed instanceof ZonedDateTime z) {
            return z.toInstant().toEpochMilli();
        }
        if (parsed instanceof OffsetDateTime o) {
            return o.toInstant().toEpochMilli();
        }
        if (parsed instanceof LocalDateTime l) {
            return l.atZone(zone).toInstant().toEpochMilli();
        }
        return ((LocalDate) parsed).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private long fastLocal(String v) {
        if (v.length() != 19 || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != ' '
                || v.charAt(13) != ':' || v.charAt(16) != ':') {
            return parseTemporal(v, formatter);
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 7);
        int day = digits(v, 8, 10);
        int hour = digits(v, 11, 13);
        int minute = digits(v, 14, 16);
        int second = digits(v, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return parseTemporal(v, formatter);
        }
        // LocalDateTime.of validates the fields (month 13, February 30, ...) like the formatter would
        return LocalDateTime.of(year, month, day, hour, minute, second).atZone(zone).toInstant().toEpochMilli();
    }

    /** The decimal number in v[from, to), or -1 if a character is not a digit. */
    private static int digits(String v, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            int d = v.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    private static boolean isDigits(String value) {
        if (value.isEmpty()) {
            return false;
        }
        int start = value.charAt(0) == '-' ? 1 : 0;
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return value.length() > start;
    }

    /** For messages. */
    @Override
    public String toString() {
        return spec + (kind == Kind.EPOCH_SECONDS || kind == Kind.EPOCH_MILLIS ? "" : " (zone " + zone + ")");
    }

    /** An instant, for tests and messages. */
    Instant parse(String text) {
        return Instant.ofEpochMilli(parseMillis(text));
    }
}

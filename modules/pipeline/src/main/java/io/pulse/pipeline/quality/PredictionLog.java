package io.pulse.pipeline.quality;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the {@code prediction-log} store remembers of a prediction until its label can arrive: the model version and
 * the scores that have labels (fraud and churn). Keyed by {@link #key(String, String) userId NUL eventId}, so that
 * erasing a user finds their entries with one key-range scan; timestamped with the event time, dropped after the
 * retention ({@code quality.prediction.retention.ms}).
 */
public record PredictionLog(String modelVersion, float fraud, float churn) {

    /** Separates user and event id in keys; valid ids never contain control characters. */
    public static final char SEPARATOR = '\u0000';

    /** The store key of the prediction made for {@code eventId} of {@code userId}. */
    public static String key(String userId, String eventId) {
        return userId + SEPARATOR + eventId;
    }

    /** The lowest key of {@code userId}'s entries (inclusive). */
    public static String firstKeyOf(String userId) {
        return userId + SEPARATOR;
    }

    /** A bound above every key of {@code userId}'s entries and below any other user's (inclusive: no key equals it). */
    public static String lastKeyOf(String userId) {
        return userId + (char) (SEPARATOR + 1);
    }

    /** The event id part of a key; a key written before keys carried the user (a bare eventId) is returned whole. */
    public static String eventIdOf(String key) {
        int separator = key.indexOf(SEPARATOR);
        return separator < 0 ? key : key.substring(separator + 1);
    }

    public byte[] encode() {
        byte[] version = modelVersion.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + version.length + 8)
                .putShort((short) version.length).put(version).putFloat(fraud).putFloat(churn).array();
    }

    public static PredictionLog decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] version = new byte[in.getShort()];
        in.get(version);
        return new PredictionLog(new String(version, StandardCharsets.UTF_8), in.getFloat(), in.getFloat());
    }
}

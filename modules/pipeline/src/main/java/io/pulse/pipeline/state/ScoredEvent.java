package io.pulse.pipeline.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the {@code scored-events} store remembers of an event Pulse scored, keyed by
 * {@link #key(String, String) userId NUL eventId} (so that erasing a user finds their entries with one key-range scan)
 * and timestamped with the event time. One record serves two readers, so that every event costs one store write instead of two:
 * <ul>
 *   <li>deduplication: a second delivery of the same event (same eventId and eventTime) that arrives within
 *       {@code dedup.retention.ms} of {@link #arrivedAt()} is dropped — found with a point lookup, not a range scan;</li>
 *   <li>live quality: a label arriving later is joined with the model version and the scores that have labels (fraud
 *       and churn).</li>
 * </ul>
 * About 110-130 bytes per event on disk with UUID ids (key, window suffix, value); dropped after {@code max(dedup.retention.ms, quality.prediction.retention.ms)}.
 *
 * @param arrivedAt    the record timestamp of the delivery that was scored (arrival, as Kafka saw it)
 * @param modelVersion the model version that scored it
 * @param fraud        the fraud score
 * @param churn        the churn probability
 */
public record ScoredEvent(long arrivedAt, String modelVersion, float fraud, float churn) {

    /** Separates user and event id in keys; valid ids never contain control characters. */
    public static final char SEPARATOR = '\u0000';

    /** The store key of {@code eventId} of {@code userId}. */
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

    public byte[] encode() {
        byte[] version = modelVersion.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES + 2 + version.length + 2 * Float.BYTES)
                .putLong(arrivedAt).putShort((short) version.length).put(version).putFloat(fraud).putFloat(churn)
                .array();
    }

    public static ScoredEvent decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long arrivedAt = in.getLong();
        byte[] version = new byte[in.getShort()];
        in.get(version);
        return new ScoredEvent(arrivedAt, new String(version, StandardCharsets.UTF_8), in.getFloat(), in.getFloat());
    }

    /** The arrival time alone, without decoding the rest (the deduplication check needs only this). */
    public static long arrivedAt(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }
}

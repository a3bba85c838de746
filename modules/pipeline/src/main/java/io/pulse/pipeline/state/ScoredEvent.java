package io.pulse.pipeline.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
 * <p>With entity types configured the entry also keeps the event's entity id per type, so that a fraud label can be
 * routed to the entities of its event (once: {@link #labelRouted()}). On the round trip it is written twice: first as
 * a {@link #routed routed marker} when the event leaves for the entity round trip (so that a redelivery is dropped
 * before any entity counts it), then with the scores; with broadcast delivery, where routing and scoring are one step
 * of the same task, once, with the scores. Those fields are an optional extension after the scores, so
 * entries written before it decode (as scored, without entity ids).
 *
 * @param arrivedAt    the record timestamp of the delivery that was scored (arrival, as Kafka saw it)
 * @param modelVersion the model version that scored it (empty for a routed marker)
 * @param fraud        the fraud score
 * @param churn        the churn probability
 * @param entityIds    the event's entity id per configured entity type, "" where it has none; empty without entities
 * @param scored       false for a routed marker, whose event has not come back from the entity round trip yet
 * @param labelRouted  whether a fraud label of this event was routed to its entities already
 */
public record ScoredEvent(long arrivedAt, String modelVersion, float fraud, float churn, List<String> entityIds,
        boolean scored, boolean labelRouted) {

    private static final byte NOT_SCORED = 1;
    private static final byte LABEL_ROUTED = 2;

    public ScoredEvent {
        entityIds = List.copyOf(entityIds);
    }

    /** A scored event without entities (the format of every entry before entities existed). */
    public ScoredEvent(long arrivedAt, String modelVersion, float fraud, float churn) {
        this(arrivedAt, modelVersion, fraud, churn, List.of(), true, false);
    }

    /**
     * Entity ids as an entry keeps them ({@link #entityIds()}): one per configured type, "" where the event has none.
     */
    public static List<String> storedEntityIds(String[] ids) {
        List<String> stored = new ArrayList<>(ids.length);
        for (String id : ids) {
            stored.add(id == null ? "" : id);
        }
        return stored;
    }

    /** The marker of an event sent through the entity round trip and not scored yet. */
    public static ScoredEvent routed(long arrivedAt, List<String> entityIds) {
        return new ScoredEvent(arrivedAt, "", 0f, 0f, entityIds, false, false);
    }

    /** This entry with the scores of {@code modelVersion}, keeping its entity ids and label flag. */
    public ScoredEvent withScores(long arrival, String version, float fraudScore, float churnScore) {
        return new ScoredEvent(arrival, version, fraudScore, churnScore, entityIds, true, labelRouted);
    }

    /** This entry, marked as having had its fraud label routed to its entities. */
    public ScoredEvent withLabelRouted() {
        return new ScoredEvent(arrivedAt, modelVersion, fraud, churn, entityIds, scored, true);
    }

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
        boolean extended = !entityIds.isEmpty() || !scored || labelRouted;
        byte[][] ids = new byte[entityIds.size()][];
        int size = Long.BYTES + 2 + version.length + 2 * Float.BYTES;
        if (extended) {
            size += 1 + 1;
            for (int k = 0; k < ids.length; k++) {
                ids[k] = entityIds.get(k).getBytes(StandardCharsets.UTF_8);
                size += 2 + ids[k].length;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size)
                .putLong(arrivedAt).putShort((short) version.length).put(version).putFloat(fraud).putFloat(churn);
        if (extended) {
            // the extension only where needed: entries without entities stay byte for byte as before
            out.put((byte) ((scored ? 0 : NOT_SCORED) | (labelRouted ? LABEL_ROUTED : 0))).put((byte) ids.length);
            for (byte[] id : ids) {
                out.putShort((short) id.length).put(id);
            }
        }
        return out.array();
    }

    public static ScoredEvent decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long arrivedAt = in.getLong();
        byte[] version = new byte[in.getShort()];
        in.get(version);
        String modelVersion = new String(version, StandardCharsets.UTF_8);
        float fraud = in.getFloat();
        float churn = in.getFloat();
        if (!in.hasRemaining()) {
            return new ScoredEvent(arrivedAt, modelVersion, fraud, churn);
        }
        byte flags = in.get();
        int count = in.get();
        List<String> ids = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            byte[] id = new byte[in.getShort()];
            in.get(id);
            ids.add(new String(id, StandardCharsets.UTF_8));
        }
        return new ScoredEvent(arrivedAt, modelVersion, fraud, churn, ids, (flags & NOT_SCORED) == 0,
                (flags & LABEL_ROUTED) != 0);
    }

    /** The arrival time alone, without decoding the rest (the deduplication check needs only this). */
    public static long arrivedAt(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }
}

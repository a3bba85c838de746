package io.pulse.pipeline.entities;

import io.pulse.pipeline.state.ScoredEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What travels through the entity repartition topics: an accepted event on its way through the entity types (with
 * the entity feature block filled so far), or a positive fraud label on its way to the entities of the event it
 * belongs to. Carries the user id (to key the way back) and the event's entity id per configured type (null: the
 * event has none). An event travels as the bytes it arrived with (the registry's wire format, validated already;
 * the scoring processor decodes them again) plus the two numbers the entity steps need, its time and amount, so no
 * entity step decodes Avro. An event also carries when it was routed, for the round-trip metric. Internal to one
 * application; a format byte first so that a later format can be told apart (format 1, without the routing time,
 * is still read: records in flight across an upgrade).
 *
 * <p>With broadcast delivery no event comes back from the entity steps, so they need neither its bytes nor a feature
 * block: the requests topics then carry events in their <em>counting form</em> ({@link #countingSerde()}, format 3:
 * user id, entity ids, time and amount), which the entity steps count without filling a block.
 */
public final class EntityMessage {

    /** Format 2 adds the routing time of an event (for the round-trip metric); format 1 is still read. */
    private static final byte FORMAT = 2;
    private static final byte FORMAT_WITHOUT_ROUTED_AT = 1;
    /** An event in its counting form: no bytes, no feature block, no routing time. */
    private static final byte FORMAT_COUNTING = 3;
    /** {@link #routedAtMillis()} of a message that does not know it (format 1, a label). */
    public static final long UNKNOWN = -1L;
    private static final byte EVENT = 0;
    private static final byte LABEL = 1;

    private final byte kind;
    private final String userId;
    private final String[] entityIds;
    private final long timeMillis;
    private final double amount;
    private final byte[] eventBytes;
    private final float[] features;
    private final long routedAtMillis;

    private EntityMessage(byte kind, String userId, String[] entityIds, long timeMillis, double amount,
            byte[] eventBytes, float[] features, long routedAtMillis) {
        this.kind = kind;
        this.userId = Objects.requireNonNull(userId, "userId");
        this.entityIds = entityIds;
        this.timeMillis = timeMillis;
        this.amount = amount;
        this.eventBytes = eventBytes;
        this.features = features;
        this.routedAtMillis = routedAtMillis;
    }

    /**
     * An event on its way.
     *
     * @param eventMillis the event's time
     * @param amount      its amount, NaN if none
     * @param eventBytes  its bytes as they arrived on the events topic
     * @param features    the block of every configured type, filled by each entity step (owned by the message)
     */
    public static EntityMessage event(String userId, String[] entityIds, long eventMillis, double amount,
            byte[] eventBytes, float[] features) {
        return event(userId, entityIds, eventMillis, amount, eventBytes, features, UNKNOWN);
    }

    /**
     * An event on its way, routed at {@code routedAtMillis} (the routing task's wall clock), so that the scoring task
     * can time the round trip.
     */
    public static EntityMessage event(String userId, String[] entityIds, long eventMillis, double amount,
            byte[] eventBytes, float[] features, long routedAtMillis) {
        return new EntityMessage(EVENT, userId, entityIds, eventMillis, amount, Objects.requireNonNull(eventBytes,
                "eventBytes"), Objects.requireNonNull(features, "features"), routedAtMillis);
    }

    /**
     * This event in its counting form: what an entity step counts (user id, entity ids, time, amount), without the
     * event's bytes, the feature block or the routing time. A label is returned as it is.
     */
    public EntityMessage counting() {
        return kind == EVENT && eventBytes != null
                ? new EntityMessage(EVENT, userId, entityIds, timeMillis, amount, null, null, UNKNOWN)
                : this;
    }

    /** A positive fraud label for the transaction of {@code transactionMillis} at the given entities. */
    public static EntityMessage fraudLabel(String userId, String[] entityIds, long transactionMillis) {
        return new EntityMessage(LABEL, userId, entityIds, transactionMillis, Double.NaN, null, null, UNKNOWN);
    }

    public boolean isEvent() {
        return kind == EVENT;
    }

    /** Whether this is an event in its counting form ({@link #counting()}): no bytes and no feature block. */
    public boolean isCounting() {
        return kind == EVENT && eventBytes == null;
    }

    public String userId() {
        return userId;
    }

    /** The event's entity id of configured type {@code k}, or null when it has none. */
    public String entityId(int k) {
        return entityIds[k];
    }

    /** The event's time (events only). */
    public long eventMillis() {
        return timeMillis;
    }

    /** The event's amount, NaN if none (events only). */
    public double amount() {
        return amount;
    }

    /** The event's bytes as they arrived on the events topic (null for a label and the counting form). */
    public byte[] eventBytes() {
        return eventBytes;
    }

    /**
     * The entity feature block of every configured type, in configuration order (null for a label and the counting
     * form).
     */
    public float[] features() {
        return features;
    }

    /** When the event was routed (wall clock of the routing task, ms), or {@link #UNKNOWN}. */
    public long routedAtMillis() {
        return routedAtMillis;
    }

    /** The labelled transaction's time (labels only). */
    public long transactionMillis() {
        return timeMillis;
    }

    /** The event's entity ids as its {@code scored-events} entry keeps them ({@link ScoredEvent#storedEntityIds}). */
    public List<String> storedEntityIds() {
        return ScoredEvent.storedEntityIds(entityIds);
    }

    /** The key towards entity type {@code k}: its entity id, or the user id when the event has none (spreads load). */
    public String keyFor(int k) {
        return entityIds[k] == null ? userId : entityIds[k];
    }

    byte[] encode() {
        byte[] user = userId.getBytes(StandardCharsets.UTF_8);
        byte[][] ids = new byte[entityIds.length][];
        int size = 1 + 1 + 4 + user.length + 2 + Long.BYTES;
        for (int k = 0; k < ids.length; k++) {
            ids[k] = entityIds[k] == null ? null : entityIds[k].getBytes(StandardCharsets.UTF_8);
            size += 4 + (ids[k] == null ? 0 : ids[k].length);
        }
        if (isCounting()) {
            size += Double.BYTES;
        } else if (isEvent()) {
            size += Double.BYTES + 4 + eventBytes.length + 4 + Float.BYTES * features.length + Long.BYTES;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(isCounting() ? FORMAT_COUNTING : FORMAT).put(kind).putInt(user.length).put(user);
        out.putShort((short) ids.length);
        for (byte[] id : ids) {
            out.putInt(id == null ? -1 : id.length);
            if (id != null) {
                out.put(id);
            }
        }
        out.putLong(timeMillis);
        if (isCounting()) {
            out.putDouble(amount);
        } else if (isEvent()) {
            out.putDouble(amount).putInt(eventBytes.length).put(eventBytes).putInt(features.length);
            for (float f : features) {
                out.putFloat(f);
            }
            out.putLong(routedAtMillis);
        }
        return out.array();
    }

    static EntityMessage decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte format = in.get();
        if (format != FORMAT && format != FORMAT_WITHOUT_ROUTED_AT && format != FORMAT_COUNTING) {
            throw new IllegalArgumentException("unknown entity message format " + format);
        }
        byte kind = in.get();
        String userId = string(in, in.getInt());
        String[] ids = new String[in.getShort()];
        for (int k = 0; k < ids.length; k++) {
            int length = in.getInt();
            ids[k] = length < 0 ? null : string(in, length);
        }
        long time = in.getLong();
        if (kind == LABEL) {
            return fraudLabel(userId, ids, time);
        }
        double amount = in.getDouble();
        if (format == FORMAT_COUNTING) {
            return new EntityMessage(EVENT, userId, ids, time, amount, null, null, UNKNOWN);
        }
        byte[] event = new byte[in.getInt()];
        in.get(event);
        float[] features = new float[in.getInt()];
        for (int i = 0; i < features.length; i++) {
            features[i] = in.getFloat();
        }
        long routedAt = format == FORMAT_WITHOUT_ROUTED_AT ? UNKNOWN : in.getLong();
        return event(userId, ids, time, amount, event, features, routedAt);
    }

    private static String string(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The serde of the entity repartition topics' values. */
    public static Serde<EntityMessage> serde() {
        Serializer<EntityMessage> serializer = (topic, message) -> message == null ? null : message.encode();
        return Serdes.serdeFrom(serializer, EntityMessage::deserialize);
    }

    /**
     * The serde of the requests topics with broadcast delivery: events are written in their counting form
     * ({@link #counting()}); reads every format.
     */
    public static Serde<EntityMessage> countingSerde() {
        Serializer<EntityMessage> serializer = (topic, message) -> message == null ? null
                : message.counting().encode();
        return Serdes.serdeFrom(serializer, EntityMessage::deserialize);
    }

    private static EntityMessage deserialize(String topic, byte[] bytes) {
        return bytes == null ? null : decode(bytes);
    }
}

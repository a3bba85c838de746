package io.pulse.pipeline.entities;

import io.pulse.contracts.UserEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What travels through the entity repartition topics: an accepted event on its way through the entity types (with
 * the entity feature block filled so far), or a positive fraud label on its way to the entities of the event it
 * belongs to. Carries the user id (to key the way back) and the event's entity id per configured type (null: the
 * event has none). Internal to one application: encoded without the registry (the event with Avro's single-object
 * encoding), a format byte first so a later format can be told apart.
 */
public final class EntityMessage {

    private static final byte FORMAT = 1;
    private static final byte EVENT = 0;
    private static final byte LABEL = 1;

    private final String userId;
    private final String[] entityIds;
    private final UserEvent event;
    private final float[] features;
    private final long transactionMillis;

    private EntityMessage(String userId, String[] entityIds, UserEvent event, float[] features,
            long transactionMillis) {
        this.userId = Objects.requireNonNull(userId, "userId");
        this.entityIds = entityIds;
        this.event = event;
        this.features = features;
        this.transactionMillis = transactionMillis;
    }

    /** An event on its way: {@code features} (the whole block of every type, filled by each entity step) is owned. */
    public static EntityMessage event(String userId, String[] entityIds, UserEvent event, float[] features) {
        return new EntityMessage(userId, entityIds, Objects.requireNonNull(event, "event"), features, 0L);
    }

    /** A positive fraud label for the transaction of {@code transactionMillis} at the given entities. */
    public static EntityMessage fraudLabel(String userId, String[] entityIds, long transactionMillis) {
        return new EntityMessage(userId, entityIds, null, null, transactionMillis);
    }

    public boolean isEvent() {
        return event != null;
    }

    public String userId() {
        return userId;
    }

    /** The event's entity id of configured type {@code k}, or null when it has none. */
    public String entityId(int k) {
        return entityIds[k];
    }

    /** The event (null for a label). */
    public UserEvent event() {
        return event;
    }

    /** The entity feature block of every configured type, in configuration order (null for a label). */
    public float[] features() {
        return features;
    }

    /** The labelled transaction's time (labels only). */
    public long transactionMillis() {
        return transactionMillis;
    }

    /** The key towards entity type {@code k}: its entity id, or the user id when the event has none (spreads load). */
    public String keyFor(int k) {
        return entityIds[k] == null ? userId : entityIds[k];
    }

    byte[] encode() {
        byte[] user = userId.getBytes(StandardCharsets.UTF_8);
        byte[][] ids = new byte[entityIds.length][];
        int size = 1 + 1 + 4 + user.length + 2;
        for (int k = 0; k < ids.length; k++) {
            ids[k] = entityIds[k] == null ? null : entityIds[k].getBytes(StandardCharsets.UTF_8);
            size += 4 + (ids[k] == null ? 0 : ids[k].length);
        }
        byte[] avro = null;
        if (event != null) {
            try {
                ByteBuffer encoded = UserEvent.getEncoder().encode(event);
                avro = new byte[encoded.remaining()];
                encoded.get(avro);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode event " + event.getEventId(), e);
            }
            size += 4 + avro.length + 4 + Float.BYTES * features.length;
        } else {
            size += Long.BYTES;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT).put(event != null ? EVENT : LABEL).putInt(user.length).put(user);
        out.putShort((short) ids.length);
        for (byte[] id : ids) {
            out.putInt(id == null ? -1 : id.length);
            if (id != null) {
                out.put(id);
            }
        }
        if (event != null) {
            out.putInt(avro.length).put(avro).putInt(features.length);
            for (float f : features) {
                out.putFloat(f);
            }
        } else {
            out.putLong(transactionMillis);
        }
        return out.array();
    }

    static EntityMessage decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown entity message format " + format);
        }
        byte kind = in.get();
        String userId = string(in, in.getInt());
        String[] ids = new String[in.getShort()];
        for (int k = 0; k < ids.length; k++) {
            int length = in.getInt();
            ids[k] = length < 0 ? null : string(in, length);
        }
        if (kind == LABEL) {
            return fraudLabel(userId, ids, in.getLong());
        }
        byte[] avro = new byte[in.getInt()];
        in.get(avro);
        UserEvent event;
        try {
            event = UserEvent.getDecoder().decode(avro);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode an event of an entity message", e);
        }
        float[] features = new float[in.getInt()];
        for (int i = 0; i < features.length; i++) {
            features[i] = in.getFloat();
        }
        return event(userId, ids, event, features);
    }

    private static String string(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The serde of the entity repartition topics' values. */
    public static Serde<EntityMessage> serde() {
        Serializer<EntityMessage> serializer = (topic, message) -> message == null ? null : message.encode();
        Deserializer<EntityMessage> deserializer = (topic, bytes) -> bytes == null ? null : decode(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

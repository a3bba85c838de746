package io.pulse.contracts.codec;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import java.io.EOFException;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;

/**
 * {@code UserEvent}, field by field in its schema's order, for data written with that very schema (see
 * {@link InputReaders}). What the decoder does not check itself, this does as Avro's reader (with Pulse's strict
 * reader's map rules) does: an enum or union index out of range, a map block with more entries than its bytes can
 * hold (checked before anything is allocated) and a map key that appears twice are refused; maps keep their order.
 */
final class UserEventReader implements DatumReader<UserEvent> {

    /** {@link Fields#require}: the schema this reader follows. */
    static final long FINGERPRINT = -8396970579942675876L;
    private static final EventType[] TYPES = EventType.values();
    /** The fewest bytes a map entry of two strings takes: two zero lengths. */
    private static final int MIN_ENTRY_BYTES = 2;

    UserEventReader() {
        Fields.require(UserEvent.getClassSchema(), FINGERPRINT);
    }

    @Override
    public void setSchema(Schema schema) {
        Fields.require(schema, FINGERPRINT);
    }

    @Override
    public UserEvent read(UserEvent reuse, Decoder in) throws IOException {
        UserEvent event = new UserEvent();
        event.setEventId(in.readString());
        event.setUserId(in.readString());
        int type = in.readEnum();
        if (type >= TYPES.length) {
            throw new AvroTypeException("enum index " + type + " out of range: EventType has " + TYPES.length
                    + " symbols");
        }
        event.setType(TYPES[type]);
        event.setEventTime(Instant.ofEpochMilli(in.readLong()));
        event.setItemId(hasValue(in, "itemId") ? in.readString() : null);
        event.setCategory(hasValue(in, "category") ? in.readString() : null);
        event.setAmount(hasValue(in, "amount") ? in.readDouble() : null);
        event.setRating(hasValue(in, "rating") ? in.readFloat() : null);
        event.setSessionId(hasValue(in, "sessionId") ? in.readString() : null);
        event.setAttributes(attributes(in));
        return event;
    }

    /** A {@code ["null", T]} union's branch: false for null (read here), true when the value follows. */
    private static boolean hasValue(Decoder in, String field) throws IOException {
        int branch = in.readIndex();
        if (branch == 0) {
            in.readNull();
            return false;
        }
        if (branch != 1) {
            throw new AvroTypeException("union branch index " + branch + " out of range for UserEvent." + field
                    + " (null or a value)");
        }
        return true;
    }

    private static Map<String, String> attributes(Decoder in) throws IOException {
        long count = fits(in.readMapStart(), in);
        // as Pulse's strict reader sizes it: for the first block's entries
        Map<String, String> attributes = new LinkedHashMap<>(Math.max(16, (int) (count / 0.75f) + 1));
        while (count > 0) {
            for (long i = 0; i < count; i++) {
                String key = in.readString();
                if (attributes.putIfAbsent(key, in.readString()) != null) {
                    throw new AvroTypeException("map key '" + key + "' appears twice in UserEvent.attributes");
                }
            }
            count = fits(in.mapNext(), in);
        }
        return attributes;
    }

    /** {@code count} map entries, if the bytes left can hold them (Avro's own guard), before anything is allocated. */
    private static long fits(long count, Decoder in) throws EOFException {
        int remaining = in.remainingBytes();
        if (count > 0 && remaining >= 0 && count * MIN_ENTRY_BYTES > remaining) {
            throw new EOFException("UserEvent.attributes: a block of " + count + " entries needs at least "
                    + count * MIN_ENTRY_BYTES + " bytes, " + remaining + " remain");
        }
        return count;
    }
}

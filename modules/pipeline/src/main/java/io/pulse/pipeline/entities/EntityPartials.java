package io.pulse.pipeline.entities;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import java.nio.ByteBuffer;

/**
 * One entity's partial windows by partition, as the global store of broadcast delivery keeps them
 * ({@code entity-<type>-partials}, entity id → these bytes): with broadcast delivery each of the pipeline's
 * partitions counts the events and fraud labels of its own users into windows of its own ({@link
 * BroadcastEntityProcessor}), so an entity's windows are the sum of its partials ({@link EntityWindows#add}), one per
 * partition that has seen it. Internal to one application.
 *
 * <p>Layout: a format byte, the entry count (unsigned short), then per entry, in partition order, the partition
 * (int), the length of the windows' bytes (int) and those bytes ({@link EntityWindows#toBytes}, as the partition's
 * entity store holds them). Immutable values: {@link #with} returns new bytes.
 */
public final class EntityPartials {

    /** Not a format byte of {@code EntityWindows} (1), so the bare windows of an entity store are never taken for these. */
    private static final byte FORMAT = 'P';
    private static final int HEADER_BYTES = 1 + 2;
    private static final int ENTRY_HEADER_BYTES = 4 + 4;

    private EntityPartials() {
    }

    /**
     * {@code packed} with partition {@code partition}'s windows set to {@code windows} (added, or replaced), or
     * removed if {@code windows} is null; null when no partition is left.
     *
     * @param packed what the store holds for the entity, null if nothing
     */
    public static byte[] with(byte[] packed, int partition, byte[] windows) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative, was " + partition);
        }
        ByteBuffer in = packed == null ? null : open(packed);
        int count = in == null ? 0 : Short.toUnsignedInt(in.getShort());
        int size = HEADER_BYTES + (windows == null ? 0 : ENTRY_HEADER_BYTES + windows.length);
        int kept = 0;
        for (int i = 0, at = HEADER_BYTES; i < count; i++) {
            int length = in.getInt(at + 4);
            if (in.getInt(at) != partition) {
                size += ENTRY_HEADER_BYTES + length;
                kept++;
            }
            at += ENTRY_HEADER_BYTES + length;
        }
        int entries = kept + (windows == null ? 0 : 1);
        if (entries == 0) {
            return null;
        }
        if (entries > 0xFFFF) {
            throw new IllegalStateException("more than 65535 partitions for one entity");
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(FORMAT).putShort((short) entries);
        boolean placed = windows == null;
        for (int i = 0; i < count; i++) {
            int p = in.getInt();
            int length = in.getInt();
            if (!placed && partition < p) {
                out.putInt(partition).putInt(windows.length).put(windows);
                placed = true;
            }
            if (p == partition) {
                in.position(in.position() + length);
                continue;
            }
            out.putInt(p).putInt(length).put(packed, in.position(), length);
            in.position(in.position() + length);
        }
        if (!placed) {
            out.putInt(partition).putInt(windows.length).put(windows);
        }
        return out.array();
    }

    /**
     * Adds every partial in {@code packed} except partition {@code excluded}'s to {@code into}.
     *
     * @return how many partials were added
     * @throws IllegalArgumentException if the bytes are not this layout or hold windows of another shape
     */
    public static int addTo(EntityWindows into, byte[] packed, int excluded) {
        EntityWindowSpec spec = into.spec();
        ByteBuffer in = open(packed);
        int count = Short.toUnsignedInt(in.getShort());
        int added = 0;
        for (int i = 0; i < count; i++) {
            int partition = in.getInt();
            int length = in.getInt();
            int end = in.position() + length;
            if (partition != excluded) {
                into.add(EntityWindows.readFrom(spec, in.slice(in.position(), length)));
                added++;
            }
            in.position(end);
        }
        return added;
    }

    /** The entity's windows: every partial in {@code packed} added together. */
    public static EntityWindows whole(EntityWindowSpec spec, byte[] packed) {
        EntityWindows windows = EntityWindows.empty(spec);
        addTo(windows, packed, -1);
        return windows;
    }

    private static ByteBuffer open(byte[] packed) {
        if (packed.length < HEADER_BYTES || packed[0] != FORMAT) {
            throw new IllegalArgumentException("not entity partials (format " + (packed.length == 0 ? "none"
                    : packed[0]) + ", this build reads " + FORMAT + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(packed);
        in.position(1);
        return in;
    }
}

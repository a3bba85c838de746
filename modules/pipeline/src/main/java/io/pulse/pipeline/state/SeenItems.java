package io.pulse.pipeline.state;

import java.nio.ByteBuffer;

/**
 * A user's last {@link #MAX_CAPACITY} (at most) catalogue item rows, most recent last, bounded so the user's state
 * stays small: the seen set that keeps already-consumed items out of the recommendations.
 */
public final class SeenItems {

    /** The largest ring (the count is serialized as one byte). */
    public static final int MAX_CAPACITY = 255;

    private int[] rows = new int[0];
    private int count;

    public int size() {
        return count;
    }

    /**
     * Remembers {@code row} as the most recent item, keeping at most {@code capacity} rows (the oldest go first). A
     * row already present moves to the most recent place, so the ring holds distinct items.
     */
    public void add(int row, int capacity) {
        int bound = Math.min(capacity, MAX_CAPACITY);
        int existing = indexOf(row);
        if (existing >= 0) {
            System.arraycopy(rows, existing + 1, rows, existing, count - existing - 1);
            count--;
        }
        if (bound <= 0) {
            return;
        }
        if (rows.length < bound) {
            int[] grown = new int[bound];
            System.arraycopy(rows, 0, grown, 0, count);
            rows = grown;
        }
        while (count >= bound) {
            System.arraycopy(rows, 1, rows, 0, count - 1); // evict the oldest
            count--;
        }
        rows[count++] = row;
    }

    /** Copies the rows, oldest first, into {@code out} (at least {@link #size()} long). */
    public int copyTo(int[] out) {
        System.arraycopy(rows, 0, out, 0, count);
        return count;
    }

    public boolean contains(int row) {
        return indexOf(row) >= 0;
    }

    /** Forgets every row. */
    public void clear() {
        count = 0;
    }

    private int indexOf(int row) {
        for (int i = 0; i < count; i++) {
            if (rows[i] == row) {
                return i;
            }
        }
        return -1;
    }

    int serializedBytes() {
        return 1 + 4 * count;
    }

    void writeTo(ByteBuffer out) {
        out.put((byte) count);
        for (int i = 0; i < count; i++) {
            out.putInt(rows[i]);
        }
    }

    void readFrom(ByteBuffer in) {
        int stored = Byte.toUnsignedInt(in.get());
        rows = new int[stored];
        for (int i = 0; i < stored; i++) {
            rows[i] = in.getInt();
        }
        count = stored;
    }

    void copyFrom(SeenItems other) {
        rows = other.rows.clone();
        count = other.count;
    }
}

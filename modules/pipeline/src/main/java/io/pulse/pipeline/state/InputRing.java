package io.pulse.pipeline.state;

import io.pulse.model.FeatureSpec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The last {@link #CAPACITY} raw input vectors of a user, kept so that a hidden state can be re-warmed by replaying
 * them through a new model. Stored compactly: the event type as one byte (the one-hot block of the input) and every
 * other feature as one signed byte with a per-feature scale, so each entry is {@code 1 + (inputSize - 8)} bytes.
 * Quantisation error is at most half a step: 0.004 for bounded features (flags, sin/cos, rating), 0.05–0.075 for
 * log-scaled counts, amounts and gaps. Re-warming is an approximation by nature; this keeps it within the state budget.
 * Each entry also keeps the event's catalogue item and category rows (0 when unknown or for a model without interest
 * heads), so a re-warm with a model that has them replays them too; they are stored only when some entry has one.
 */
public final class InputRing {

    /** Entries kept. Four steps re-establish most of an LSTM state's short-term content. */
    public static final int CAPACITY = 4;
    /** Width of the event-type one-hot block at the start of every input vector (feature spec v1). */
    static final int TYPE_BLOCK = 8;

    private final int inputSize;
    private final float[] scales;
    private final byte[][] entries;
    private final int[] itemRows = new int[CAPACITY];
    private final int[] categoryRows = new int[CAPACITY];
    private int count;
    private int next;

    public InputRing(FeatureSpec spec) {
        // the user's own features only: entity features are the entities' state, not the user's, and are not kept
        // (a re-warm replays them as missing), so the state's size does not grow with the entity types
        this.inputSize = spec.hasEntities() ? spec.entityOffset() : spec.inputSize();
        this.scales = scalesOf(spec, inputSize);
        this.entries = new byte[CAPACITY][1 + inputSize - TYPE_BLOCK];
    }

    /** Bytes one entry takes when serialized. */
    public int entryBytes() {
        return 1 + inputSize - TYPE_BLOCK;
    }

    public int size() {
        return count;
    }

    /** Remembers one raw input vector without item and category, evicting the oldest when full. */
    public void add(float[] raw) {
        add(raw, 0, 0);
    }

    /** Remembers one raw input vector with the event's catalogue item and category rows. */
    public void add(float[] raw, int itemRow, int categoryRow) {
        itemRows[next] = itemRow;
        categoryRows[next] = categoryRow;
        byte[] entry = entries[next];
        entry[0] = (byte) typeIndex(raw);
        for (int i = TYPE_BLOCK; i < inputSize; i++) {
            float q = Math.round(raw[i] / scales[i]);
            entry[1 + i - TYPE_BLOCK] = (byte) Math.max(-127, Math.min(127, q));
        }
        next = (next + 1) % CAPACITY;
        count = Math.min(count + 1, CAPACITY);
    }

    /** Reconstructs entry {@code age} (0 = oldest kept) as a raw input vector into {@code out}. */
    public void get(int age, float[] out) {
        if (age < 0 || age >= count) {
            throw new IndexOutOfBoundsException("entry " + age + " of " + count);
        }
        byte[] entry = entries[(next - count + age + CAPACITY) % CAPACITY];
        Arrays.fill(out, 0, TYPE_BLOCK, 0f);
        out[entry[0]] = 1f;
        for (int i = TYPE_BLOCK; i < inputSize; i++) {
            out[i] = entry[1 + i - TYPE_BLOCK] * scales[i];
        }
    }

    /** The catalogue item row of entry {@code age} (0 = oldest kept); 0 when unknown. */
    public int itemRow(int age) {
        return itemRows[slot(age)];
    }

    /** The catalogue category row of entry {@code age} (0 = oldest kept); 0 when unknown. */
    public int categoryRow(int age) {
        return categoryRows[slot(age)];
    }

    private int slot(int age) {
        if (age < 0 || age >= count) {
            throw new IndexOutOfBoundsException("entry " + age + " of " + count);
        }
        return (next - count + age + CAPACITY) % CAPACITY;
    }

    /** Whether some entry carries an item or category row (only then are rows serialized). */
    boolean hasRows() {
        for (int age = 0; age < count; age++) {
            if (itemRow(age) != 0 || categoryRow(age) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Sets every entry's item and category row to unknown (0); the inputs stay. */
    void forgetRows() {
        Arrays.fill(itemRows, 0);
        Arrays.fill(categoryRows, 0);
    }

    /** Bytes {@link #writeRowsTo} writes. */
    int rowBytes() {
        return count * 8;
    }

    void writeRowsTo(ByteBuffer out) {
        for (int age = 0; age < count; age++) {
            out.putInt(itemRow(age));
            out.putInt(categoryRow(age));
        }
    }

    /** Reads the rows of the entries {@link #readFrom} read (format 3). */
    void readRowsFrom(ByteBuffer in) {
        for (int age = 0; age < count; age++) {
            itemRows[age] = in.getInt();
            categoryRows[age] = in.getInt();
        }
    }

    void copyFrom(InputRing other) {
        System.arraycopy(other.itemRows, 0, itemRows, 0, CAPACITY);
        System.arraycopy(other.categoryRows, 0, categoryRows, 0, CAPACITY);
        for (int i = 0; i < CAPACITY; i++) {
            System.arraycopy(other.entries[i], 0, entries[i], 0, entries[i].length);
        }
        count = other.count;
        next = other.next;
    }

    void writeTo(ByteBuffer out) {
        out.put((byte) count);
        for (int age = 0; age < count; age++) {
            out.put(entries[(next - count + age + CAPACITY) % CAPACITY]);
        }
    }

    void readFrom(ByteBuffer in) {
        int stored = in.get();
        if (stored < 0 || stored > CAPACITY) {
            throw new IllegalArgumentException("input ring holds " + stored + " entries, at most " + CAPACITY);
        }
        for (int i = 0; i < stored; i++) {
            in.get(entries[i]);
            itemRows[i] = 0;
            categoryRows[i] = 0;
        }
        count = stored;
        next = stored % CAPACITY;
    }

    private static int typeIndex(float[] raw) {
        int best = 0;
        for (int i = 1; i < TYPE_BLOCK; i++) {
            if (raw[i] > raw[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The scales of the spec met last, with that spec: a ring is made for every state read, and a task reads every
     * state with the same spec (one per model), so the names are looked at once per spec, not once per event. Never
     * modified.
     */
    private static volatile SpecScales lastScales;

    private record SpecScales(FeatureSpec spec, float[] scales) {
    }

    private static float[] scalesOf(FeatureSpec spec, int inputSize) {
        SpecScales known = lastScales;
        if (known != null && known.spec() == spec) {
            return known.scales();
        }
        float[] scales = scalesFor(spec.names().subList(0, inputSize));
        lastScales = new SpecScales(spec, scales);
        return scales;
    }

    /** Quantisation step per feature, chosen from the feature's name and known range (feature spec v1). */
    private static float[] scalesFor(List<String> names) {
        float[] scales = new float[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.startsWith("has_") || name.equals("first_event") || name.equals("out_of_order")
                    || name.equals("rating") || name.endsWith("_sin") || name.endsWith("_cos")) {
                scales[i] = 1f / 127f;          // bounded in [-1, 1]
            } else if (name.equals("log_gap")) {
                scales[i] = 0.15f;               // up to ~19: a gap of several years
            } else {
                scales[i] = 0.12f;               // log1p counts, amounts, z-scores: up to ~15
            }
        }
        return scales;
    }
}

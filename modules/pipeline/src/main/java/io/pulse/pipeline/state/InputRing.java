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
 */
public final class InputRing {

    /** Entries kept. Four steps re-establish most of an LSTM state's short-term content. */
    public static final int CAPACITY = 4;
    /** Width of the event-type one-hot block at the start of every input vector (feature spec v1). */
    static final int TYPE_BLOCK = 8;

    private final int inputSize;
    private final float[] scales;
    private final byte[][] entries;
    private int count;
    private int next;

    public InputRing(FeatureSpec spec) {
        this.inputSize = spec.inputSize();
        this.scales = scalesFor(spec.names());
        this.entries = new byte[CAPACITY][1 + inputSize - TYPE_BLOCK];
    }

    /** Bytes one entry takes when serialized. */
    public int entryBytes() {
        return 1 + inputSize - TYPE_BLOCK;
    }

    public int size() {
        return count;
    }

    /** Remembers one raw input vector, evicting the oldest when full. */
    public void add(float[] raw) {
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

    void copyFrom(InputRing other) {
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

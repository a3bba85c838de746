package io.pulse.pipeline.state;

import io.pulse.model.BehaviourWindows;
import io.pulse.model.FeatureSpec;
import io.pulse.model.Half;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary form of {@link UserState} in the {@code user-state} store and its changelog. Layout (version 2, big
 * endian): format byte, model version hash (int), hidden size (byte), behaviour windows, hidden and cell state as
 * IEEE half floats, the input ring, last churn and fraud score (half), last top action (byte), inactivity due time,
 * inactivity index position, last churn and fraud alert times (unsigned int epoch seconds), flags (byte). Version 3
 * appends the interest state: a presence byte (bit 0: the input ring's item and category rows, bit 1: the seen items,
 * bit 2: the category profile), when any is present the fingerprint of the catalogue they belong to (int), then the
 * present parts: the ring's rows (two ints per entry), the seen items (count
 * byte, int rows), the profile (category count as unsigned short, then half floats); bit 3 of the presence byte:
 * the last interest-shift alert time follows (unsigned int epoch seconds; it belongs to no catalogue, so it alone
 * writes no fingerprint). A state never scored by a model with interest heads costs one byte more than in version 2.
 * Versions 1 (without the index position) and 2 (without the interest state) are still read.
 *
 * <p>Half precision for the recurrent state keeps a 64-unit user at about 480 bytes: h is bounded by 1 and c rarely
 * exceeds a few units, where a half float keeps 3 significant digits.
 */
public final class UserStateCodec implements Serde<UserState> {

    /** The state-size budget per user. */
    public static final int MAX_BYTES = 512;
    /**
     * The budget a user scored by a model with interest heads may take on top of {@link #MAX_BYTES}: its seen items
     * (4 bytes each, at most {@link SeenItems#MAX_CAPACITY}), its profile (2 bytes a category) and the ring's rows.
     */
    public static int interestBudget(int seenItems, int categories) {
        return 1 + 4 + 8 * InputRing.CAPACITY + 1 + 4 * seenItems + 2 + 2 * categories + 4;
    }

    private static final byte FORMAT_VERSION = 3;
    private static final byte FORMAT_VERSION_2 = 2;
    private static final int RING_ROWS = 1;
    private static final int SEEN = 2;
    private static final int PROFILE = 4;
    private static final int INTEREST_ALERT = 8;
    /** The parts made of catalogue rows, which need the catalogue's fingerprint. */
    private static final int CATALOGUE_PARTS = RING_ROWS | SEEN | PROFILE;
    /** Format 1 had no index position: its entry was always at the due time. */
    private static final byte FORMAT_VERSION_1 = 1;
    /** Where the behaviour windows start: after the format byte, the model version hash and the hidden size. */
    private static final int WINDOWS_OFFSET = 1 + 4 + 1;

    private final FeatureSpec spec;

    public UserStateCodec(FeatureSpec spec) {
        this.spec = spec;
    }

    /** Serialized size of a state with the given hidden size and ring fill. */
    public int sizeOf(UserState state) {
        return 1 + 4 + 1 + BehaviourWindows.SERIALIZED_BYTES + 4 * state.hidden.length
                + 1 + state.recentInputs.size() * state.recentInputs.entryBytes() + 2 + 2 + 1 + 4 + 4 + 4 + 4 + 1
                + interestBytes(state);
    }

    private static int interestBytes(UserState state) {
        int parts = parts(state);
        return 1 + ((parts & CATALOGUE_PARTS) != 0 ? 4 : 0)
                + ((parts & RING_ROWS) != 0 ? state.recentInputs.rowBytes() : 0)
                + ((parts & SEEN) != 0 ? state.seenItems.serializedBytes() : 0)
                + ((parts & PROFILE) != 0 ? 2 + 2 * state.categoryProfile.length : 0)
                + ((parts & INTEREST_ALERT) != 0 ? 4 : 0);
    }

    private static int parts(UserState state) {
        return (state.recentInputs.hasRows() ? RING_ROWS : 0) | (state.seenItems.size() > 0 ? SEEN : 0)
                | (state.categoryProfile != null ? PROFILE : 0)
                | (state.lastInterestAlertSeconds != 0 ? INTEREST_ALERT : 0);
    }

    public byte[] encode(UserState state) {
        ByteBuffer out = ByteBuffer.allocate(sizeOf(state));
        out.put(FORMAT_VERSION);
        out.putInt(state.modelVersionHash);
        out.put((byte) state.hidden.length);
        state.windows.writeTo(out);
        for (float v : state.hidden) {
            out.putShort(Half.fromFloat(v));
        }
        for (float v : state.cell) {
            out.putShort(Half.fromFloat(v));
        }
        state.recentInputs.writeTo(out);
        out.putShort(Half.fromFloat(state.lastChurn));
        out.putShort(Half.fromFloat(state.lastFraud));
        out.put((byte) state.lastTopAction);
        out.putInt((int) state.inactivityDueAtSeconds);
        out.putInt((int) state.inactivityIndexedAtSeconds);
        out.putInt((int) state.lastChurnAlertSeconds);
        out.putInt((int) state.lastFraudAlertSeconds);
        out.put((byte) (state.alertedThisSilence ? 1 : 0));
        int parts = parts(state);
        out.put((byte) parts);
        if ((parts & CATALOGUE_PARTS) != 0) {
            out.putInt(state.catalogueFingerprint);
        }
        if ((parts & RING_ROWS) != 0) {
            state.recentInputs.writeRowsTo(out);
        }
        if ((parts & SEEN) != 0) {
            state.seenItems.writeTo(out);
        }
        if ((parts & PROFILE) != 0) {
            out.putShort((short) state.categoryProfile.length);
            for (float v : state.categoryProfile) {
                out.putShort(Half.fromFloat(v));
            }
        }
        if ((parts & INTEREST_ALERT) != 0) {
            out.putInt((int) state.lastInterestAlertSeconds);
        }
        return out.array();
    }

    /**
     * The last-seen time of the state {@code bytes} hold ({@link BehaviourWindows#lastSeenMillis()} of its windows;
     * {@code Long.MIN_VALUE} for a state that has seen no event), read without decoding the rest: the windows follow a
     * header of the same {@value #WINDOWS_OFFSET} bytes in every format this build reads. For a decision made before
     * the state is decoded, such as whether an event can repeat one already scored.
     *
     * @throws SerializationException for a state of a format this build does not read, or too short to hold it
     */
    public static long lastSeenMillis(byte[] bytes) {
        if (bytes.length < WINDOWS_OFFSET + BehaviourWindows.SERIALIZED_BYTES) {
            throw new SerializationException("corrupt user state (" + bytes.length + " bytes): too short");
        }
        checkFormat(bytes[0]);
        try {
            return BehaviourWindows.lastSeenMillis(ByteBuffer.wrap(bytes, WINDOWS_OFFSET,
                    BehaviourWindows.SERIALIZED_BYTES));
        } catch (IllegalArgumentException e) {
            throw new SerializationException("corrupt user state (" + bytes.length + " bytes): " + e, e);
        }
    }

    /** {@code format} if this build reads states of that format; otherwise the error that says what happened. */
    private static byte checkFormat(byte format) {
        if (format != FORMAT_VERSION && format != FORMAT_VERSION_2 && format != FORMAT_VERSION_1) {
            throw new SerializationException("user state format " + format + " is unknown to this build (knows "
                    + FORMAT_VERSION + "); was the store written by a newer Pulse?");
        }
        return format;
    }

    public UserState decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte format = checkFormat(in.get());
            int versionHash = in.getInt();
            int hiddenSize = Byte.toUnsignedInt(in.get());
            BehaviourWindows windows = BehaviourWindows.readFrom(in);
            UserState state = new UserState(windows, hiddenSize, spec);
            state.modelVersionHash = versionHash;
            for (int i = 0; i < hiddenSize; i++) {
                state.hidden[i] = Half.toFloat(in.getShort());
            }
            for (int i = 0; i < hiddenSize; i++) {
                state.cell[i] = Half.toFloat(in.getShort());
            }
            state.recentInputs.readFrom(in);
            state.lastChurn = Half.toFloat(in.getShort());
            state.lastFraud = Half.toFloat(in.getShort());
            state.lastTopAction = Byte.toUnsignedInt(in.get());
            state.inactivityDueAtSeconds = Integer.toUnsignedLong(in.getInt());
            state.inactivityIndexedAtSeconds = format == FORMAT_VERSION_1 ? state.inactivityDueAtSeconds
                    : Integer.toUnsignedLong(in.getInt());
            state.lastChurnAlertSeconds = Integer.toUnsignedLong(in.getInt());
            state.lastFraudAlertSeconds = Integer.toUnsignedLong(in.getInt());
            state.alertedThisSilence = (in.get() & 1) != 0;
            if (format == FORMAT_VERSION) {
                readInterests(in, state);
            }
            return state;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("corrupt user state (" + bytes.length + " bytes): " + e, e);
        }
    }

    private static void readInterests(ByteBuffer in, UserState state) {
        int parts = in.get();
        if ((parts & CATALOGUE_PARTS) != 0) {
            state.catalogueFingerprint = in.getInt();
        }
        if ((parts & RING_ROWS) != 0) {
            state.recentInputs.readRowsFrom(in);
        }
        if ((parts & SEEN) != 0) {
            state.seenItems.readFrom(in);
        }
        if ((parts & PROFILE) != 0) {
            float[] profile = new float[Short.toUnsignedInt(in.getShort())];
            for (int i = 0; i < profile.length; i++) {
                profile[i] = Half.toFloat(in.getShort());
            }
            state.categoryProfile = profile;
        }
        if ((parts & INTEREST_ALERT) != 0) {
            state.lastInterestAlertSeconds = Integer.toUnsignedLong(in.getInt());
        }
    }

    @Override
    public Serializer<UserState> serializer() {
        return (topic, state) -> state == null ? null : encode(state);
    }

    @Override
    public Deserializer<UserState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
}

package io.pulse.pipeline.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the {@code inactivity-index} store: the time a user's silence should next be checked, then the user id.
 * RocksDB orders keys bytewise, so with the time as an 8-byte big-endian prefix a range scan from 0 to "now" returns
 * exactly the checks that are due, oldest first — the punctuator never scans all users.
 *
 * <p>The store also holds the task clock the checks are due against, under {@link #clockKey()}: the due times are
 * meaningless without it, it changes when the index is read, and it goes to the same changelog. Due times are never
 * negative, so a check's key starts with a byte of at most {@code 0x7F}; the clock key starts with {@code 0xFF}, so
 * it is no user's entry and sorts after every check, outside every range of due checks ({@link #upTo}). So does the
 * punctuator's mark of how far it has handled the checks, under {@link #checkedUpToKey()}.
 */
public final class InactivityIndex {

    /** {@code 0xFF} then "task-clock" in ASCII. */
    private static final byte[] CLOCK_KEY = {(byte) 0xFF, 't', 'a', 's', 'k', '-', 'c', 'l', 'o', 'c', 'k'};

    /** {@code 0xFF} then "checked-up-to" in ASCII. */
    private static final byte[] CHECKED_UP_TO_KEY = {(byte) 0xFF, 'c', 'h', 'e', 'c', 'k', 'e', 'd', '-', 'u', 'p', '-',
        't', 'o'};

    private InactivityIndex() {
    }

    public static Bytes key(long dueAtMillis, String userId) {
        byte[] user = userId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + user.length)
                .putLong(Math.max(0, dueAtMillis)).put(user).array());
    }

    /** The smallest key: due at time 0. */
    public static Bytes from() {
        return Bytes.wrap(new byte[Long.BYTES]);
    }

    /**
     * The inclusive upper bound of a range scan for checks due at or before {@code millis}: the bare prefix of the
     * next millisecond, which sorts after every key of {@code millis} and before every real key of the next one
     * (user ids are never empty).
     */
    public static Bytes upTo(long millis) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(millis + 1).array());
    }

    /** The key of the task clock's entry (a fresh copy: {@link Bytes} exposes its array). */
    public static Bytes clockKey() {
        return Bytes.wrap(CLOCK_KEY.clone());
    }

    /**
     * The key under which the punctuator records the time (8 bytes, epoch milliseconds, whole seconds) up to which it
     * has handled every check (a fresh copy of the key). No check is written at or before that time again. It names
     * no user.
     */
    public static Bytes checkedUpToKey() {
        return Bytes.wrap(CHECKED_UP_TO_KEY.clone());
    }

    /** Whether {@code key} is a user's due check (and not the task clock or the punctuator's mark). */
    public static boolean isCheck(Bytes key) {
        byte[] bytes = key.get();
        return bytes.length > Long.BYTES && bytes[0] >= 0;
    }

    public static long dueAt(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong();
    }

    public static String userId(Bytes key) {
        byte[] bytes = key.get();
        return new String(bytes, Long.BYTES, bytes.length - Long.BYTES, StandardCharsets.UTF_8);
    }
}

package io.pulse.pipeline.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the {@code inactivity-index} store: the time a user's silence should next be checked, then the user id.
 * RocksDB orders keys bytewise, so with the time as an 8-byte big-endian prefix a range scan from 0 to "now" returns
 * exactly the checks that are due, oldest first — the punctuator never scans all users.
 */
public final class InactivityIndex {

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

    public static long dueAt(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong();
    }

    public static String userId(Bytes key) {
        byte[] bytes = key.get();
        return new String(bytes, Long.BYTES, bytes.length - Long.BYTES, StandardCharsets.UTF_8);
    }
}

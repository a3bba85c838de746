package io.pulse.registry.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary {@link Decoder} over one byte array that accepts exactly the encodings a writer produces and nothing
 * else, so a message either decodes to the value that re-encodes to the same bytes or fails with a
 * {@link MalformedAvroException}. Compared with Avro's {@code BinaryDecoder} (which since 1.12 does refuse a string
 * longer than the remaining bytes), it also refuses: a boolean byte other than 0/1 (BinaryDecoder reads 3 as false),
 * over-long or overflowing varints, negative lengths, indexes and counts, invalid UTF-8 (which would otherwise become
 * U+FFFD), and an array/map block whose declared byte size does not match its items. Every length is checked against
 * the bytes left before anything is allocated, and {@link #remainingBytes()} lets Avro's readers check item counts.
 */
public final class StrictBinaryDecoder extends Decoder {

    private static final int NO_BLOCK_SIZE = -1;

    private final byte[] buf;
    private final int limit;
    private int pos;
    /** End offsets of open sized array/map blocks ({@link #NO_BLOCK_SIZE} for unsized), innermost last. */
    private int[] blockEnds = new int[8];
    private int openBlocks;
    private CharsetDecoder utf8;

    public StrictBinaryDecoder(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    /** Bytes not yet consumed; after a complete read anything left over means the writer used another schema. */
    @Override
    public int remainingBytes() {
        return limit - pos;
    }

    /** Offset of the next byte in the array. */
    public int position() {
        return pos;
    }

    @Override
    public void readNull() {
        // null is encoded as zero bytes
    }

    @Override
    public boolean readBoolean() {
        require(1, "boolean");
        int b = buf[pos++];
        if (b != 0 && b != 1) {
            throw corruptAt(pos - 1, "boolean byte must be 0 or 1, found " + (b & 0xff));
        }
        return b == 1;
    }

    @Override
    public int readInt() {
        long raw = readVarint(5, "int");
        if (raw >>> 32 != 0) {
            throw corruptAt(pos, "int varint overflows 32 bits");
        }
        return (int) (raw >>> 1) ^ -(int) (raw & 1);
    }

    @Override
    public long readLong() {
        long raw = readVarint(10, "long");
        return (raw >>> 1) ^ -(raw & 1);
    }

    @Override
    public float readFloat() {
        require(4, "float");
        int bits = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
                | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    @Override
    public double readDouble() {
        require(8, "double");
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = bits << 8 | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    @Override
    public Utf8 readString(Utf8 old) {
        int length = readLength("string");
        validateUtf8(length);
        Utf8 value = new Utf8(Arrays.copyOfRange(buf, pos, pos + length));
        pos += length;
        return value;
    }

    @Override
    public String readString() {
        int length = readLength("string");
        validateUtf8(length);
        String value = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return value;
    }

    @Override
    public void skipString() {
        pos += readLength("string");
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) {
        int length = readLength("bytes");
        ByteBuffer value = ByteBuffer.wrap(Arrays.copyOfRange(buf, pos, pos + length));
        pos += length;
        return value;
    }

    @Override
    public void skipBytes() {
        pos += readLength("bytes");
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) {
        require(length, "fixed");
        System.arraycopy(buf, pos, bytes, start, length);
        pos += length;
    }

    @Override
    public void skipFixed(int length) {
        require(length, "fixed");
        pos += length;
    }

    @Override
    public int readEnum() {
        return readIndex("enum index");
    }

    @Override
    public int readIndex() {
        return readIndex("union branch index");
    }

    @Override
    public long readArrayStart() {
        return readBlockCount("array");
    }

    @Override
    public long arrayNext() {
        closeBlock("array");
        return readBlockCount("array");
    }

    @Override
    public long skipArray() {
        return skipSizedBlocks("array");
    }

    @Override
    public long readMapStart() {
        return readBlockCount("map");
    }

    @Override
    public long mapNext() {
        closeBlock("map");
        return readBlockCount("map");
    }

    @Override
    public long skipMap() {
        return skipSizedBlocks("map");
    }

    private int readIndex(String what) {
        int index = readInt();
        if (index < 0) {
            throw corruptAt(pos, "negative " + what + " " + index);
        }
        return index;
    }

    /** A block count; a negative count is followed by the block's size in bytes, which must match its items. */
    private long readBlockCount(String what) {
        long count = readLong();
        if (count == 0) {
            return 0;
        }
        int end = NO_BLOCK_SIZE;
        if (count < 0) {
            if (count == Long.MIN_VALUE) {
                throw corruptAt(pos, what + " block count out of range");
            }
            count = -count;
            long size = readLong();
            if (size < 0 || size > remainingBytes()) {
                throw corruptAt(pos, what + " block declares " + size + " bytes but " + remainingBytes() + " remain");
            }
            end = pos + (int) size;
        }
        try {
            // items that take bytes are checked against remainingBytes() by Avro's readers; zero-byte items (null)
            // may outnumber the bytes, so only Avro's configurable collection limit applies to them
            SystemLimitException.checkMaxCollectionLength(count);
        } catch (SystemLimitException e) {
            throw corruptAt(pos, what + " block count " + count + ": " + e.getMessage());
        }
        pushBlock(end);
        return count;
    }

    private void closeBlock(String what) {
        if (openBlocks == 0) {
            throw corruptAt(pos, what + " continued without an open block");
        }
        int end = blockEnds[--openBlocks];
        if (end != NO_BLOCK_SIZE && end != pos) {
            throw corruptAt(pos, what + " block size does not match its items (ends at " + pos + ", declared "
                    + end + ")");
        }
    }

    private void pushBlock(int end) {
        if (openBlocks == blockEnds.length) {
            blockEnds = Arrays.copyOf(blockEnds, openBlocks * 2);
        }
        blockEnds[openBlocks++] = end;
    }

    /** Skips blocks that carry a byte size; returns the item count of the first one that does not (0 at the end). */
    private long skipSizedBlocks(String what) {
        while (true) {
            long count = readLong();
            if (count >= 0) {
                return count;
            }
            if (count == Long.MIN_VALUE) {
                throw corruptAt(pos, what + " block count out of range");
            }
            long size = readLong();
            if (size < 0 || size > remainingBytes()) {
                throw corruptAt(pos, what + " block declares " + size + " bytes but " + remainingBytes() + " remain");
            }
            pos += (int) size;
        }
    }

    /** A string/bytes length: not negative and not beyond the end, checked before any allocation. */
    private int readLength(String what) {
        long length = readLong();
        if (length < 0) {
            throw corruptAt(pos, "negative " + what + " length " + length);
        }
        if (length > remainingBytes()) {
            throw corruptAt(pos, what + " length " + length + " exceeds the " + remainingBytes() + " bytes left");
        }
        return (int) length;
    }

    /**
     * Zig-zag varint, at most {@code maxBytes} long and minimal: a multi-byte varint may not end in a zero byte, since
     * no writer produces that and accepting it would let different bytes decode to the same value.
     */
    private long readVarint(int maxBytes, String what) {
        long raw = 0;
        int start = pos;
        for (int i = 0; i < maxBytes; i++) {
            if (pos >= limit) {
                throw MalformedAvroException.truncated("data ends inside " + what + " at offset " + pos);
            }
            int b = buf[pos++] & 0xff;
            if (i == 9 && b > 1) {
                throw corruptAt(start, what + " varint overflows 64 bits");
            }
            raw |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw corruptAt(start, "over-long " + what + " varint");
                }
                return raw;
            }
        }
        throw corruptAt(start, what + " varint longer than " + maxBytes + " bytes");
    }

    private void validateUtf8(int length) {
        for (int i = pos; i < pos + length; i++) {
            if (buf[i] < 0) {
                validateUtf8Strictly(length);
                return;
            }
        }
    }

    private void validateUtf8Strictly(int length) {
        if (utf8 == null) {
            utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        try {
            utf8.reset().decode(ByteBuffer.wrap(buf, pos, length));
        } catch (CharacterCodingException e) {
            throw corruptAt(pos, "string is not valid UTF-8");
        }
    }

    private void require(int n, String what) {
        if (n < 0) {
            throw corruptAt(pos, "negative " + what + " size " + n);
        }
        if (n > remainingBytes()) {
            throw MalformedAvroException.truncated("data ends inside " + what + " at offset " + pos + ": needs " + n
                    + " bytes, " + remainingBytes() + " left");
        }
    }

    private static MalformedAvroException corruptAt(int offset, String message) {
        return MalformedAvroException.corrupt(message + " (at offset " + offset + ")");
    }
}

package io.pulse.registry.internal;

/**
 * Raised by {@link StrictBinaryDecoder} and the strict datum readers for bytes that are not a valid encoding.
 * Unchecked so it can leave Avro's reader callbacks that do not declare IOException; the deserializer turns it into
 * the public, typed {@code AvroWireFormatException}.
 */
public final class MalformedAvroException extends RuntimeException {

    private final boolean truncated;

    private MalformedAvroException(String message, boolean truncated) {
        super(message);
        this.truncated = truncated;
    }

    /** The data ended in the middle of a value. */
    public static MalformedAvroException truncated(String message) {
        return new MalformedAvroException(message, true);
    }

    /** The data is not a valid encoding (bad length, index, boolean, UTF-8, ...). */
    public static MalformedAvroException corrupt(String message) {
        return new MalformedAvroException(message, false);
    }

    public boolean isTruncated() {
        return truncated;
    }
}

package io.pulse.contracts.codec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.util.Utf8;

/**
 * The UTF-8 form of strings that recur from record to record (a model's head names, catalogue ids, model versions),
 * encoded once: Avro's encoder writes a {@link Utf8} as it is, where a {@code String} costs an encoding and a byte
 * array every time. Bounded: past {@link #CAPACITY} distinct strings the cache starts over, so ids that never recur
 * cost a map entry for a while, never memory without end. Thread-safe: a serializer, and so its writers, may be
 * shared by several stream threads.
 */
final class RepeatedStrings {

    /** Distinct strings kept at most: a catalogue's top items and categories and a model's heads fit many times. */
    static final int CAPACITY = 4096;

    private final Map<String, Utf8> encoded = new ConcurrentHashMap<>();

    /** The UTF-8 form of {@code value}, encoded now or earlier. */
    Utf8 of(String value) {
        Utf8 utf8 = encoded.get(value);
        if (utf8 == null) {
            if (encoded.size() >= CAPACITY) {
                encoded.clear();
            }
            utf8 = new Utf8(value);
            encoded.put(value, utf8);
        }
        return utf8;
    }
}

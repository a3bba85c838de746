package io.pulse.registry.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Datum readers that refuse a map with a repeated key: Avro would keep the last value silently, so two different
 * messages would decode to the same record. Maps keep the order they were written in (Avro's default HashMap does
 * not), so a decoded record re-encodes to the very same bytes. With {@link StrictBinaryDecoder} this makes decoding
 * one-to-one.
 *
 * <p>They run on private data models with Avro 1.12's fast reader and generated custom coders switched off: both
 * bypass the overridable hooks (the fast reader also bypasses Avro's item-count guard) and either can be switched on
 * process-wide by system properties. The classic reader is slower but keeps every check in one place.
 */
public final class StrictDatumReaders {

    private static final GenericData STRICT_GENERIC = new GenericData().setFastReaderEnabled(false);

    private StrictDatumReaders() {
    }

    /** A copy of the generated classes' model (class loader, logical-type conversions) with the shortcuts off. */
    private static SpecificData strictSpecific(Schema reader) {
        SpecificData model = SpecificData.getForSchema(reader);
        SpecificData strict = new SpecificData(model.getClassLoader());
        model.getConversions().forEach(strict::addLogicalTypeConversion);
        strict.setFastReaderEnabled(false);
        strict.setCustomCoders(false);
        return strict;
    }

    /** Generic records, strings as {@code Utf8} unless the schema says otherwise. */
    public static <T> DatumReader<T> generic(Schema writer, Schema reader) {
        return new StrictGeneric<>(writer, reader);
    }

    /** Specific records of the classes generated for {@code reader}, with their logical-type conversions. */
    public static <T> DatumReader<T> specific(Schema writer, Schema reader) {
        return new StrictSpecific<>(writer, reader);
    }

    private static Object orderedMap(Object old, int size) {
        if (old instanceof LinkedHashMap<?, ?> reused) {
            reused.clear();
            return reused;
        }
        return new LinkedHashMap<>(Math.max(16, (int) (size / 0.75f) + 1));
    }

    private static void addUnique(Object map, Object key, Object value) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> m = (Map<Object, Object>) map;
        if (m.containsKey(key)) {
            throw MalformedAvroException.corrupt("map key '" + key + "' appears twice");
        }
        m.put(key, value);
    }

    private static final class StrictGeneric<T> extends GenericDatumReader<T> {
        StrictGeneric(Schema writer, Schema reader) {
            super(writer, reader, STRICT_GENERIC);
        }

        @Override
        protected Object newMap(Object old, int size) {
            return orderedMap(old, size);
        }

        @Override
        protected void addToMap(Object map, Object key, Object value) {
            addUnique(map, key, value);
        }
    }

    private static final class StrictSpecific<T> extends SpecificDatumReader<T> {
        StrictSpecific(Schema writer, Schema reader) {
            super(writer, reader, strictSpecific(reader));
        }

        @Override
        protected Object newMap(Object old, int size) {
            return orderedMap(old, size);
        }

        @Override
        protected void addToMap(Object map, Object key, Object value) {
            addUnique(map, key, value);
        }
    }
}

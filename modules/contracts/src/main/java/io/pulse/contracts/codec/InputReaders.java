package io.pulse.contracts.codec;

import io.pulse.contracts.UserEvent;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;

/** The direct readers there are, for records written with exactly the schema they are read as. */
public final class InputReaders {

    private InputReaders() {
    }

    /**
     * A direct reader of data written with {@code writer} into the generated class whose own schema is {@code reader},
     * or null when there is none: only when the writer's schema is the reader's in its parsing canonical form (the
     * same fields, types and order: an event produced with the current contract); data written with an older or
     * newer schema needs Avro's resolution. Stateless and thread-safe.
     */
    @SuppressWarnings("unchecked") // the branch returns the reader of the record type its schema belongs to
    public static <T> DatumReader<T> forSchemas(Schema writer, Schema reader) {
        if (reader == UserEvent.getClassSchema()
                && SchemaNormalization.parsingFingerprint64(writer) == UserEventReader.FINGERPRINT) {
            return (DatumReader<T>) new UserEventReader();
        }
        return null;
    }
}

package io.pulse.contracts.codec;

import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserInterests;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;

/** The direct writers there are, found by the schema a record is written with. */
public final class OutputWriters {

    private OutputWriters() {
    }

    /**
     * A new direct writer for records of {@code schema}, or null when there is none for it: only the generated classes'
     * own schema instances have one (a record written with any other schema, even an equal one read from a registry,
     * takes Avro's own writer). A writer is thread-safe, as Avro's are.
     */
    @SuppressWarnings("unchecked") // each branch returns the writer of the record type its schema belongs to
    public static <T> DatumWriter<T> forSchema(Schema schema) {
        if (schema == Prediction.getClassSchema()) {
            return (DatumWriter<T>) new PredictionWriter();
        }
        if (schema == UserInterests.getClassSchema()) {
            return (DatumWriter<T>) new UserInterestsWriter();
        }
        return null;
    }
}

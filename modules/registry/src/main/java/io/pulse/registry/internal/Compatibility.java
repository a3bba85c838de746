package io.pulse.registry.internal;

import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** The registry's compatibility levels, checked with Avro's own reader/writer rules. */
public final class Compatibility {

    public static final String NONE = "NONE";
    public static final String BACKWARD = "BACKWARD";
    public static final Set<String> LEVELS = Set.of(NONE, BACKWARD, "BACKWARD_TRANSITIVE", "FORWARD",
            "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    private Compatibility() {
    }

    /**
     * Whether {@code candidate} may follow {@code previous} (oldest first) under {@code level}. BACKWARD: the new schema
     * reads data written with the latest; FORWARD: the latest reads data written with the new; FULL: both;
     * _TRANSITIVE: against every earlier version, not just the latest.
     */
    public static boolean isCompatible(String level, Schema candidate, List<Schema> previous) {
        if (previous.isEmpty() || NONE.equals(level)) {
            return true;
        }
        List<Schema> against = level.endsWith("_TRANSITIVE") ? previous : List.of(previous.get(previous.size() - 1));
        boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
        boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
        for (Schema old : against) {
            if (backward && !canRead(candidate, old)) {
                return false;
            }
            if (forward && !canRead(old, candidate)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a reader with schema {@code reader} can decode data written with {@code writer}. */
    public static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }
}

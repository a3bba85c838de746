package io.pulse.contracts.codec;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.ItemScore;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.Encoder;

/**
 * The field writers the output records share, each making the encoder calls Avro's {@code GenericDatumWriter} makes
 * for that field's type (arrays: start, item count, one start per item, end), and the check that a record's schema
 * is still the one its reader or writer was written for.
 */
final class Fields {

    private Fields() {
    }

    /**
     * Fails when {@code schema} is no longer the one the writer was written for: {@code fingerprint} is the 64-bit
     * fingerprint of that schema's parsing canonical form (names, types and order: what decides the bytes; docs and
     * defaults do not), so any change to the written form must be followed in the writer and its fingerprint.
     */
    static Schema require(Schema schema, long fingerprint) {
        long actual = SchemaNormalization.parsingFingerprint64(schema);
        if (actual != fingerprint) {
            throw new IllegalStateException(schema.getFullName() + "'s schema changed (parsing fingerprint " + actual
                    + ", its direct reader or writer in " + Fields.class.getPackageName() + " was written for "
                    + fingerprint + "): update it to the new schema, then its fingerprint; its test compares it with"
                    + " Avro's own");
        }
        return schema;
    }

    static <T> T present(T value, String record, String field) {
        if (value == null) {
            throw new NullPointerException("null value for (non-nullable) field " + record + "." + field);
        }
        return value;
    }

    // The three arrays below have one shape; they stay three methods because one generic method taking the getters
    // as functions was measurably slower (AvroSerdeBenchmark, interests=true): its getter calls see three types and
    // are no longer inlined.

    static void actions(List<ActionProbability> actions, RepeatedStrings strings, Encoder out) throws IOException {
        present(actions, "Prediction", "nextAction");
        out.writeArrayStart();
        out.setItemCount(actions.size());
        for (ActionProbability action : actions) {
            out.startItem();
            out.writeString(strings.of(present(item(action, "Prediction", "nextAction").getAction(),
                    "ActionProbability", "action")));
            out.writeDouble(action.getProbability());
        }
        out.writeArrayEnd();
    }

    static void categories(List<CategoryProbability> categories, String record, RepeatedStrings strings, Encoder out)
            throws IOException {
        present(categories, record, "nextCategories");
        out.writeArrayStart();
        out.setItemCount(categories.size());
        for (CategoryProbability category : categories) {
            out.startItem();
            out.writeString(strings.of(present(item(category, record, "nextCategories").getCategory(),
                    "CategoryProbability", "category")));
            out.writeDouble(category.getProbability());
        }
        out.writeArrayEnd();
    }

    static void recommendations(List<ItemScore> items, String record, RepeatedStrings strings, Encoder out)
            throws IOException {
        present(items, record, "recommendations");
        out.writeArrayStart();
        out.setItemCount(items.size());
        for (ItemScore item : items) {
            out.startItem();
            out.writeString(strings.of(present(item(item, record, "recommendations").getItemId(), "ItemScore",
                    "itemId")));
            out.writeDouble(item.getScore());
        }
        out.writeArrayEnd();
    }

    private static <T> T item(T value, String record, String field) {
        if (value == null) {
            throw new NullPointerException("null item in " + record + "." + field);
        }
        return value;
    }
}

package io.pulse.contracts.codec;

import io.pulse.contracts.Prediction;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/** {@code Prediction}, field by field in its schema's order (see the package's description). */
final class PredictionWriter implements DatumWriter<Prediction> {

    /** {@link Fields#require}: the schema this writer follows. */
    static final long FINGERPRINT = 8284257808279233218L;
    private static final String RECORD = "Prediction";

    private final RepeatedStrings strings = new RepeatedStrings();

    PredictionWriter() {
        Fields.require(Prediction.getClassSchema(), FINGERPRINT);
    }

    @Override
    public void setSchema(Schema schema) {
        Fields.require(schema, FINGERPRINT);
    }

    @Override
    public void write(Prediction p, Encoder out) throws IOException {
        out.writeString(Fields.present(p.getEventId(), RECORD, "eventId"));
        out.writeString(Fields.present(p.getUserId(), RECORD, "userId"));
        out.writeLong(Fields.present(p.getEventTime(), RECORD, "eventTime").toEpochMilli());
        out.writeLong(Fields.present(p.getPredictedAt(), RECORD, "predictedAt").toEpochMilli());
        out.writeString(strings.of(Fields.present(p.getModelName(), RECORD, "modelName")));
        out.writeString(strings.of(Fields.present(p.getModelVersion(), RECORD, "modelVersion")));
        Fields.actions(p.getNextAction(), strings, out);
        out.writeDouble(p.getChurnProbability());
        out.writeLong(p.getChurnHorizonMillis());
        out.writeDouble(p.getFraudScore());
        out.writeLong(p.getEventsSeen());
        Fields.categories(p.getNextCategories(), RECORD, strings, out);
        Fields.recommendations(p.getRecommendations(), RECORD, strings, out);
        Double shift = p.getInterestShift();
        if (shift == null) {
            out.writeIndex(0);
            out.writeNull();
        } else {
            out.writeIndex(1);
            out.writeDouble(shift);
        }
    }
}

package io.pulse.contracts.codec;

import io.pulse.contracts.UserInterests;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/** {@code UserInterests}, field by field in its schema's order (see the package's description). */
final class UserInterestsWriter implements DatumWriter<UserInterests> {

    /** {@link Fields#require}: the schema this writer follows. */
    static final long FINGERPRINT = 8585303167854603213L;
    private static final String RECORD = "UserInterests";

    private final RepeatedStrings strings = new RepeatedStrings();

    UserInterestsWriter() {
        Fields.require(UserInterests.getClassSchema(), FINGERPRINT);
    }

    @Override
    public void setSchema(Schema schema) {
        Fields.require(schema, FINGERPRINT);
    }

    @Override
    public void write(UserInterests interests, Encoder out) throws IOException {
        out.writeString(Fields.present(interests.getUserId(), RECORD, "userId"));
        out.writeLong(Fields.present(interests.getUpdatedAt(), RECORD, "updatedAt").toEpochMilli());
        out.writeString(strings.of(Fields.present(interests.getModelVersion(), RECORD, "modelVersion")));
        Fields.categories(interests.getNextCategories(), RECORD, strings, out);
        Fields.recommendations(interests.getRecommendations(), RECORD, strings, out);
        out.writeDouble(interests.getInterestShift());
    }
}

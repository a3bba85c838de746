package io.pulse.contracts.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.ItemScore;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.UserInterests;
import io.pulse.contracts.schema.Contracts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class OutputWritersTest {

    /** Plain ASCII ids, and strings whose UTF-8 takes 2, 3 and 4 bytes a character (a surrogate pair). */
    private static final String[] ALPHABET = {"a", "Z", "7", "-", "/", "é", "ß", "€", "日", "😀"};

    @Test
    void shouldWritePredictionsByteForByteAsAvroDoes() {
        Random random = new Random(20261206L);
        DatumWriter<Prediction> direct = OutputWriters.forSchema(Prediction.getClassSchema());
        DatumWriter<Prediction> avro = new SpecificDatumWriter<>(Prediction.getClassSchema(),
                SpecificData.getForClass(Prediction.class));
        for (int i = 0; i < 2_000; i++) {
            Prediction prediction = randomPrediction(random);
            byte[] expected = bytes(avro, prediction);
            assertThat(bytes(direct, prediction)).as("prediction %d: %s", i, prediction).isEqualTo(expected);
            assertThat(read(Prediction.getClassSchema(), bytes(direct, prediction))).isEqualTo(prediction);
        }
    }

    @Test
    void shouldWriteUserInterestsByteForByteAsAvroDoes() {
        Random random = new Random(6L);
        DatumWriter<UserInterests> direct = OutputWriters.forSchema(UserInterests.getClassSchema());
        DatumWriter<UserInterests> avro = new SpecificDatumWriter<>(UserInterests.getClassSchema(),
                SpecificData.getForClass(UserInterests.class));
        for (int i = 0; i < 2_000; i++) {
            UserInterests interests = new UserInterests(text(random), instant(random), text(random),
                    categories(random), items(random), random.nextDouble());
            assertThat(bytes(direct, interests)).as("interests %d: %s", i, interests)
                    .isEqualTo(bytes(avro, interests));
        }
    }

    @Test
    void shouldKeepWritingTheSameBytesOnceItsStringCacheStartsOver() {
        DatumWriter<UserInterests> direct = OutputWriters.forSchema(UserInterests.getClassSchema());
        DatumWriter<UserInterests> avro = new SpecificDatumWriter<>(UserInterests.getClassSchema(),
                SpecificData.getForClass(UserInterests.class));
        for (int i = 0; i < 3 * RepeatedStrings.CAPACITY; i++) {
            // every record brings a new model version and item id: the cache fills and starts over, twice
            UserInterests interests = new UserInterests("user", Instant.ofEpochMilli(i), "v" + i, List.of(),
                    List.of(new ItemScore("item-" + i, (double) i)), 0.5);
            assertThat(bytes(direct, interests)).isEqualTo(bytes(avro, interests));
        }
    }

    @Test
    void shouldRefuseAMissingRequiredFieldNamingIt() {
        DatumWriter<Prediction> direct = OutputWriters.forSchema(Prediction.getClassSchema());
        Prediction withoutUser = randomPrediction(new Random(1L));
        withoutUser.setUserId(null);
        Prediction withNullAction = randomPrediction(new Random(2L));
        withNullAction.setNextAction(new ArrayList<>(List.of(new ActionProbability(null, 0.5))));

        assertThatThrownBy(() -> bytes(direct, withoutUser)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Prediction.userId");
        assertThatThrownBy(() -> bytes(direct, withNullAction)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("ActionProbability.action");
    }

    @Test
    void shouldServeOnlyTheGeneratedClassesOwnSchemas() {
        Schema equalCopy = new Schema.Parser().parse(Prediction.getClassSchema().toString());

        assertThat(OutputWriters.<Prediction>forSchema(equalCopy)).as("a schema from elsewhere, e.g. a registry")
                .isNull();
        assertThat(OutputWriters.<UserEvent>forSchema(UserEvent.getClassSchema())).isNull();
        assertThat(OutputWriters.<Prediction>forSchema(Prediction.getClassSchema())).isNotNull();
    }

    @Test
    void shouldRefuseASchemaOtherThanTheOneItWasWrittenFor() {
        DatumWriter<Prediction> direct = OutputWriters.forSchema(Prediction.getClassSchema());
        direct.setSchema(new Schema.Parser().parse(Prediction.getClassSchema().toString())); // equal: accepted

        assertThatThrownBy(() -> direct.setSchema(UserInterests.getClassSchema()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("UserInterests's schema changed")
                .hasMessageContaining("update it to the new schema");
        assertThat(PredictionWriter.FINGERPRINT).as("the fingerprint the writer was written for")
                .isEqualTo(org.apache.avro.SchemaNormalization.parsingFingerprint64(Prediction.getClassSchema()));
        assertThat(UserInterestsWriter.FINGERPRINT)
                .isEqualTo(org.apache.avro.SchemaNormalization.parsingFingerprint64(UserInterests.getClassSchema()));
    }

    private static Prediction randomPrediction(Random random) {
        List<ActionProbability> actions = new ArrayList<>();
        for (int a = random.nextInt(10); a > 0; a--) {
            actions.add(new ActionProbability(text(random), random.nextDouble()));
        }
        return new Prediction(text(random), text(random), instant(random), instant(random), text(random),
                text(random), actions, random.nextDouble(), random.nextLong(), random.nextDouble(),
                random.nextInt(3) == 0 ? random.nextLong() : (long) random.nextInt(1000), categories(random),
                items(random), random.nextBoolean() ? null : random.nextDouble());
    }

    private static List<CategoryProbability> categories(Random random) {
        List<CategoryProbability> categories = new ArrayList<>();
        for (int c = random.nextInt(7); c > 0; c--) {
            categories.add(new CategoryProbability(text(random), random.nextDouble()));
        }
        return categories;
    }

    private static List<ItemScore> items(Random random) {
        List<ItemScore> items = new ArrayList<>();
        for (int i = random.nextInt(12); i > 0; i--) {
            items.add(new ItemScore(text(random), random.nextGaussian() * 10));
        }
        return items;
    }

    /** Often from a small vocabulary (repeats, as head names and catalogue ids do), sometimes empty or long. */
    private static String text(Random random) {
        if (random.nextInt(3) == 0) {
            return "word-" + random.nextInt(20);
        }
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(random.nextBoolean() ? 4 : 200); n > 0; n--) {
            text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return text.toString();
    }

    private static Instant instant(Random random) {
        return Instant.ofEpochMilli(random.nextInt(4) == 0 ? -random.nextInt(1_000_000) : random.nextLong() >>> 23);
    }

    private static <T> byte[] bytes(DatumWriter<T> writer, T datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Prediction read(Schema schema, byte[] bytes) {
        Contracts.trustGeneratedClasses();
        try {
            return new SpecificDatumReader<Prediction>(schema).read(null,
                    DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

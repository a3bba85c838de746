package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A bundle file written by an earlier build, and the scores it gave for a fixed event sequence, kept as fixtures:
 * every later build must still load it and predict the same (encoder, normalisation and kernel included).
 *
 * <p>Regenerate only on a deliberate format change: {@code mvn test -pl modules/model -Dtest=GoldenBundleTest
 * -Dpulse.golden.write=true}, then commit the files under {@code src/test/resources/golden/}.
 */
class GoldenBundleTest {

    private static final String BUNDLE = "golden/seeded-random-h64-v1.bundle";
    private static final String EXPECTED = "golden/seeded-random-h64-v1.expected.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldLoadTheGoldenBundleAndPredictAsItDidWhenWritten() throws IOException {
        ModelBundle bundle = ModelBundles.fromBytes(resource(BUNDLE));
        JsonNode expected = JSON.readTree(resource(EXPECTED));
        LstmModel model = ModelBundles.toModel(bundle);
        assertThat(model.version()).isEqualTo(expected.get("version").asText());

        JsonNode actual = score(model, expected.get("events"));

        for (int step = 0; step < expected.get("scores").size(); step++) {
            JsonNode want = expected.get("scores").get(step);
            JsonNode got = actual.get(step);
            for (int a = 0; a < 8; a++) {
                assertThat(got.get("nextAction").get(a).asDouble()).as("step %d next action %d", step, a)
                        .isCloseTo(want.get("nextAction").get(a).asDouble(), within(1e-5));
            }
            assertThat(got.get("churn").asDouble()).as("step %d churn", step)
                    .isCloseTo(want.get("churn").asDouble(), within(1e-5));
            assertThat(got.get("fraud").asDouble()).as("step %d fraud", step)
                    .isCloseTo(want.get("fraud").asDouble(), within(1e-5));
        }
    }

    /** Encodes, normalises and scores the events, as the pipeline does. */
    private static ArrayNode score(LstmModel model, JsonNode events) {
        FeatureEncoder encoder = new FeatureEncoder(model.featureSpec());
        BehaviourWindows windows = BehaviourWindows.empty();
        float[] raw = new float[model.inputSize()];
        float[] x = new float[model.inputSize()];
        float[] h = new float[model.hiddenSize()];
        float[] c = new float[model.hiddenSize()];
        Scores scores = Scores.forModel(model);
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode event : events) {
            encoder.encode(EventType.valueOf(event.get("type").asText()), event.get("time").asLong(),
                    event.get("amount").isNull() ? Double.NaN : event.get("amount").asDouble(),
                    event.get("rating").isNull() ? Double.NaN : event.get("rating").asDouble(), windows, raw);
            model.featureSpec().normalise(raw, x);
            model.predict(x, h, c, scores);
            ObjectNode step = out.addObject();
            ArrayNode next = step.putArray("nextAction");
            for (float p : scores.nextAction) {
                next.add(p);
            }
            step.put("churn", scores.churn);
            step.put("fraud", scores.fraud);
        }
        return out;
    }

    @Test
    @EnabledIfSystemProperty(named = "pulse.golden.write", matches = "true")
    void shouldWriteTheGoldenFixtures() throws IOException {
        ModelBundle bundle = ModelBundles.seededRandom("pulse-golden", 20_261_123L, 64);
        Random random = new Random(5);
        ArrayNode events = JSON.createArrayNode();
        long time = 1_763_900_000_000L;
        for (int i = 0; i < 200; i++) {
            time += (long) (random.nextDouble() * 7_200_000) - (i % 17 == 0 ? 9_000_000 : 0);
            EventType type = EventType.values()[1 + random.nextInt(7)];
            ObjectNode event = events.addObject();
            event.put("type", type.name());
            event.put("time", time);
            if (type == EventType.PURCHASE || type == EventType.PAYMENT) {
                event.put("amount", Math.round(random.nextDouble() * 20_000) / 100.0);
            } else {
                event.putNull("amount");
            }
            if (type == EventType.RATING) {
                event.put("rating", 1 + random.nextInt(5));
            } else {
                event.putNull("rating");
            }
        }
        ObjectNode expected = JSON.createObjectNode();
        expected.put("version", bundle.getVersion());
        expected.put("note", "Scores of " + BUNDLE + " for these events, written by GoldenBundleTest");
        expected.set("events", events);
        expected.set("scores", score(ModelBundles.toModel(bundle), events));
        Path dir = Path.of("src/test/resources/golden");
        Files.createDirectories(dir);
        ModelBundles.write(bundle, dir.resolve(Path.of(BUNDLE).getFileName()));
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(Path.of(EXPECTED).getFileName()).toFile(),
                expected);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GoldenBundleTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            return in.readAllBytes();
        }
    }
}

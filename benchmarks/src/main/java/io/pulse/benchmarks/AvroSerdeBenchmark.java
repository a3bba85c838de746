package io.pulse.benchmarks;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ItemScore;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.registry.serde.AvroSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Pulse's Avro serdes cost per record on the scoring path: writing a {@code Prediction} (the output of every
 * event) and reading a {@code UserEvent} (its input), in the Confluent wire format against an in-memory registry
 * ({@code mock://}: the schema id is resolved once, as against a real registry). {@code interests}: whether the
 * prediction carries a model with interest heads' fields (5 next categories, 10 recommendations, the shift) as the
 * end-to-end benchmark's model does, or only the version-1 fields. Run with {@code -prof gc} for the bytes allocated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AvroSerdeBenchmark {

    private static final String TOPIC = "bench-topic";

    @Param({"false", "true"})
    public boolean interests;

    private AvroSerializer<Prediction> predictionWriter;
    private AvroDeserializer<UserEvent> eventReader;
    private Prediction prediction;
    private byte[] eventBytes;

    @Setup
    public void setUp() {
        Map<String, Object> config = Map.of("schema.registry.url", "mock://avro-serde-benchmark");
        predictionWriter = new AvroSerializer<>();
        predictionWriter.configure(config, false);
        eventReader = new AvroDeserializer<>(UserEvent.class);
        eventReader.configure(config, false);
        AvroSerializer<UserEvent> eventWriter = new AvroSerializer<>();
        eventWriter.configure(config, false);

        Instant at = Instant.parse("2026-12-06T00:00:00Z");
        UserEvent event = UserEvent.newBuilder().setEventId("5f0c1f6e-2d3b-4a59-9a51-0d8f7f2f1e11")
                .setUserId("user-004217").setType(EventType.PURCHASE).setEventTime(at).setItemId("item-8812")
                .setCategory("beauty/skin-care").setAmount(42.5).setAttributes(Map.of("terminal", "T-0193"))
                .build();
        eventBytes = eventWriter.serialize(TOPIC + "-events", event);
        eventWriter.close();

        List<ActionProbability> actions = new ArrayList<>();
        for (EventType type : EventType.values()) {
            actions.add(new ActionProbability(type.name(), 1.0 / EventType.values().length));
        }
        List<CategoryProbability> categories = new ArrayList<>();
        List<ItemScore> items = new ArrayList<>();
        if (interests) {
            for (int c = 0; c < 5; c++) {
                categories.add(new CategoryProbability("category-" + c, 0.2 - 0.01 * c));
            }
            for (int i = 0; i < 10; i++) {
                items.add(new ItemScore("item-" + (1000 + i), 0.05 - 0.001 * i));
            }
        }
        prediction = new Prediction(event.getEventId(), event.getUserId(), at, at.plusMillis(3), "pulse-lstm",
                "v1-3f2a9c", actions, 0.12, 86_400_000L, 0.013, 57L, categories, items, interests ? 0.07 : null);
    }

    @TearDown
    public void tearDown() {
        predictionWriter.close();
        eventReader.close();
    }

    @Benchmark
    public byte[] writePrediction() {
        return predictionWriter.serialize(TOPIC, prediction);
    }

    @Benchmark
    public UserEvent readEvent() {
        return eventReader.deserialize(TOPIC + "-events", eventBytes);
    }
}

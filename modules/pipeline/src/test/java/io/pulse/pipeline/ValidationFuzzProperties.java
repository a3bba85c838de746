package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.validate.DeadLetters;
import io.pulse.pipeline.validate.RejectReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Mutation fuzzing of the whole validation step: valid serialized events (of generated, often hostile, content) with
 * bytes flipped, overwritten, inserted, deleted, truncated or spliced, and keys sometimes mangled, go through the real
 * topology. Whatever the bytes, nothing throws and every record ends in exactly one place: one prediction, one dead
 * letter (with a reason from {@link RejectReason}), or counted as a repeated delivery.
 */
class ValidationFuzzProperties {

    private Path stateDir;
    private TopologyFixture fixture;
    private List<UserEvent> seeds;

    @BeforeProperty
    void start() throws IOException {
        stateDir = Files.createTempDirectory("pulse-fuzz");
        fixture = new TopologyFixture(stateDir, Map.of());
    }

    @AfterProperty
    void stop() throws IOException {
        fixture.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** A mutation of a byte array; applied one to four at a time. */
    @FunctionalInterface
    interface Mutation {
        byte[] apply(byte[] bytes);
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 4096);
        Arbitrary<Integer> value = Arbitraries.integers().between(0, 255);
        return Arbitraries.oneOf(
                Combinators.combine(position, Arbitraries.integers().between(0, 7)).as((at, bit) -> bytes -> {
                    if (bytes.length == 0) {
                        return bytes;
                    }
                    byte[] out = bytes.clone();
                    out[at % out.length] ^= (byte) (1 << bit);
                    return out;
                }),
                Combinators.combine(position, value).as((at, v) -> bytes -> {
                    if (bytes.length == 0) {
                        return bytes;
                    }
                    byte[] out = bytes.clone();
                    out[at % out.length] = (byte) (int) v;
                    return out;
                }),
                Combinators.combine(position, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16))
                        .as((at, inserted) -> bytes -> {
                            int where = bytes.length == 0 ? 0 : at % (bytes.length + 1);
                            byte[] out = new byte[bytes.length + inserted.length];
                            System.arraycopy(bytes, 0, out, 0, where);
                            System.arraycopy(inserted, 0, out, where, inserted.length);
                            System.arraycopy(bytes, where, out, where + inserted.length, bytes.length - where);
                            return out;
                        }),
                Combinators.combine(position, Arbitraries.integers().between(1, 16)).as((at, n) -> bytes -> {
                    if (bytes.length == 0) {
                        return bytes;
                    }
                    int from = at % bytes.length;
                    int to = Math.min(bytes.length, from + n);
                    byte[] out = new byte[bytes.length - (to - from)];
                    System.arraycopy(bytes, 0, out, 0, from);
                    System.arraycopy(bytes, to, out, from, bytes.length - to);
                    return out;
                }),
                position.map(at -> bytes -> Arrays.copyOf(bytes, bytes.length == 0 ? 0 : at % bytes.length)),
                // a varint or length prefix set to a huge or negative value
                Combinators.combine(position, Arbitraries.of((byte) 0x7f, (byte) 0xff, (byte) 0x80, (byte) 0x01))
                        .as((at, v) -> bytes -> {
                            if (bytes.length <= 5) {
                                return bytes;
                            }
                            byte[] out = bytes.clone();
                            out[5 + at % (out.length - 5)] = v;
                            return out;
                        }));
    }

    @Provide
    Arbitrary<Tuple.Tuple3<UserEvent, List<Mutation>, Integer>> mutatedEvents() {
        return Combinators.combine(UserEventArbitraries.events(TopologyFixture.START),
                mutations().list().ofMinSize(0).ofMaxSize(4),
                Arbitraries.integers().between(0, 9)).as(Tuple::of);
    }

    @Property(tries = 1000, seed = "424242", edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void shouldRouteEveryMutatedRecordToExactlyOnePlace(
            @ForAll("mutatedEvents") Tuple.Tuple3<UserEvent, List<Mutation>, Integer> in) {
        UserEvent event = in.get1();
        byte[] value = fixture.bytes(event);
        for (Mutation mutation : in.get2()) {
            value = mutation.apply(value);
        }
        byte[] key = switch (in.get3()) {
            case 0 -> null;
            case 1 -> new byte[] {(byte) 0xff, 0x00};
            case 2 -> "someone-else".getBytes(StandardCharsets.UTF_8);
            default -> event.getUserId().getBytes(StandardCharsets.UTF_8);
        };
        double duplicatesBefore = fixture.metrics.duplicateCount();

        fixture.events.pipeInput(new TestRecord<>(key, value, null, TopologyFixture.START));

        int predictions = fixture.predictions.readRecordsToList().size();
        List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters.readRecordsToList();
        int duplicates = (int) (fixture.metrics.duplicateCount() - duplicatesBefore);
        assertThat(predictions + dead.size() + duplicates).as("outputs for one input record").isEqualTo(1);
        if (!dead.isEmpty()) {
            String reason = DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON);
            assertThat(RejectReason.valueOf(reason)).isNotNull();
            assertThat(dead.get(0).value()).isEqualTo(value);
            Statistics.label("outcome").collect(reason);
        } else {
            Statistics.label("outcome").collect(predictions == 1 ? "PREDICTED" : "DUPLICATE");
        }
        fixture.fraudAlerts.readRecordsToList();
        fixture.churnAlerts.readRecordsToList();
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("PREDICTED").count(c -> c > 0);
            coverage.check(RejectReason.CORRUPT_PAYLOAD.name()).count(c -> c > 0);
            coverage.check(RejectReason.TRUNCATED_PAYLOAD.name()).count(c -> c > 0);
        });
    }
}

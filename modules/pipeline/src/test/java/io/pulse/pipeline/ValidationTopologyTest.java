package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.pipeline.validate.DeadLetters;
import io.pulse.pipeline.validate.RejectReason;
import io.pulse.registry.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way an input record can be unusable ends on the dead-letter topic, intact and with its reason. */
class ValidationTopologyTest {

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(stateDir, Map.of());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** A raw input record; built against the fixture because most cases start from validly serialized bytes. */
    record Raw(byte[] key, byte[] value) {
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static UserEvent valid() {
        return TopologyFixture.event("u-1", EventType.PAYMENT, Duration.ZERO).setAmount(10.0).build();
    }

    private static Raw keyed(TopologyFixture f, UserEvent event) {
        return new Raw(utf8(event.getUserId()), f.bytes(event));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Stream<Arguments> unusableRecords() {
        return Stream.of(
                bad(RejectReason.NULL_VALUE, f -> new Raw(utf8("u-1"), null)),
                bad(RejectReason.NULL_KEY, f -> new Raw(null, f.bytes(valid()))),
                bad(RejectReason.KEY_NOT_UTF8, f -> new Raw(new byte[] {(byte) 0xC3, 0x28}, f.bytes(valid()))),
                bad(RejectReason.KEY_MISMATCH, f -> new Raw(utf8("someone-else"), f.bytes(valid()))),
                bad(RejectReason.EMPTY, f -> new Raw(utf8("u-1"), new byte[0])),
                bad(RejectReason.UNKNOWN_MAGIC_BYTE, f -> new Raw(utf8("u-1"), utf8("{\"userId\":\"u-1\"}"))),
                bad(RejectReason.TRUNCATED_HEADER, f -> new Raw(utf8("u-1"), new byte[] {0, 0, 1})),
                bad(RejectReason.UNKNOWN_SCHEMA_ID, f -> new Raw(utf8("u-1"),
                        new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 'a'})),
                bad(RejectReason.TRUNCATED_PAYLOAD, f -> {
                    byte[] bytes = f.bytes(valid());
                    return new Raw(utf8("u-1"), Arrays.copyOf(bytes, bytes.length - 4));
                }),
                // eventId's length prefix is the zig-zag varint 0x01 = -1: a negative length
                bad(RejectReason.CORRUPT_PAYLOAD, f -> new Raw(utf8("u-1"),
                        concat(Arrays.copyOf(f.bytes(valid()), 5), new byte[] {0x01, 0x02, 0x03}))),
                bad(RejectReason.TRAILING_BYTES, f -> new Raw(utf8("u-1"), concat(f.bytes(valid()), new byte[] {0}))),
                bad(RejectReason.INCOMPATIBLE_SCHEMA, f -> new Raw(utf8("u-1"), labelBytes(f))),
                bad(RejectReason.INVALID_USER_ID, f -> keyed(f, TopologyFixture.event("bad\u0007id", EventType.VIEW,
                        Duration.ZERO).build())),
                bad(RejectReason.INVALID_USER_ID, f -> keyed(f, TopologyFixture.event("x".repeat(300),
                        EventType.VIEW, Duration.ZERO).build())),
                bad(RejectReason.INVALID_EVENT_ID, f -> keyed(f, TopologyFixture.event("u-1", EventType.VIEW,
                        Duration.ZERO).setEventId("").build())),
                bad(RejectReason.INVALID_AMOUNT, f -> keyed(f, TopologyFixture.event("u-1", EventType.PAYMENT,
                        Duration.ZERO).setAmount(Double.NaN).build())),
                bad(RejectReason.INVALID_AMOUNT, f -> keyed(f, TopologyFixture.event("u-1", EventType.PAYMENT,
                        Duration.ZERO).setAmount(Double.POSITIVE_INFINITY).build())),
                bad(RejectReason.INVALID_AMOUNT, f -> keyed(f, TopologyFixture.event("u-1", EventType.PAYMENT,
                        Duration.ZERO).setAmount(-5.0).build())),
                bad(RejectReason.INVALID_RATING, f -> keyed(f, TopologyFixture.event("u-1", EventType.RATING,
                        Duration.ZERO).setRating(11f).build())),
                bad(RejectReason.EVENT_TIME_BEFORE_EPOCH, f -> keyed(f, TopologyFixture.event("u-1", EventType.VIEW,
                        Duration.ZERO).setEventTime(Instant.ofEpochMilli(-1000)).build())),
                bad(RejectReason.EVENT_TIME_IN_FUTURE, f -> keyed(f, TopologyFixture.event("u-1", EventType.VIEW,
                        Duration.ofHours(2)).build())),
                bad(RejectReason.OVERSIZED_FIELD, f -> keyed(f, TopologyFixture.event("u-1", EventType.VIEW,
                        Duration.ZERO).setItemId("i".repeat(2000)).build())),
                bad(RejectReason.OVERSIZED_FIELD, f -> keyed(f, TopologyFixture.event("u-1", EventType.VIEW,
                        Duration.ZERO).setAttributes(manyAttributes(100)).build())));
    }

    private static Arguments bad(RejectReason reason, Function<TopologyFixture, Raw> record) {
        return Arguments.of(reason, record);
    }

    private static Map<String, String> manyAttributes(int n) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            attributes.put("k" + i, "v");
        }
        return attributes;
    }

    /** Valid Avro, but of the Label schema, registered under another subject. */
    private static byte[] labelBytes(TopologyFixture f) {
        try (AvroSerializer<Label> serializer = new AvroSerializer<>()) {
            serializer.configure(f.config.serdeConfig(), false);
            return serializer.serialize(PulseTopics.USER_LABELS.name(), Label.newBuilder().setUserId("u-1")
                    .setKind(LabelKind.FRAUD).setPositive(true).setAppliesAt(Instant.EPOCH)
                    .setObservedAt(Instant.EPOCH).build());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableRecords")
    void shouldDeadLetterTheOriginalBytesWithTheReason(RejectReason reason, Function<TopologyFixture, Raw> build) {
        Raw raw = build.apply(fixture);

        fixture.sendRaw(raw.key(), raw.value());

        assertThat(fixture.predictions.isEmpty()).as("no prediction for a refused record").isTrue();
        TestRecord<byte[], byte[]> dead = fixture.deadLetters.readRecord();
        assertThat(dead.key()).isEqualTo(raw.key());
        assertThat(dead.value()).isEqualTo(raw.value());
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON)).isEqualTo(reason.name());
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.MESSAGE)).isNotBlank();
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_CLASS)).isNotBlank();
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("user-events");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.TIME)).isEqualTo(TopologyFixture.START.toString());
        assertThat(fixture.metrics.deadLetterCount(reason)).isEqualTo(1.0);
        assertThat(fixture.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepScoringGoodEventsAroundBadOnes() {
        // Given good, bad, good
        fixture.send(valid());
        fixture.sendRaw(utf8("u-1"), utf8("not avro"));
        fixture.send(TopologyFixture.event("u-2", EventType.VIEW, Duration.ofMinutes(1)).build());

        // Then both good events are scored and the bad one is dead-lettered
        assertThat(fixture.predictions.readValuesToList()).extracting(p -> p.getUserId())
                .containsExactly("u-1", "u-2");
        assertThat(fixture.deadLetters.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldAcceptAnEventTypeThisBuildDoesNotKnowAsUnknown() {
        fixture.send(TopologyFixture.event("u-1", EventType.UNKNOWN, Duration.ZERO).build());

        assertThat(fixture.predictions.readValuesToList()).hasSize(1);
        assertThat(fixture.deadLetters.isEmpty()).isTrue();
    }
}

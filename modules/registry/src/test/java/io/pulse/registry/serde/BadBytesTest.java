package io.pulse.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pulse.contracts.UserEvent;
import io.pulse.registry.MockSchemaRegistry;
import io.pulse.registry.MockSchemaRegistryClient;
import io.pulse.registry.SchemaRegistryHttpException;
import io.pulse.registry.StubRegistryClient;
import io.pulse.registry.TestRecords;
import io.pulse.registry.serde.AvroWireFormatException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One test per {@link Reason}: bad bytes give a typed exception, never garbage and never a raw Avro exception. */
class BadBytesTest {

    private static final String SCOPE = "bad-bytes";
    private static final String TOPIC = "probes";
    private static final Schema PROBE = TestRecords.schema("""
            {'type':'record','name':'Probe','namespace':'io.pulse.test','fields':[
              {'name':'name','type':'string'},
              {'name':'tag','type':['null','string']},
              {'name':'kind','type':{'type':'enum','name':'Kind','symbols':['A','B','C']}},
              {'name':'ok','type':'boolean'},
              {'name':'attrs','type':{'type':'map','values':'string'}},
              {'name':'ratio','type':'double'}]}""");

    // the valid probe {name:"ab", tag:null, kind:A, ok:true, attrs:{}, ratio:1.5}, field by field
    private static final String NAME = "04" + "6162";
    private static final String TAG = "00";
    private static final String KIND = "00";
    private static final String OK = "01";
    private static final String ATTRS = "00";
    private static final String RATIO = "000000000000f83f";

    private final MockSchemaRegistryClient registry = MockSchemaRegistry.getClientForScope(SCOPE);
    private AvroDeserializer<GenericRecord> deserializer;
    private String header;

    @BeforeEach
    void setUp() {
        header = "00" + String.format("%08x", registry.register("probes-value", PROBE));
        deserializer = new AvroDeserializer<>();
        deserializer.configure(Map.of("schema.registry.url", "mock://" + SCOPE), false);
    }

    @AfterEach
    void tearDown() {
        deserializer.close();
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void shouldDecodeTheValidProbe() {
        GenericRecord probe = deserializer.deserialize(TOPIC, hex(header + NAME + TAG + KIND + OK + ATTRS + RATIO));

        assertThat(probe.get("name")).hasToString("ab");
        assertThat(probe.get("ratio")).isEqualTo(1.5);
    }

    @Test
    void shouldRejectEmptyBytes() {
        assertReason(new byte[0], Reason.EMPTY);
    }

    @Test
    void shouldRejectUnknownMagicByte() {
        AvroWireFormatException e = assertReason("{\"userId\":\"u-1\"}".getBytes(StandardCharsets.UTF_8),
                Reason.UNKNOWN_MAGIC_BYTE);

        assertThat(e).hasMessageContaining("0x7b");
    }

    @Test
    void shouldRejectTruncatedHeader() {
        assertReason(hex("000000"), Reason.TRUNCATED_HEADER);
    }

    @Test
    void shouldRejectUnknownSchemaId() {
        AvroWireFormatException e = assertReason(hex("0000000063" + NAME), Reason.UNKNOWN_SCHEMA_ID);

        assertThat(e.schemaId()).isEqualTo(99);
    }

    @Test
    void shouldBlameTheRegistryNotTheRecordWhenItIsUnreachable() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        try (AvroDeserializer<GenericRecord> offline = new AvroDeserializer<>()) {
            offline.configure(Map.of("schema.registry.url", "http://127.0.0.1:" + deadPort, "max.retries", 0), false);

            AvroWireFormatException e = catchThrowableOfType(AvroWireFormatException.class,
                    () -> offline.deserialize(TOPIC, hex("0000000001" + NAME)));

            assertThat(e.reason()).isEqualTo(Reason.REGISTRY_UNAVAILABLE);
            assertThat(e.isRecordAtFault()).isFalse();
            assertThat(e).hasMessageContaining("not the record's fault").hasMessageContaining("schema.registry.url");
        }
    }

    @Test
    void shouldBlameTheRegistryWhenItRefusesTheCredentials() {
        StubRegistryClient refusing = StubRegistryClient.failingLookups(
                id -> new SchemaRegistryHttpException("GET /schemas/ids/" + id, 401, 40101, "Unauthorized"));
        try (AvroDeserializer<GenericRecord> unauthorized = new AvroDeserializer<>(refusing, null)) {
            unauthorized.configure(Map.of(), false);

            assertThat(catchThrowableOfType(AvroWireFormatException.class,
                    () -> unauthorized.deserialize(TOPIC, hex("0000000001" + NAME))).isRecordAtFault()).isFalse();
        }
    }

    @Test
    void shouldRejectPayloadEndingInsideAValue() {
        String cutRatio = RATIO.substring(0, 10);

        assertReason(hex(header + NAME + TAG + KIND + OK + ATTRS + cutRatio), Reason.TRUNCATED_PAYLOAD);
    }

    @Test
    void shouldRejectPayloadEndingBeforeAField() {
        assertReason(hex(header + NAME + TAG), Reason.TRUNCATED_PAYLOAD);
    }

    @Test
    void shouldRejectInvalidUnionIndex() {
        assertReason(hex(header + NAME + "04" + KIND + OK + ATTRS + RATIO), Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void shouldRejectNegativeLength() {
        assertReason(hex(header + "01" + "6162" + TAG + KIND + OK + ATTRS + RATIO), Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void shouldRejectA2GbStringInA20BytePayloadBeforeAllocating() {
        byte[] message = hex(header + varint(2_000_000_000L) + "61626364656667686970");

        assertThat(message).hasSizeLessThanOrEqualTo(20);
        AvroWireFormatException e = assertReason(message, Reason.CORRUPT_PAYLOAD);
        assertThat(e).hasMessageContaining("2000000000");
    }

    @Test
    void shouldRejectAMapCountTheRemainingBytesCannotHold() {
        assertReason(hex(header + NAME + TAG + KIND + OK + varint(1L << 30) + RATIO), Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void shouldRejectInvalidEnumIndex() {
        assertReason(hex(header + NAME + TAG + "06" + OK + ATTRS + RATIO), Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void shouldRejectBooleanOtherThanZeroOrOne() {
        assertReason(hex(header + NAME + TAG + KIND + "02" + ATTRS + RATIO), Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void shouldRejectInvalidUtf8() {
        assertReason(hex(header + "04" + "c328" + TAG + KIND + OK + ATTRS + RATIO), Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void shouldRejectOverlongVarint() {
        assertReason(hex(header + "8400" + "6162" + TAG + KIND + OK + ATTRS + RATIO), Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void shouldRejectRepeatedMapKey() {
        String twice = "04" + "026b" + "0276" + "026b" + "0277" + "00"; // {k:v, k:w}

        assertReason(hex(header + NAME + TAG + KIND + OK + twice + RATIO), Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void shouldRejectBytesLeftAfterTheRecord() {
        AvroWireFormatException e = assertReason(hex(header + NAME + TAG + KIND + OK + ATTRS + RATIO + "00"),
                Reason.TRAILING_BYTES);

        assertThat(e).hasMessageContaining("1 byte(s) left");
    }

    @Test
    void shouldRejectValidAvroOfAnotherRecordType() {
        byte[] probe = hex(header + NAME + TAG + KIND + OK + ATTRS + RATIO);
        try (AvroDeserializer<UserEvent> events = new AvroDeserializer<>(UserEvent.class)) {
            events.configure(Map.of("schema.registry.url", "mock://" + SCOPE), false);

            AvroWireFormatException e = catchThrowableOfType(AvroWireFormatException.class,
                    () -> events.deserialize(TOPIC, probe));

            assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA);
            assertThat(e).hasMessageContaining("io.pulse.test.Probe").hasMessageContaining("UserEvent");
        }
    }

    @Test
    void shouldNameTopicSchemaIdReasonAndHintInTheMessage() {
        AvroWireFormatException e = assertReason(hex(header + NAME + TAG), Reason.TRUNCATED_PAYLOAD);

        assertThat(e.getMessage())
                .startsWith("Cannot deserialize value from topic 'probes' (schema id " + e.schemaId() + "): "
                        + "TRUNCATED_PAYLOAD: ")
                .contains("Hint: " + Reason.TRUNCATED_PAYLOAD.hint());
        assertThat(e.topic()).isEqualTo(TOPIC);
        assertThat(e.isRecordAtFault()).isTrue();
    }

    private AvroWireFormatException assertReason(byte[] bytes, Reason reason) {
        AvroWireFormatException e = catchThrowableOfType(AvroWireFormatException.class,
                () -> deserializer.deserialize(TOPIC, bytes));
        assertThat(e).as("deserializing %s", HexFormat.of().formatHex(bytes)).isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        return e;
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Zig-zag varint of {@code value}, as hex: only for lengths too big to write out by hand. */
    private static String varint(long value) {
        long n = (value << 1) ^ (value >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7f) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return HexFormat.of().formatHex(out.toByteArray());
    }
}

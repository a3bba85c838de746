package io.pulse.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.Contracts;
import io.pulse.registry.MockSchemaRegistry;
import io.pulse.registry.TestRecords;
import io.pulse.registry.internal.WireFormat;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever the bytes, the deserializer either returns a record that serializes back to exactly those bytes,
 * or throws {@link AvroWireFormatException}. Never another exception, never a record that is not what was sent.
 */
class BadBytesPropertyTest {

    private static final String SCOPE = "bad-bytes-property";
    private static final String TOPIC = "user-events";
    private static final int CASES = 2000;
    private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);

    private SpecificAvroSerde<UserEvent> specific;
    private GenericAvroSerde generic;
    private byte[] valid;

    @BeforeEach
    void setUp() {
        specific = new SpecificAvroSerde<>(UserEvent.class);
        specific.configure(CONFIG, false);
        generic = new GenericAvroSerde();
        generic.configure(CONFIG, false);
        valid = specific.serializer().serialize(TOPIC, TestRecords.userEvent());
        // a second id in the scope, so mutated headers can point at a real schema of another type
        MockSchemaRegistry.getClientForScope(SCOPE).register("user-labels-value", Contracts.currentFromFile("Label"));
    }

    @AfterEach
    void tearDown() {
        specific.close();
        generic.close();
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void shouldNeverDecodeRandomBytesIntoAnythingButTheirOwnRecord() {
        Random random = new Random(20260115L);
        Map<AvroWireFormatException.Reason, Integer> reasons = new EnumMap<>(AvroWireFormatException.Reason.class);
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            check(bytes, reasons);
        }
        assertThat(reasons).containsKeys(AvroWireFormatException.Reason.UNKNOWN_MAGIC_BYTE);
    }

    @Test
    void shouldNeverDecodeRandomPayloadsBehindAValidHeaderIntoAnythingButTheirOwnRecord() {
        Random random = new Random(42L);
        Map<AvroWireFormatException.Reason, Integer> reasons = new EnumMap<>(AvroWireFormatException.Reason.class);
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = new byte[WireFormat.HEADER_SIZE + random.nextInt(valid.length * 2)];
            random.nextBytes(bytes);
            System.arraycopy(valid, 0, bytes, 0, WireFormat.HEADER_SIZE);
            check(bytes, reasons);
        }
        assertThat(reasons).containsKeys(AvroWireFormatException.Reason.CORRUPT_PAYLOAD,
                AvroWireFormatException.Reason.TRUNCATED_PAYLOAD);
    }

    @Test
    void shouldNeverDecodeAMutatedOrTruncatedMessageIntoAnythingButItsOwnRecord() {
        Random random = new Random(7L);
        Map<AvroWireFormatException.Reason, Integer> reasons = new EnumMap<>(AvroWireFormatException.Reason.class);
        for (int i = 0; i < CASES; i++) {
            byte[] bytes;
            if (random.nextInt(4) == 0) {
                bytes = Arrays.copyOf(valid, random.nextInt(valid.length));
            } else {
                bytes = valid.clone();
                int at = random.nextInt(bytes.length);
                byte replacement;
                do {
                    replacement = (byte) random.nextInt(256);
                } while (replacement == bytes[at]);
                bytes[at] = replacement;
            }
            check(bytes, reasons);
        }
        assertThat(reasons).containsKeys(AvroWireFormatException.Reason.TRUNCATED_HEADER,
                AvroWireFormatException.Reason.TRUNCATED_PAYLOAD, AvroWireFormatException.Reason.CORRUPT_PAYLOAD,
                AvroWireFormatException.Reason.UNKNOWN_SCHEMA_ID);
    }

    private void check(byte[] bytes, Map<AvroWireFormatException.Reason, Integer> reasons) {
        checkWith(specific.deserializer(), specific.serializer(), bytes, reasons);
        checkWith(generic.deserializer(), generic.serializer(), bytes, reasons);
    }

    private static <T> void checkWith(Deserializer<T> deserializer, Serializer<T> serializer, byte[] bytes,
            Map<AvroWireFormatException.Reason, Integer> reasons) {
        T record;
        try {
            record = deserializer.deserialize(TOPIC, bytes);
        } catch (AvroWireFormatException e) {
            reasons.merge(e.reason(), 1, Integer::sum);
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("untyped " + e + " for " + HexFormat.of().formatHex(bytes), e);
        }
        byte[] again = serializer.serialize(TOPIC, record);
        if (!Arrays.equals(again, bytes)) {
            fail("%s decoded to %s which serializes to %s", HexFormat.of().formatHex(bytes),
                    record instanceof GenericRecord ? record : String.valueOf(record), HexFormat.of().formatHex(again));
        }
    }
}

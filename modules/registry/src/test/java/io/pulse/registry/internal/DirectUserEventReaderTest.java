package io.pulse.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.codec.InputReaders;
import io.pulse.contracts.schema.Contracts;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The direct {@code UserEvent} reader against Pulse's strict Avro reader, both on the strict decoder: on valid data
 * the same record, on corrupted data the same verdict (the record and the bytes it consumed, or the same kind of
 * failure, which decides the dead-letter reason), case by case.
 */
class DirectUserEventReaderTest {

    private static final Schema SCHEMA = UserEvent.getClassSchema();
    private static final String[] ALPHABET = {"a", "Z", "7", "-", ":", "é", "€", "日", "😀"};

    private final DatumReader<UserEvent> direct = InputReaders.forSchemas(SCHEMA, SCHEMA);
    private final DatumReader<UserEvent> avro = StrictDatumReaders.specific(SCHEMA, SCHEMA);

    DirectUserEventReaderTest() {
        Contracts.trustGeneratedClasses();
    }

    @Test
    void shouldReadValidEventsAsAvroDoes() {
        Random random = new Random(20261206L);
        for (int i = 0; i < 2_000; i++) {
            UserEvent event = randomEvent(random);
            byte[] bytes = write(event);
            Verdict expected = verdict(avro, bytes);
            assertThat(expected.event()).isEqualTo(event);
            assertThat(verdict(direct, bytes)).as("event %d", i).isEqualTo(expected);
            assertThat(new LinkedHashMap<>(verdict(direct, bytes).event().getAttributes()).keySet())
                    .as("attributes keep their written order").containsExactlyElementsOf(event.getAttributes().keySet());
        }
    }

    @Test
    void shouldJudgeCorruptedEventsAsAvroDoes() {
        Random random = new Random(7L);
        int failures = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = corrupt(write(randomEvent(random)), random);
            Verdict expected = verdict(avro, bytes);
            assertThat(verdict(direct, bytes)).as("case %d: %s", i, HexFormat.of().formatHex(bytes))
                    .isEqualTo(expected);
            failures += expected.event() == null ? 1 : 0;
        }
        assertThat(failures).as("most corruptions break the record").isGreaterThan(10_000);
    }

    @Test
    void shouldRefuseWhatAvroRefusesInTheFieldsItChecksItself() {
        byte[] valid = write(event(Map.of("terminal", "T-1")));
        int typeAt = 2 + "e-1".length() + "u-1".length(); // after two strings of a length byte each
        byte[] unknownType = valid.clone();
        unknownType[typeAt] = (byte) (2 * EventType.values().length); // zig-zag: the first index past the symbols
        byte[] unionBranchTwo = valid.clone();
        unionBranchTwo[typeAt + 1 + 6] = 4; // itemId's branch (after the type and the 6-byte time): 2
        byte[] hugeMap = Arrays.copyOf(valid, valid.length);
        int mapAt = valid.length - (1 + 1 + "terminal".length() + 1 + "T-1".length() + 1);
        hugeMap[mapAt] = (byte) 0x7e; // 63 entries in 14 bytes

        for (byte[] bytes : new byte[][] {unknownType, unionBranchTwo, hugeMap, duplicateKey()}) {
            Verdict expected = verdict(avro, bytes);
            assertThat(expected.failure()).as(HexFormat.of().formatHex(bytes)).isEqualTo(Failure.CORRUPT);
            assertThat(verdict(direct, bytes)).isEqualTo(expected);
        }
    }

    @Test
    void shouldReadMapsWrittenInSeveralSizedBlocks() {
        // a writer may split a map into blocks, each with a negative count followed by its size in bytes
        byte[] head = write(event(Map.of()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(head, 0, head.length - 1); // without the empty map's 0
        out.writeBytes(new byte[] {3, 16, 2, 'a', 2, '1', 2, 'b', 2, '2'}); // -2 entries, 8 bytes (zig-zag varints)
        out.writeBytes(new byte[] {2, 2, 'c', 2, '3'}); // 1 entry, unsized
        out.write(0);
        byte[] bytes = out.toByteArray();

        Verdict expected = verdict(avro, bytes);
        assertThat(expected.event().getAttributes()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"),
                Map.entry("c", "3"));
        assertThat(verdict(direct, bytes)).isEqualTo(expected);
    }

    @Test
    void shouldServeOnlyDataWrittenWithTheReadersOwnSchema() {
        String json = SCHEMA.toString();
        Schema newer = new Schema.Parser().parse(json.substring(0, json.lastIndexOf(']'))
                + ",{\"name\":\"channel\",\"type\":[\"null\",\"string\"],\"default\":null}]}");

        assertThat(InputReaders.<UserEvent>forSchemas(SCHEMA, SCHEMA)).isNotNull();
        assertThat(InputReaders.<UserEvent>forSchemas(new Schema.Parser().parse(json), SCHEMA))
                .as("an equal schema from a registry").isNotNull();
        assertThat(InputReaders.<UserEvent>forSchemas(newer, SCHEMA)).as("a newer producer's: Avro resolves it")
                .isNull();
        assertThat(InputReaders.<UserEvent>forSchemas(SCHEMA, newer)).as("not a generated class's schema").isNull();
    }

    private static byte[] duplicateKey() {
        byte[] head = write(event(Map.of()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(head, 0, head.length - 1);
        out.writeBytes(new byte[] {4, 2, 'k', 2, '1', 2, 'k', 2, '2', 0}); // 2 entries, the same key twice
        return out.toByteArray();
    }

    /** One of: a byte changed, a byte dropped, a byte inserted, the data cut short, a varint byte made long. */
    private static byte[] corrupt(byte[] bytes, Random random) {
        int at = random.nextInt(bytes.length);
        switch (random.nextInt(5)) {
            case 0 -> bytes[at] = (byte) random.nextInt(256);
            case 1 -> {
                byte[] shorter = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, shorter, 0, at);
                System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                return shorter;
            }
            case 2 -> {
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                return longer;
            }
            case 3 -> {
                return Arrays.copyOf(bytes, at);
            }
            default -> bytes[at] = (byte) (bytes[at] | 0x80);
        }
        return bytes;
    }

    private enum Failure {
        TRUNCATED, CORRUPT
    }

    /** What the deserializer makes of a read: the record and the bytes left after it, or the kind of failure. */
    private record Verdict(UserEvent event, int remaining, Failure failure) {
    }

    private static Verdict verdict(DatumReader<UserEvent> reader, byte[] bytes) {
        StrictBinaryDecoder decoder = new StrictBinaryDecoder(bytes, 0, bytes.length);
        try {
            return new Verdict(reader.read(null, decoder), decoder.remainingBytes(), null);
        } catch (MalformedAvroException e) {
            return new Verdict(null, 0, e.isTruncated() ? Failure.TRUNCATED : Failure.CORRUPT);
        } catch (EOFException | RuntimeException e) {
            return new Verdict(null, 0, Failure.CORRUPT); // as AvroDeserializer maps them
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UserEvent randomEvent(Random random) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int a = random.nextInt(4) == 0 ? random.nextInt(6) : 0; a > 0; a--) {
            attributes.put(text(random), text(random));
        }
        EventType[] types = EventType.values();
        return UserEvent.newBuilder().setEventId(text(random)).setUserId(text(random))
                .setType(types[random.nextInt(types.length)])
                .setEventTime(Instant.ofEpochMilli(random.nextBoolean() ? 1_700_000_000_000L + random.nextInt()
                        : random.nextLong() >> 20))
                .setItemId(random.nextBoolean() ? text(random) : null)
                .setCategory(random.nextBoolean() ? text(random) : null)
                .setAmount(random.nextBoolean() ? random.nextDouble() * 1000 : null)
                .setRating(random.nextBoolean() ? random.nextFloat() * 5 : null)
                .setSessionId(random.nextBoolean() ? text(random) : null)
                .setAttributes(attributes).build();
    }

    private static UserEvent event(Map<String, String> attributes) {
        return UserEvent.newBuilder().setEventId("e-1").setUserId("u-1").setType(EventType.VIEW)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).setItemId("i").setAttributes(attributes)
                .build();
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(random.nextBoolean() ? 4 : 40); n > 0; n--) {
            text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return text.toString();
    }

    private static byte[] write(UserEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<UserEvent>(SCHEMA, SpecificData.getForClass(UserEvent.class)).write(event,
                    encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

package io.pulse.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.junit.jupiter.api.Test;

class StrictBinaryDecoderTest {

    @Test
    void shouldReadZigZagVarintsAtTheirLimits() {
        assertThat(decoder("feffffff0f").readInt()).isEqualTo(Integer.MAX_VALUE);
        assertThat(decoder("ffffffff0f").readInt()).isEqualTo(Integer.MIN_VALUE);
        assertThat(decoder("feffffffffffffffff01").readLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoder("ffffffffffffffffff01").readLong()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldRejectVarintsThatOverflowOrAreLongerThanNeeded() {
        assertCorrupt("8080808010", true, "overflows 32 bits");
        assertCorrupt("808080808001", true, "longer than 5 bytes");
        assertCorrupt("feffffffffffffffff02", false, "overflows 64 bits");
        assertCorrupt("8000", false, "over-long");
    }

    @Test
    void shouldReportEndOfDataAsTruncated() {
        MalformedAvroException e = catchThrowableOfType(MalformedAvroException.class, () -> decoder("80").readLong());

        assertThat(e.isTruncated()).isTrue();
        assertThat(catchThrowableOfType(MalformedAvroException.class, () -> decoder("0000").readDouble())
                .isTruncated()).isTrue();
    }

    @Test
    void shouldAcceptOnlyZeroOrOneForBooleans() {
        assertThat(decoder("01").readBoolean()).isTrue();
        assertThat(decoder("00").readBoolean()).isFalse();
        assertThat(catchThrowableOfType(MalformedAvroException.class, () -> decoder("03").readBoolean()))
                .hasMessageContaining("must be 0 or 1");
    }

    @Test
    void shouldValidateUtf8ButAcceptEveryValidString() {
        assertThat(decoder("0ec3a9c3a0e282ac").readString()).isEqualTo("éà€");
        assertThat(decoder("08f09f9880").readString(null).toString()).isEqualTo("😀");
        assertThat(catchThrowableOfType(MalformedAvroException.class, () -> decoder("06eda080").readString()))
                .hasMessageContaining("UTF-8"); // an encoded surrogate
        assertThat(catchThrowableOfType(MalformedAvroException.class, () -> decoder("04c0af").readString()))
                .hasMessageContaining("UTF-8"); // over-long '/'
    }

    @Test
    void shouldAcceptBlocksWithByteSizesAndCheckTheSizes() {
        Schema array = new Schema.Parser().parse("{\"type\":\"array\",\"items\":\"int\"}");
        DatumReader<List<Integer>> reader = StrictDatumReaders.generic(array, array);

        // block of -2 items with byte size 2: items 1, 2; then an unsized block of 1 item: 3; end
        StrictBinaryDecoder sized = decoder("0304" + "0204" + "02" + "06" + "00");
        assertThat(read(reader, sized)).containsExactly(1, 2, 3);
        assertThat(sized.remainingBytes()).isZero();

        // the same but declaring 3 bytes for 2 bytes of items
        assertThat(catchThrowableOfType(MalformedAvroException.class,
                () -> read(reader, decoder("0306" + "0204" + "00" + "00")))).hasMessageContaining("block size");
    }

    @Test
    void shouldSkipSizedBlocksOfFieldsTheReaderDoesNotHave() throws Exception {
        Schema writer = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                + "{\"name\":\"dropped\",\"type\":{\"type\":\"array\",\"items\":\"int\"}},"
                + "{\"name\":\"kept\",\"type\":\"int\"}]}");
        Schema reader = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                + "{\"name\":\"kept\",\"type\":\"int\"}]}");
        StrictBinaryDecoder decoder = decoder("0304" + "0204" + "02" + "06" + "00" + "0e");

        GenericRecord record = StrictDatumReaders.<GenericRecord>generic(writer, reader).read(null, decoder);

        assertThat(record.get("kept")).isEqualTo(7);
        assertThat(decoder.remainingBytes()).isZero();
    }

    @Test
    void shouldKeepMapsInWireOrder() throws Exception {
        Schema map = new Schema.Parser().parse("{\"type\":\"map\",\"values\":\"int\"}");

        Object value = StrictDatumReaders.generic(map, map).read(null, decoder("06" + "027a02" + "026104" + "026d06"
                + "00"));

        assertThat(((java.util.Map<?, ?>) value).keySet()).extracting(Object::toString).containsExactly("z", "a", "m");
        assertThat(GenericData.get().validate(map, value)).isTrue();
    }

    private static List<Integer> read(DatumReader<List<Integer>> reader, StrictBinaryDecoder decoder) {
        try {
            return reader.read(null, decoder);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertCorrupt(String hex, boolean asInt, String message) {
        MalformedAvroException e = catchThrowableOfType(MalformedAvroException.class,
                () -> {
                    if (asInt) {
                        decoder(hex).readInt();
                    } else {
                        decoder(hex).readLong();
                    }
                });
        assertThat(e).as(hex).isNotNull().hasMessageContaining(message);
        assertThat(e.isTruncated()).isFalse();
    }

    private static StrictBinaryDecoder decoder(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        return new StrictBinaryDecoder(bytes, 0, bytes.length);
    }
}

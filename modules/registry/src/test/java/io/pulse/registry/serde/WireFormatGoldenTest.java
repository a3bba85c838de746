package io.pulse.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.registry.StubRegistryClient;
import io.pulse.registry.TestRecords;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/** The exact bytes on the wire, written out by hand from the Avro spec and the Confluent framing. */
class WireFormatGoldenTest {

    private static final Schema GOLDEN = TestRecords.schema("""
            {'type':'record','name':'Golden','namespace':'io.pulse.test','fields':[
              {'name':'id','type':'long'},
              {'name':'name','type':'string'},
              {'name':'tag','type':['null','string']},
              {'name':'score','type':['null','int']},
              {'name':'ok','type':'boolean'},
              {'name':'kind','type':{'type':'enum','name':'Kind','symbols':['A','B','C']}},
              {'name':'values','type':{'type':'array','items':'int'}},
              {'name':'ratio','type':'double'}]}""");

    /** Schema id 0x01020304 = 16909060, so the byte order of the id is visible. */
    private static final int SCHEMA_ID = 0x01020304;

    private static final String EXPECTED_HEX = ""
            + "00"                     // magic byte
            + "01020304"               // schema id, big-endian
            + "05"                     // id = -3: zig-zag 5
            + "0a" + "50756c7365"      // name: length 5 (zig-zag 10), "Pulse"
            + "02" + "02" + "78"       // tag: union branch 1 (string), length 1, "x"
            + "00"                     // score: union branch 0 (null), no bytes
            + "01"                     // ok = true
            + "04"                     // kind = C: enum index 2 (zig-zag 4)
            + "06" + "02" + "01" + "8001" + "00" // values: block of 3; 1, -1, 64 (zig-zag 128 = 0x80 0x01); end
            + "000000000000f83f";      // ratio = 1.5: IEEE 754 0x3FF8000000000000, little-endian

    @Test
    void shouldWriteExactlyTheHandEncodedBytes() {
        try (AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(StubRegistryClient.alwaysId(SCHEMA_ID))) {
            serializer.configure(Map.of(), false);

            byte[] bytes = serializer.serialize("golden", goldenRecord());

            assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(EXPECTED_HEX);
        }
    }

    @Test
    void shouldReadTheHandEncodedBytes() {
        StubRegistryClient registry = StubRegistryClient.alwaysId(SCHEMA_ID);
        registry.register("golden-value", GOLDEN);
        try (AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>(registry, null)) {
            deserializer.configure(Map.of(), false);

            GenericRecord record = deserializer.deserialize("golden", HexFormat.of().parseHex(EXPECTED_HEX));

            assertThat(record).isEqualTo(goldenRecord());
            assertThat(record.get("name")).isEqualTo(new Utf8("Pulse"));
        }
    }

    private static GenericRecord goldenRecord() {
        GenericRecord record = new GenericData.Record(GOLDEN);
        record.put("id", -3L);
        record.put("name", "Pulse");
        record.put("tag", "x");
        record.put("score", null);
        record.put("ok", true);
        record.put("kind", new GenericData.EnumSymbol(GOLDEN.getField("kind").schema(), "C"));
        record.put("values", new GenericData.Array<>(GOLDEN.getField("values").schema(), List.of(1, -1, 64)));
        record.put("ratio", 1.5);
        return record;
    }
}

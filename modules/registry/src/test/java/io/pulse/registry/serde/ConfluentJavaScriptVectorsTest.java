package io.pulse.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.contracts.schema.Contracts;
import io.pulse.registry.MockSchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden vectors written by an independent implementation, Confluent's own JavaScript serializer
 * ({@code @confluentinc/schemaregistry}; regenerate with {@code node golden.js} in
 * {@code modules/cli/src/test/js/confluent-interop}). Pulse must decode every one of them to the values the vector
 * states, and must write exactly the same bytes for the same value and schema id.
 */
class ConfluentJavaScriptVectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** JavaScript writes the double 7.0 as 7: compare numbers by value, everything else exactly. */
    private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) ->
            a.isNumber() && b.isNumber()
                    ? Double.compare(a.doubleValue(), b.doubleValue())
                    : (a.equals(b) ? 0 : 1);

    static Stream<Arguments> vectors() throws IOException {
        try (InputStream in = ConfluentJavaScriptVectorsTest.class
                .getResourceAsStream("/golden/confluent-js-avro-vectors.json")) {
            JsonNode root = JSON.readTree(in);
            List<Arguments> arguments = new ArrayList<>();
            for (JsonNode vector : root.get("vectors")) {
                arguments.add(Arguments.of(vector.get("name").asText(), vector));
            }
            return arguments.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void shouldDecodeBytesWrittenByConfluentsJavaScriptSerializer(String name, JsonNode vector) {
        String scope = registryWithContractAt(vector);
        byte[] bytes = HexFormat.of().parseHex(vector.get("hex").asText());

        try (AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(Map.of("schema.registry.url", "mock://" + scope), false);
            GenericRecord decoded = deserializer.deserialize("golden", bytes);

            JsonNode actual = toJson(decoded);
            assertThat(actual.equals(NUMBERS_BY_VALUE, vector.get("value")))
                    .as("decoded %s equals the vector's value %s", actual, vector.get("value"))
                    .isTrue();
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void shouldDecodeTheVectorsIntoTheGeneratedClasses(String name, JsonNode vector) {
        String scope = registryWithContractAt(vector);
        byte[] bytes = HexFormat.of().parseHex(vector.get("hex").asText());

        try (AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(Map.of("schema.registry.url", "mock://" + scope,
                    "specific.avro.reader", true), false);
            SpecificRecord decoded = deserializer.deserialize("golden", bytes);

            assertThat(decoded.getClass().getSimpleName()).isEqualTo(vector.get("schema").asText());
            // re-encoding with Pulse's serializer under the same id gives the very same bytes
            try (AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>()) {
                serializer.configure(Map.of("schema.registry.url", "mock://" + scope,
                        "auto.register.schemas", false, "use.latest.version", true), false);
                assertThat(HexFormat.of().formatHex(serializer.serialize("golden", decoded)))
                        .isEqualTo(vector.get("hex").asText());
            }
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    /** A fresh mock registry holding the vector's contract under the vector's subject, so its id is 1 as well. */
    private static String registryWithContractAt(JsonNode vector) {
        assertThat(vector.get("schemaId").asInt()).as("vectors are written as the first schema of a registry").isEqualTo(1);
        String scope = "golden-" + UUID.randomUUID();
        Schema contract = Contracts.currentFromFile(vector.get("schema").asText());
        int id = MockSchemaRegistry.getClientForScope(scope).register(vector.get("subject").asText(), contract);
        assertThat(id).isEqualTo(1);
        return scope;
    }

    private static JsonNode toJson(Object avroValue) {
        try {
            // through text, so numbers get the same node types as when the vector file was parsed
            return JSON.readTree(JSON.writeValueAsString(plain(avroValue)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Avro's runtime values as plain Java values (records to maps, Utf8 to String, enum symbols to names). */
    private static Object plain(Object value) {
        if (value instanceof GenericRecord record) {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                fields.put(field.name(), plain(record.get(field.name())));
            }
            return fields;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k.toString(), plain(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfluentJavaScriptVectorsTest::plain).toList();
        }
        if (value instanceof CharSequence || value instanceof org.apache.avro.generic.GenericEnumSymbol<?>) {
            return value.toString();
        }
        if (value instanceof java.time.Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }
}

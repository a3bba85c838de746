package io.pulse.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Removes the Java-only {@code avro.java.string} properties that code generation with {@code stringType=String}
 * puts on every string, so the schema registered by a Java producer equals the {@code .avsc} a producer in another
 * language registers. Works on the schema JSON and walks only schema positions (types, fields, items, values, union
 * branches): a default value that happens to contain an {@code avro.java.string} key is data and stays.
 */
public final class JavaProperties {

    public static final String JAVA_STRING = "avro.java.string";

    private static final Set<String> PRIMITIVES = Set.of("null", "boolean", "int", "long", "float", "double",
            "bytes", "string");

    private JavaProperties() {
    }

    /** {@code schema} without Java-only properties; the same instance when it has none. */
    public static Schema strip(Schema schema) {
        String json = schema.toString();
        if (!json.contains(JAVA_STRING)) {
            return schema;
        }
        try {
            JsonNode stripped = walk(RegistryJson.MAPPER.readTree(json));
            return new Schema.Parser().parse(RegistryJson.MAPPER.writeValueAsString(stripped));
        } catch (JsonProcessingException | SchemaParseException e) {
            // cannot happen for JSON Avro itself wrote; say so if it ever does
            throw new IllegalStateException("cannot strip " + JAVA_STRING + " from schema " + schema.getFullName(), e);
        }
    }

    private static JsonNode walk(JsonNode node) {
        if (node instanceof ArrayNode union) {
            for (int i = 0; i < union.size(); i++) {
                union.set(i, walk(union.get(i)));
            }
            return union;
        }
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        object.remove(JAVA_STRING);
        for (String key : new String[] {"type", "items", "values"}) {
            JsonNode child = object.get(key);
            if (child != null && (child.isObject() || child.isArray())) {
                object.set(key, walk(child));
            }
        }
        JsonNode fields = object.get("fields");
        if (fields instanceof ArrayNode fieldArray) {
            for (JsonNode field : fieldArray) {
                if (field instanceof ObjectNode fieldObject && fieldObject.has("type")) {
                    fieldObject.set("type", walk(fieldObject.get("type")));
                }
            }
        }
        // {"type":"string"} and "string" are the same schema; Avro prints the short form, so does the .avsc
        if (object.size() == 1 && object.path("type").isTextual()
                && PRIMITIVES.contains(object.path("type").asText())) {
            return TextNode.valueOf(object.path("type").asText());
        }
        return object;
    }
}

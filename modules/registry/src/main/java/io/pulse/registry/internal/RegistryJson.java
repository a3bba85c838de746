package io.pulse.registry.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** JSON and path helpers shared by the REST client; one thread-safe ObjectMapper for the process. */
public final class RegistryJson {

    /** Unknown fields are ignored: Apicurio adds {@code schemaType}, {@code references}, newer Confluent more. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private RegistryJson() {
    }

    public static JsonNode parse(String json) throws IOException {
        return MAPPER.readTree(json == null || json.isBlank() ? "null" : json);
    }

    /** {@code {"schema": "<json>"}}; schemaType is left out because AVRO is the default everywhere. */
    public static String schemaBody(Schema schema) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    /** Encodes one path segment; subjects may contain anything, including '/' and spaces. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Parses a schema the registry returned. A fresh parser per schema because a parser remembers names; a non-Avro
     * schema type or an unparsable schema is reported as what it is rather than as a parse stack trace.
     */
    public static Schema parseSchema(JsonNode response, String what) {
        JsonNode type = response.path("schemaType");
        if (type.isTextual() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new UnsupportedSchemaException(what + " is a " + type.asText() + " schema; Pulse reads Avro only");
        }
        JsonNode schema = response.path("schema");
        if (!schema.isTextual()) {
            throw new SchemaRegistryException(what + ": the registry's answer has no \"schema\" field: " + response);
        }
        try {
            return new Schema.Parser().parse(schema.asText());
        } catch (SchemaParseException e) {
            throw new UnsupportedSchemaException(what + " is not a usable Avro schema (schema references are not"
                    + " supported): " + e.getMessage(), e);
        }
    }

    /** An int field that must be present. */
    public static int requiredInt(JsonNode node, String field, String what) {
        JsonNode value = node.path(field);
        if (!value.canConvertToInt()) {
            throw new SchemaRegistryException(what + ": the registry's answer has no integer \"" + field + "\": "
                    + node);
        }
        return value.asInt();
    }
}

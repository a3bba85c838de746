package io.pulse.registry.serde;

import io.pulse.registry.SchemaRegistryClientConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Configuration of the Avro serdes: every {@link SchemaRegistryClientConfig} key plus the serde keys below, with
 * Confluent's names and, except where documented, Confluent's defaults. Unknown keys are ignored.
 */
public class AvroSerdeConfig extends SchemaRegistryClientConfig {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_COMPATIBILITY_STRICT = "latest.compatibility.strict";
    public static final String NORMALIZE_SCHEMAS = "normalize.schemas";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    public static final String AVRO_REMOVE_JAVA_PROPS = "avro.remove.java.properties";

    private static final ConfigDef CONFIG = addClientConfig(new ConfigDef())
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Serializer: register the record's schema under its subject if it is not there yet. Turn off"
                            + " in production where schemas are registered by CI; then the schema must already be"
                            + " registered (or see " + USE_LATEST_VERSION + ").")
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Serializer, with " + AUTO_REGISTER_SCHEMAS + "=false: write with the subject's latest"
                            + " registered schema and its id instead of looking up the record's own schema. The"
                            + " latest version is read once per serializer and record schema.")
            .define(LATEST_COMPATIBILITY_STRICT, Type.BOOLEAN, true, Importance.LOW,
                    "With " + USE_LATEST_VERSION + ": refuse to serialize unless the latest schema can read data"
                            + " written with the record's schema (backward compatible).")
            .define(NORMALIZE_SCHEMAS, Type.BOOLEAN, false, Importance.LOW,
                    "Ask the registry to normalize schemas when registering and looking them up"
                            + " (?normalize=true).")
            .define(KEY_SUBJECT_NAME_STRATEGY, Type.STRING, SubjectNameStrategy.TOPIC_NAME.shortName(),
                    SubjectNameStrategy.validator(), Importance.MEDIUM,
                    "Subject naming for keys: TopicNameStrategy (<topic>-key), RecordNameStrategy (record full"
                            + " name) or TopicRecordNameStrategy (<topic>-<full name>); Confluent class names"
                            + " accepted.")
            .define(VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, SubjectNameStrategy.TOPIC_NAME.shortName(),
                    SubjectNameStrategy.validator(), Importance.MEDIUM,
                    "Subject naming for values, as " + KEY_SUBJECT_NAME_STRATEGY + " (<topic>-value by default).")
            .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Deserializer: produce generated SpecificRecord classes (looked up by the writer schema's"
                            + " full name, or the configured type) instead of GenericRecord.")
            .define(SPECIFIC_AVRO_KEY_TYPE, Type.CLASS, null, Importance.LOW,
                    "Deserializer for keys: the SpecificRecord class to read into; implies "
                            + SPECIFIC_AVRO_READER + ".")
            .define(SPECIFIC_AVRO_VALUE_TYPE, Type.CLASS, null, Importance.LOW,
                    "Deserializer for values: the SpecificRecord class to read into; implies "
                            + SPECIFIC_AVRO_READER + ".")
            .define(AVRO_REMOVE_JAVA_PROPS, Type.BOOLEAN, true, Importance.LOW,
                    "Serializer: strip the Java-only avro.java.string properties before registering or looking up"
                            + " a schema. Pulse defaults to true (Confluent: false) because its classes are"
                            + " generated with stringType=String, and producers in other languages register the"
                            + " plain .avsc: with the properties left in, the same contract would get two schema"
                            + " ids. The bytes written are the same either way.");

    public AvroSerdeConfig(Map<String, ?> props) {
        super(CONFIG, props);
    }

    /** The serde keys and the client keys; a fresh copy each call. */
    public static ConfigDef serdeConfigDef() {
        return new ConfigDef(CONFIG);
    }

    /** The strategy configured for keys or values. */
    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return SubjectNameStrategy.forName(getString(isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY));
    }

    /** The SpecificRecord class configured for keys or values, or null. */
    public Class<?> specificType(boolean isKey) {
        return getClass(isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE);
    }
}

package io.pulse.registry.serde;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * How the serializer names the subject a schema is registered under. Configured by Pulse's short name
 * ({@code TopicNameStrategy}) or by Confluent's class name ({@code io.confluent.kafka.serializers.subject.
 * TopicNameStrategy}), so a Confluent config works as is.
 */
public enum SubjectNameStrategy {

    /** {@code <topic>-key} / {@code <topic>-value}: one schema lineage per topic (Confluent's default). */
    TOPIC_NAME("TopicNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    /** The record's full name: one lineage per type, shared by every topic carrying it. */
    RECORD_NAME("RecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return fullName(schema);
        }
    },
    /** {@code <topic>-<full name>}: several types per topic, each with its own lineage. */
    TOPIC_RECORD_NAME("TopicRecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + "-" + fullName(schema);
        }
    };

    private static final String CONFLUENT_PACKAGE = "io.confluent.kafka.serializers.subject.";

    private final String shortName;

    SubjectNameStrategy(String shortName) {
        this.shortName = shortName;
    }

    /** The subject for a key ({@code isKey}) or value with {@code schema} on {@code topic}. */
    public abstract String subject(String topic, boolean isKey, Schema schema);

    /** The name to put in a config, e.g. {@code TopicNameStrategy}. */
    public String shortName() {
        return shortName;
    }

    /** Parses a short name, a Confluent class name, or this enum's constant name. */
    public static SubjectNameStrategy forName(String name) {
        String trimmed = name == null ? "" : name.trim();
        String simple = trimmed.startsWith(CONFLUENT_PACKAGE) ? trimmed.substring(CONFLUENT_PACKAGE.length())
                : trimmed;
        for (SubjectNameStrategy strategy : values()) {
            if (strategy.shortName.equals(simple) || strategy.name().equals(simple.toUpperCase(Locale.ROOT))) {
                return strategy;
            }
        }
        throw new ConfigException("Unknown subject name strategy '" + name + "': use TopicNameStrategy,"
                + " RecordNameStrategy or TopicRecordNameStrategy (Confluent's " + CONFLUENT_PACKAGE
                + "* class names work too)");
    }

    /** ConfigDef validator accepting what {@link #forName} accepts. */
    static ConfigDef.Validator validator() {
        return (key, value) -> {
            try {
                forName((String) value);
            } catch (ConfigException e) {
                throw new ConfigException(key, value, e.getMessage());
            }
        };
    }

    private static String fullName(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> schema.getFullName();
            default -> throw new SerializationException("Record name strategies need a"
                    + " named schema (record, enum, fixed), got " + schema.getType()
                    + "; use TopicNameStrategy for this topic");
        };
    }
}

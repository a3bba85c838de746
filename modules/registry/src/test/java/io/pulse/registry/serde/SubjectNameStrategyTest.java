package io.pulse.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.contracts.UserEvent;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SubjectNameStrategyTest {

    private static final Schema EVENT = UserEvent.getClassSchema();

    @Test
    void shouldNameSubjectsLikeConfluent() {
        assertThat(SubjectNameStrategy.TOPIC_NAME.subject("user-events", false, EVENT)).isEqualTo("user-events-value");
        assertThat(SubjectNameStrategy.TOPIC_NAME.subject("user-events", true, EVENT)).isEqualTo("user-events-key");
        assertThat(SubjectNameStrategy.RECORD_NAME.subject("user-events", false, EVENT))
                .isEqualTo("io.pulse.contracts.UserEvent");
        assertThat(SubjectNameStrategy.TOPIC_RECORD_NAME.subject("user-events", true, EVENT))
                .isEqualTo("user-events-io.pulse.contracts.UserEvent");
    }

    @Test
    void shouldAcceptShortNamesConfluentClassNamesAndConstants() {
        assertThat(SubjectNameStrategy.forName("TopicNameStrategy")).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
        assertThat(SubjectNameStrategy.forName("io.confluent.kafka.serializers.subject.RecordNameStrategy"))
                .isEqualTo(SubjectNameStrategy.RECORD_NAME);
        assertThat(SubjectNameStrategy.forName(" topic_record_name ")).isEqualTo(SubjectNameStrategy.TOPIC_RECORD_NAME);
    }

    @Test
    void shouldRejectUnknownStrategyWhenConfigured() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of("schema.registry.url", "mock://x",
                AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "com.example.MyStrategy")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.subject.name.strategy")
                .hasMessageContaining("TopicRecordNameStrategy");
    }

    @Test
    void shouldRefuseRecordNameForUnnamedSchemas() {
        assertThatThrownBy(() -> SubjectNameStrategy.RECORD_NAME.subject("t", false, Schema.create(Schema.Type.STRING)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("TopicNameStrategy");
    }
}

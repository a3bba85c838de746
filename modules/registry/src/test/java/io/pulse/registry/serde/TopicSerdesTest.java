package io.pulse.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.Prediction;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.registry.MockSchemaRegistry;
import io.pulse.registry.TestRecords;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TopicSerdesTest {

    private static final String SCOPE = "topic-serdes";
    private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void shouldRoundTripACataloguedTopicsKeysAndAvroValues() {
        String topic = PulseTopics.USER_PREDICTIONS.name();
        try (Serde<String> keys = TopicSerdes.keySerde(PulseTopics.USER_PREDICTIONS, CONFIG);
             Serde<Prediction> values = TopicSerdes.valueSerde(PulseTopics.USER_PREDICTIONS, CONFIG)) {
            byte[] key = keys.serializer().serialize(topic, "u-1");
            byte[] value = values.serializer().serialize(topic, TestRecords.prediction());

            assertThat(key).isEqualTo("u-1".getBytes(StandardCharsets.UTF_8));
            assertThat(values.deserializer().deserialize(topic, value)).isEqualTo(TestRecords.prediction());
            assertThat(MockSchemaRegistry.getClientForScope(SCOPE).getSubjects()).containsExactly(topic + "-value");
        }
    }

    @Test
    void shouldPassDeadLetterBytesThroughUnchanged() {
        byte[] original = {0, 1, 2, (byte) 0xff};
        try (Serde<byte[]> values = TopicSerdes.valueSerde(PulseTopics.USER_EVENTS_DLQ, CONFIG)) {
            assertThat(values.serializer().serialize(PulseTopics.USER_EVENTS_DLQ.name(), original))
                    .isEqualTo(original);
        }
    }
}

package io.pulse.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.contracts.schema.PulseTopics;
import io.pulse.contracts.schema.Topic;
import io.pulse.contracts.schema.Topic.TopicSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PulseTopicsTest {

    @Test
    void shouldCreateUserKeyedTopicsWithTheSamePartitionCountAndModelWeightsAsOneCompactedPartition() {
        List<TopicSpec> specs = PulseTopics.defaults(4);

        assertThat(specs).extracting(TopicSpec::name).containsExactly("user-events", "user-events-dlq",
                "user-predictions", "user-interests", "churn-alerts", "fraud-alerts", "interest-alerts", "user-labels",
                "user-erasures", "pulse-audit", "model-weights");
        assertThat(specs).filteredOn(spec -> !spec.name().equals("model-weights"))
                .extracting(TopicSpec::partitions).containsOnly(4);
        assertThat(PulseTopics.MODEL_WEIGHTS.spec(4)).isEqualTo(new TopicSpec("model-weights", 1,
                Map.of("cleanup.policy", "compact", "max.message.bytes", String.valueOf(16 * 1024 * 1024))));
        assertThat(PulseTopics.PULSE_AUDIT.spec(4).configs()).containsEntry("retention.ms", "-1");
        // the latest interests per user, co-partitioned with the events; an erasure's tombstone removes the user
        assertThat(PulseTopics.USER_INTERESTS.spec(4)).isEqualTo(new TopicSpec("user-interests", 4,
                Map.of("cleanup.policy", "compact")));
        assertThat(PulseTopics.USER_INTERESTS.valueType()).isEqualTo(UserInterests.class);
    }

    @Test
    void shouldKeepTypesAndSettingsWhenATopicIsRenamed() {
        Topic<String, ModelBundle> renamed = PulseTopics.MODEL_WEIGHTS.withName("weights-staging");

        assertThat(renamed.name()).isEqualTo("weights-staging");
        assertThat(renamed.valueType()).isEqualTo(ModelBundle.class);
        assertThat(renamed.spec(6)).isEqualTo(new TopicSpec("weights-staging", 1,
                PulseTopics.MODEL_WEIGHTS.settings().configs()));
    }

    @Test
    void shouldMatchTheCompileTimeNamesToTheCatalogue() {
        assertThat(List.of(PulseTopics.Names.USER_EVENTS, PulseTopics.Names.USER_EVENTS_DLQ,
                PulseTopics.Names.USER_PREDICTIONS, PulseTopics.Names.USER_INTERESTS, PulseTopics.Names.CHURN_ALERTS,
                PulseTopics.Names.FRAUD_ALERTS, PulseTopics.Names.INTEREST_ALERTS, PulseTopics.Names.USER_LABELS,
                PulseTopics.Names.USER_ERASURES, PulseTopics.Names.PULSE_AUDIT,
                PulseTopics.Names.MODEL_WEIGHTS))
                .isEqualTo(PulseTopics.ALL.stream().map(Topic::name).toList());
    }

    @Test
    void shouldRejectFewerThanOnePartition() {
        assertThatThrownBy(() -> PulseTopics.defaults(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}

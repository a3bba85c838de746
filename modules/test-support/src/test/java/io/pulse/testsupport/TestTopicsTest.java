package io.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestTopicsTest {

    @Test
    void shouldKeepThePrefixAndAddACounterAndARandomSuffix() {
        assertThat(TestTopics.unique("user-events")).matches("user-events-\\d+-[0-9a-f]{6}");
        assertThat(TestTopics.uniqueApplicationId("pulse-pipeline")).matches("pulse-pipeline-\\d+-[0-9a-f]{6}");
    }

    @Test
    void shouldNeverRepeatAName() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            names.add(TestTopics.unique("t"));
        }

        assertThat(names).hasSize(1_000);
    }

    @Test
    void shouldRejectPrefixesKafkaWouldRefuse() {
        assertThatThrownBy(() -> TestTopics.unique("user events")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a-z, A-Z, 0-9");
        assertThatThrownBy(() -> TestTopics.unique("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestTopics.unique("x".repeat(101))).isInstanceOf(IllegalArgumentException.class);
    }
}

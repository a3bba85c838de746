package io.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.infra.LocalInfra;
import io.pulse.infra.LocalKafkaBroker;
import io.pulse.infra.LocalSchemaRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@PulseIntegrationTest
class PulseInfraExtensionIntegrationTest {

    private static LocalInfra seenInBeforeAll;

    @BeforeAll
    static void remember(LocalInfra infra) {
        seenInBeforeAll = infra;
    }

    @Test
    void shouldInjectTheSameRunningServersEverywhere(LocalInfra infra, LocalKafkaBroker broker,
            LocalSchemaRegistry registry) throws Exception {
        assertThat(infra).isSameAs(seenInBeforeAll);
        assertThat(broker).isSameAs(infra.broker());
        assertThat(registry).isSameAs(infra.schemaRegistry());
        assertThat(broker.isRunning()).isTrue();
        assertThat(registry.isRunning()).isTrue();
        assertThat(infra.bootstrapServers()).startsWith("127.0.0.1:");
        assertThat(infra.clientProperties()).containsKeys("bootstrap.servers", "schema.registry.url");
    }

    @Test
    void shouldCreateUniqueTopics(LocalInfra infra) throws Exception {
        String topic = TestTopics.createUnique(infra, "created", 2);

        try (Admin admin = infra.createAdmin()) {
            var description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            assertThat(description.partitions()).hasSize(2);
        }
    }

    @Nested
    class InANestedClass {
        @Test
        void shouldShareTheOneInstance(LocalInfra infra) {
            assertThat(infra).isSameAs(seenInBeforeAll);
        }
    }
}

package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.schema.Topic;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topics of a Pulse run: its own, and every one its topology writes to created before it starts. */
class E2eRunnerTest {

    private static final String APP = "bench-e-7-0a1b2c3d";
    private static final String INPUT = "bench-events-10000";

    @TempDir
    Path stateDir;

    private PulseConfig config(Variant variant) {
        Map<String, Object> settings = new HashMap<>(E2eRunner.pulseTopicNames(APP, INPUT));
        settings.put(PulseConfig.APPLICATION_ID, APP);
        settings.put(PulseConfig.SCHEMA_REGISTRY_URL, "mock://e2e-runner-test");
        settings.put(PulseConfig.STATE_DIR, stateDir.toString());
        settings.putAll(variant.settings());
        return new PulseConfig(settings);
    }

    @Test
    void shouldGiveEveryPulseTopicOfARunItsOwnNameButTheSharedInput() {
        PulseConfig config = config(Variant.INTERESTS);

        assertThat(config.topics()).extracting(Topic::name).allSatisfy(name -> assertThat(
                name.equals(INPUT) || name.startsWith(APP + "-")).as(name).isTrue());
        assertThat(config.topic(PulseConfig.TOPIC_USER_INTERESTS)).isEqualTo(APP + "-user-interests");
    }

    @Test
    void shouldCreateEveryTopicTheTopologyWritesToAsPulseProvisionsIt() {
        for (Variant variant : Variant.values()) {
            if (!variant.isPulse()) {
                continue;
            }
            PulseConfig config = config(variant);
            E2eRunner.TopicPlan plan = E2eRunner.pulseTopicsToCreate(config, INPUT, 4);
            Set<String> sinks = new HashSet<>();
            TopologyDescription described = PulseTopology.build(config, PulseTopology.fallbackModel(config),
                    PipelineMetrics.inMemory()).describe();
            for (TopologyDescription.Subtopology sub : described.subtopologies()) {
                sub.nodes().stream().filter(node -> node instanceof TopologyDescription.Sink)
                        .map(node -> ((TopologyDescription.Sink) node).topic()).forEach(sinks::add);
            }
            Set<String> globalSources = new HashSet<>();
            described.globalStores().forEach(store -> globalSources.addAll(store.source().topicSet()));

            // Kafka Streams creates (and prefixes with the application id) the entity round trip's internal topics
            Set<String> internal = new HashSet<>(sinks);
            internal.removeIf(t -> !t.endsWith("-repartition"));
            sinks.removeAll(internal);
            Set<String> expectedInternal = variant == Variant.ENTITIES
                    ? Set.of("entity-terminal-requests-repartition", "entity-responses-repartition")
                    : variant == Variant.ENTITIES_BROADCAST ? Set.of("entity-terminal-requests-repartition")
                    : Set.of();
            assertThat(internal).as(variant.label()).isEqualTo(expectedInternal);
            assertThat(sinks).as(variant.label()).contains(APP + "-user-predictions", APP + "-user-interests",
                    APP + "-interest-alerts");
            assertThat(sinks).as("no run writes to a topic another run shares").allMatch(t -> t.startsWith(APP));
            assertThat(plan.partitions().keySet()).as(variant.label()).containsAll(sinks).doesNotContain(INPUT);
            assertThat(plan.partitions()).containsEntry(APP + "-user-interests", 4)
                    .containsEntry(APP + "-user-predictions", 4).containsEntry(APP + "-model-weights", 1);
            Set<String> compacted = new HashSet<>(Set.of(APP + "-user-interests", APP + "-model-weights"));
            if (variant == Variant.ENTITIES_BROADCAST) {
                // the snapshots' global store reads the terminal store's changelog: created up front, compacted
                assertThat(globalSources).contains(APP + "-entity-terminal-changelog");
                assertThat(plan.partitions()).containsEntry(APP + "-entity-terminal-changelog", 4);
                compacted.add(APP + "-entity-terminal-changelog");
            }
            assertThat(plan.compacted()).containsExactlyInAnyOrderElementsOf(compacted);
        }
    }
}

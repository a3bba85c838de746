package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class TopologyStructureTest {

    private final PulseConfig config = new PulseConfig(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, "mock://structure"));
    private final TopologyDescription description = PulseTopology
            .build(config, PulseTopology.fallbackModel(config), PipelineMetrics.inMemory()).describe();

    @Test
    void shouldReadEventsLabelsAndErasuresInOneTaskSoTheyShareTheStores() {
        assertThat(description.subtopologies()).hasSize(1);
        TopologyDescription.Subtopology only = description.subtopologies().iterator().next();
        Set<String> sources = only.nodes().stream()
                .filter(node -> node instanceof TopologyDescription.Source)
                .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream())
                .collect(Collectors.toSet());
        assertThat(sources).containsExactlyInAnyOrder("user-events", "user-labels", "user-erasures");
    }

    @Test
    void shouldGiveTheErasureProcessorEveryStoreTheScoringProcessorHas() {
        TopologyDescription.Processor erase = processor(PulseTopology.ERASE);

        assertThat(erase.stores()).containsExactlyInAnyOrderElementsOf(processor(PulseTopology.SCORE).stores());
        // the erasure's outputs: the audit record, and the tombstone for the compacted user-interests topic
        assertThat(sinksAfter(erase)).containsExactlyInAnyOrder(PulseTopology.AUDIT_SINK,
                PulseTopology.ERASED_INTERESTS_SINK);
    }

    /** The sinks downstream of {@code node}, through the branches and casts in between. */
    private static Set<String> sinksAfter(TopologyDescription.Node node) {
        Set<String> sinks = new HashSet<>();
        for (TopologyDescription.Node next : node.successors()) {
            if (next instanceof TopologyDescription.Sink) {
                sinks.add(next.name());
            } else {
                sinks.addAll(sinksAfter(next));
            }
        }
        return sinks;
    }

    private TopologyDescription.Processor processor(String name) {
        return description.subtopologies().iterator().next().nodes().stream()
                .filter(node -> node.name().equals(name))
                .map(TopologyDescription.Processor.class::cast)
                .findFirst().orElseThrow();
    }

    /**
     * Without entities the topology is exactly the one before entities existed: its description is compared with the
     * one recorded then ({@code -Dpulse.golden.update=true} rewrites it, for a deliberate change only).
     */
    @Test
    void shouldKeepTheTopologyWithoutEntitiesExactlyAsItWas() throws IOException {
        Path golden = Path.of("src/test/resources/topology-without-entities.txt");
        String described = description.toString();
        if (Boolean.getBoolean("pulse.golden.update")) {
            Files.writeString(golden, described, StandardCharsets.UTF_8);
        }

        assertThat(described).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRouteEventsThroughAnEntityTaskAndBackIntoTheUsersTaskWhenEntitiesAreConfigured() {
        PulseConfig entities = new PulseConfig(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, "mock://structure",
                PulseConfig.ENTITIES_TYPES, "terminal"));
        TopologyDescription described = PulseTopology
                .build(entities, PulseTopology.fallbackModel(entities), PipelineMetrics.inMemory()).describe();

        assertThat(described.subtopologies()).hasSize(2);
        TopologyDescription.Subtopology user = described.subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals(PulseTopology.SCORE)))
                .findFirst().orElseThrow();
        TopologyDescription.Subtopology entity = described.subtopologies().stream().filter(s -> s != user)
                .findFirst().orElseThrow();
        assertThat(sourceTopics(user)).containsExactlyInAnyOrder("user-events", "user-labels", "user-erasures",
                "entity-responses-repartition");
        assertThat(sourceTopics(entity)).containsExactly("entity-terminal-requests-repartition");
        assertThat(processorIn(user, PulseTopology.ENTITY_ROUTE).stores()).containsExactly(StateStores.SCORED_EVENTS);
        assertThat(processorIn(user, PulseTopology.SCORE).stores()).containsExactlyInAnyOrderElementsOf(
                StateStores.PER_USER);
        assertThat(processorIn(user, PulseTopology.ERASE).stores()).containsExactlyInAnyOrderElementsOf(
                StateStores.PER_USER);
        // the entity task holds only the entity store: nothing keyed by user
        assertThat(processorIn(entity, PulseTopology.entityStep("terminal")).stores())
                .containsExactly(StateStores.entity("terminal"));
    }

    private static Set<String> sourceTopics(TopologyDescription.Subtopology subtopology) {
        return subtopology.nodes().stream()
                .filter(node -> node instanceof TopologyDescription.Source)
                .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream())
                .collect(Collectors.toSet());
    }

    private static TopologyDescription.Processor processorIn(TopologyDescription.Subtopology subtopology,
            String name) {
        return subtopology.nodes().stream()
                .filter(node -> node.name().equals(name))
                .map(TopologyDescription.Processor.class::cast)
                .findFirst().orElseThrow();
    }

    @Test
    void shouldGiveTheScoringProcessorEveryPerUserStore() {
        TopologyDescription.Processor score = description.subtopologies().iterator().next().nodes().stream()
                .filter(node -> node.name().equals(PulseTopology.SCORE))
                .map(TopologyDescription.Processor.class::cast)
                .findFirst().orElseThrow();

        assertThat(score.stores()).containsExactlyInAnyOrder(StateStores.USER_STATE,
                StateStores.SCORED_EVENTS, StateStores.INACTIVITY_INDEX);
        assertThat(description.globalStores()).hasSize(1);
    }
}

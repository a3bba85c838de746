package io.pulse.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.Prediction;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulseConfig;
import io.pulse.reliability.Deployment;
import io.pulse.reliability.PipelineProcess;
import io.pulse.reliability.Traffic;
import io.pulse.simulator.publish.Workload;
import io.pulse.testsupport.PulseIntegrationTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the only instance, three times mid-stream, each time restarted on the same state directory: with
 * exactly-once the committed output must be exactly what a run without faults commits.
 */
@PulseIntegrationTest
class CrashRecoveryTest {

    private static final int USERS = 400;
    private static final int EVENTS = 3_000;
    private static final int MALFORMED = 20;
    private static final int DUPLICATES = 40;

    @TempDir
    Path dir;

    @Test
    void shouldCommitExactlyTheFaultFreeOutputAcrossKillMinusNineRestarts(LocalInfra infra) throws Exception {
        Deployment deployment = Deployment.create(infra.bootstrapServers(), infra.schemaRegistryUrl(), "crash");
        Workload workload = Workload.generate(USERS, EVENTS, 7L,
                Map.of(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl()));
        Traffic traffic = Traffic.of(workload, infra.schemaRegistryUrl(), MALFORMED, DUPLICATES, 11L);
        int accepted = EVENTS;

        // Given the whole input on the topic before the pipeline starts (so each kill lands mid-stream)
        PipelineProcess pipeline = new PipelineProcess("crash-a",
                deployment.settings(dir.resolve("state-a"), Map.of()));
        try (pipeline) {
            pipeline.start().awaitReady(); // creates the topics
            pipeline.kill();
            traffic.produceAll(deployment);

            // When it is killed with SIGKILL at about a quarter, half and three quarters of its output
            for (double fraction : new double[] {0.25, 0.5, 0.75}) {
                pipeline.start();
                long target = (long) (fraction * accepted);
                await("output past " + target).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                        .until(() -> deployment.predictionsProgress() >= target || !pipeline.isAlive());
                assertThat(pipeline.isAlive()).as("alive until killed; log: %s", pipeline.lastLog()).isTrue();
                pipeline.kill();
            }
            // and restarted once more to finish the backlog
            pipeline.start().awaitReady();
            await("every accepted event predicted").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> deployment.committedPredictions().size() >= accepted);
        }

        // Then: one prediction per accepted event, none lost, none duplicated (committedPredictions fails on a
        // duplicate), the bad records dead-lettered exactly once, duplicates dropped
        Map<String, Prediction> crashed = deployment.committedPredictions();
        assertThat(crashed.keySet()).isEqualTo(traffic.acceptedEventIds());
        assertThat(deployment.committedDeadLetters()).hasSize(MALFORMED);

        // and equal, bit for bit, to a run that was never interrupted (same JVM flags, hence the same LSTM kernel)
        Deployment reference = deployment.sameInput("crash-ref");
        try (PipelineProcess uninterrupted = new PipelineProcess("crash-ref",
                reference.settings(dir.resolve("state-ref"), Map.of()))) {
            uninterrupted.start().awaitReady();
            await("reference run").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> reference.committedPredictions().size() >= accepted);
        }
        Map<String, Prediction> expected = reference.committedPredictions();
        assertThat(expected).hasSize(accepted);
        for (Map.Entry<String, Prediction> entry : expected.entrySet()) {
            Prediction want = entry.getValue();
            Prediction got = crashed.get(entry.getKey());
            String event = entry.getKey();
            assertThat(got.getChurnProbability()).as("churn of %s", event).isEqualTo(want.getChurnProbability());
            assertThat(got.getFraudScore()).as("fraud of %s", event).isEqualTo(want.getFraudScore());
            assertThat(got.getNextAction()).as("next action of %s", event).isEqualTo(want.getNextAction());
            assertThat(got.getEventsSeen()).as("events seen of %s", event).isEqualTo(want.getEventsSeen());
            assertThat(got.getModelVersion()).isEqualTo(want.getModelVersion());
        }
    }
}

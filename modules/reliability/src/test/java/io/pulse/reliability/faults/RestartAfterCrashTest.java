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
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-instance crash of issue #16, with Pulse's defaults (no {@code group.instance.id}, Kafka's session
 * timeout): killed with SIGKILL mid-stream and started again at once on the same state directory, the instance serves
 * again within 15 s, because it rejoins as the same static member (no wait for its old session to expire) and its
 * transactional stores keep what they had flushed (a small state like this one's, never flushed, is restored whole:
 * seconds at most). The full picture, with a clean restart and a lost disk, is
 * measured in {@code benchmarks/OPERATIONS.md}.
 */
@PulseIntegrationTest
class RestartAfterCrashTest {

    /** The goal for the first new prediction after a restart, JVM start and model warm-up included. */
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final int USERS = 300;
    private static final int EVENTS = 6_000;

    @TempDir
    Path dir;

    @Test
    void shouldServeAgainWithinFifteenSecondsOfARestartAfterKillMinusNine(LocalInfra infra) throws Exception {
        Deployment deployment = Deployment.create(infra.bootstrapServers(), infra.schemaRegistryUrl(), "restart");
        Traffic traffic = Traffic.of(Workload.generate(USERS, EVENTS, 5L,
                Map.of(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl())), infra.schemaRegistryUrl(), 0, 0,
                13L);
        Map<String, String> settings = deployment.settings(dir.resolve("state"), Map.of());
        settings.remove("consumer.session.timeout.ms"); // Kafka's default, as an operator would run it
        PipelineProcess pipeline = new PipelineProcess("restart-a", settings).withoutInstanceId();
        try (pipeline) {
            // Given an instance with state, killed with SIGKILL while it works through a backlog
            pipeline.start().awaitReady(); // creates the topics
            traffic.produceAll(deployment);
            await("a third of the output").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> deployment.predictionsProgress() >= EVENTS / 3 || !pipeline.isAlive());
            assertThat(pipeline.isAlive()).as("alive until killed; log: %s", pipeline.lastLog()).isTrue();
            pipeline.kill();

            // When it is started again at once on the same state directory
            Instant restarted = Instant.now();
            pipeline.start();

            // Then a prediction made by the new process is committed within the bound
            await("a prediction of the restarted process").atMost(BOUND).pollInterval(Duration.ofMillis(250))
                    .until(() -> deployment.committedPredictions().values().stream()
                            .anyMatch(p -> !p.getPredictedAt().isBefore(restarted)));
            // as the same static member (the id kept in its state directory)
            assertThat(pipeline.lastLogText()).contains("static group member");

            // and the whole input is still predicted exactly once
            await("every event predicted").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> deployment.committedPredictions().size() >= EVENTS);
        }
        Map<String, Prediction> predictions = deployment.committedPredictions();
        assertThat(predictions.keySet()).isEqualTo(traffic.acceptedEventIds());
    }
}

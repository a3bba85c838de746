package io.pulse.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.infra.LocalKafkaBroker;
import io.pulse.infra.LocalSchemaRegistry;
import io.pulse.infra.internal.FreePorts;
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

/** The only broker goes away mid-stream and comes back on the same address: the pipeline recovers by itself. */
@PulseIntegrationTest
class BrokerRestartTest {

    private static final int EVENTS = 2_000;

    @TempDir
    Path dir;

    @Test
    void shouldRecoverByItselfWithNothingLostWhenTheBrokerRestarts(LocalSchemaRegistry registry) throws Exception {
        int port = FreePorts.findFreePort();
        int controllerPort = FreePorts.findFreePort();
        Path data = dir.resolve("kafka");
        LocalKafkaBroker broker = newBroker(port, controllerPort, data).start();
        Deployment deployment = Deployment.create(broker.bootstrapServers(), registry.confluentUrl(), "broker");
        Traffic traffic = Traffic.of(Workload.generate(300, EVENTS, 3L,
                Map.of(PulseConfig.SCHEMA_REGISTRY_URL, registry.confluentUrl())), registry.confluentUrl(), 0, 0, 5L);
        int half = traffic.size() / 2;

        try (PipelineProcess pipeline = new PipelineProcess("broker-a",
                deployment.settings(dir.resolve("state"), Map.of()))) {
            pipeline.start().awaitReady();
            traffic.produce(deployment, 0, half);
            await("output flows").atMost(Duration.ofMinutes(2)).until(() -> deployment.predictionsProgress() > 200);

            // When the broker stops mid-stream (in-flight transactions die with it) ...
            broker.close();
            // ... the pipeline keeps running, waiting for it (no exit, no crash loop that ends the process)
            await("pipeline survives the outage").during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12))
                    .until(pipeline::isAlive);

            // and after the broker is back on the same address, with more events arriving
            try (LocalKafkaBroker restarted = newBroker(port, controllerPort, data).start()) {
                traffic.produce(deployment, half, traffic.size());

                // Then every event is predicted exactly once and the pipeline reports healthy again
                await("all predicted after the restart").atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> deployment.committedPredictions().size() >= EVENTS);
                assertThat(deployment.committedPredictions().keySet()).isEqualTo(traffic.acceptedEventIds());
                assertThat(deployment.committedDeadLetters()).isEmpty();
                await("ready again").atMost(Duration.ofMinutes(1))
                        .until(() -> pipeline.get("/ready").map(r -> r.statusCode()).orElse(0) == 200);
                assertThat(pipeline.isAlive()).isTrue();
            }
        } finally {
            broker.close();
        }
    }

    private static LocalKafkaBroker newBroker(int port, int controllerPort, Path data) {
        return LocalKafkaBroker.builder().port(port).controllerPort(controllerPort).dataDir(data).build();
    }
}

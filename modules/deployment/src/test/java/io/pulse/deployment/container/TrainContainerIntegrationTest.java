package io.pulse.deployment.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.ModelBundle;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulseConfig;
import io.pulse.testsupport.PulseIntegrationTest;
import io.pulse.testsupport.TestTopics;
import io.pulse.trainer.publish.ModelWeightsTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code pulse train} in a container of the real image, as docker-compose.yml's trainer and the Kubernetes CronJob
 * run it: read-only root file system, ND4J's natives unpacked to the tmpfs {@code /tmp}, reports on the volume, the
 * model published to the test broker's weights topic with the test registry's schemas.
 */
@PulseIntegrationTest
class TrainContainerIntegrationTest {

    private static final String MODEL = "pulse-lstm";

    @Test
    void shouldTrainOnASimulatedHistoryAndPublishTheModelFromAContainer(LocalInfra infra) throws Exception {
        Podman podman = ContainerImage.require();
        String suffix = TestTopics.unique("ctr-train");
        String weightsTopic = "weights-" + suffix;
        String container = "pulse-train-" + suffix;
        String volume = container + "-data";
        podman.run(Duration.ofSeconds(30), "volume", "create", "--label", Podman.LABEL, volume).orThrow();
        try {
            // a small history (30 users, 10 days) and a small network: seconds of training, the whole code path
            Podman.Result train = podman.run(Duration.ofMinutes(8), List.of("run", "--name", container,
                    "--label", Podman.LABEL, "--network", "host", "--read-only", "--tmpfs", "/tmp:rw,exec,size=2g",
                    "--volume", volume + ":" + PipelineContainer.STATE_VOLUME_PATH,
                    "--env", "PULSE_BOOTSTRAP_SERVERS=" + infra.bootstrapServers(),
                    "--env", "PULSE_SCHEMA_REGISTRY_URL=" + infra.schemaRegistryUrl(),
                    "--env", "PULSE_TOPIC_MODEL_WEIGHTS=" + weightsTopic,
                    "--env", "OMP_NUM_THREADS=1",
                    ContainerImage.name(), "train", "--source", "simulated", "--simulate-users", "30",
                    "--simulate-days", "10", "--hidden", "8", "--epochs", "2", "--seed", "16",
                    "--out", PipelineContainer.STATE_VOLUME_PATH + "/train"));

            assertThat(train.exitCode()).as(train.output()).isZero();
            assertThat(train.output()).contains("published " + MODEL);
            Optional<ModelBundle> published = new ModelWeightsTopic(Map.of(
                    PulseConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers(),
                    PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl()), weightsTopic, Duration.ofSeconds(30))
                    .latest(MODEL);
            assertThat(published).hasValueSatisfying(bundle -> {
                assertThat(bundle.getName().toString()).isEqualTo(MODEL);
                assertThat(train.output()).contains(bundle.getVersion().toString());
            });
            // the round's report and bundle are on the volume, written as the image's user
            Path reports = podman.volumePath(volume).resolve("train");
            try (Stream<Path> files = Files.walk(reports)) {
                List<String> names = files.map(path -> path.getFileName().toString()).toList();
                assertThat(names).contains("report.md", "model.bundle");
            }
            assertThat(Files.getAttribute(reports, "unix:uid")).isEqualTo(Integer.parseInt(ContainerImage.uid()));
        } finally {
            podman.removeQuietly(List.of(container), List.of(volume));
        }
    }
}

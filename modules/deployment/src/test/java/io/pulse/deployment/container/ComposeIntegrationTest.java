package io.pulse.deployment.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.schema.PulseTopics;
import io.pulse.infra.internal.FreePorts;
import io.pulse.testsupport.CommittedRecords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml itself, run by podman-compose: Kafka, the Schema Registry and both pipelines, with the
 * third-party images replaced through the file's own variables by local stand-ins ({@link StandInImages}), since
 * nothing can be pulled here. Not run: Prometheus and Grafana (no stand-in), the trainer (its container is covered by
 * {@link TrainContainerIntegrationTest}) and the {@code demo} profile's simulator (events come from this JVM).
 *
 * <p>The file publishes its ports on 127.0.0.1 of this machine, moved to free ones through its port variables. The
 * services talk over the project's own podman network.
 */
@Tag("integration")
class ComposeIntegrationTest {

    private static final List<String> SERVICES = List.of("kafka", "schema-registry", "pipeline-1", "pipeline-2");
    /** The file's variables for its published ports (defaults 9092, 8081, 8080, 8088), by service. */
    private static final Map<String, String> PORT_VARIABLES = Map.of("kafka", "PULSE_KAFKA_PORT", "schema-registry",
            "PULSE_REGISTRY_PORT", "pipeline-1", "PULSE_DASHBOARD_1_PORT", "pipeline-2", "PULSE_DASHBOARD_2_PORT");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;

    @Test
    void shouldRunTheComposeFileAndPredictEverySimulatedEventOnce() throws Exception {
        Podman podman = ContainerImage.require();
        Map<String, String> environment = new HashMap<>(StandInImages.build(podman, work.resolve("stand-ins")));
        // free loopback ports through the file's own variables, so a demo or `pulse infra` on the defaults is no bother
        Map<String, Integer> published = new HashMap<>();
        PORT_VARIABLES.forEach((service, variable) -> {
            int port = FreePorts.findFreePort();
            published.put(service, port);
            environment.put(variable, Integer.toString(port));
        });
        String bootstrap = "127.0.0.1:" + published.get("kafka");
        String registry = "http://127.0.0.1:" + published.get("schema-registry");
        String project = "pulse-compose-test";
        Path composeFile = ComposeHealthCheck.repositoryRoot().resolve("docker-compose.yml");
        try {
            // When
            compose(project, composeFile, environment, Duration.ofMinutes(5), withServices("up", "-d")).orThrow();

            // Then both pipelines become ready (Kafka Streams RUNNING) and every service's own health check passes
            for (String pipeline : List.of("pipeline-1", "pipeline-2")) {
                await(pipeline + " ready").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> status("http://127.0.0.1:" + published.get(pipeline) + "/ready") == 200);
            }
            // (run with podman exec as Docker runs an exec-form check: podman-compose 1.0.3 wraps CMD checks in
            // /bin/sh -c, and Pulse's image has no shell, so `podman healthcheck run` cannot run them there)
            for (String service : SERVICES) {
                List<String> check = new ArrayList<>(List.of("exec", container(podman, project, service)));
                check.addAll(ComposeHealthCheck.command(service));
                await(service + " healthy").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> podman.run(Duration.ofMinutes(1), check).exitCode() == 0);
            }

            // and simulated events produced from this machine (the loopback port) are each predicted exactly once
            SimulatedEvents events = SimulatedEvents.generate(50, 300, 1603L, registry);
            events.produce(bootstrap, PulseTopics.USER_EVENTS.name());
            String predictions = PulseTopics.USER_PREDICTIONS.name();
            await("a prediction for each event").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> CommittedRecords.endOffsetSum(bootstrap, predictions) >= events.eventIds().size()
                            && SimulatedEvents.committedPredictionsPerEvent(bootstrap, registry, predictions)
                                    .keySet().containsAll(events.eventIds()));
            Map<String, Integer> perEvent = SimulatedEvents.committedPredictionsPerEvent(bootstrap, registry,
                    predictions);
            assertThat(perEvent.keySet()).isEqualTo(events.eventIds());
            assertThat(perEvent).allSatisfy((event, count) -> assertThat(count).as(event).isEqualTo(1));
        } finally {
            Files.writeString(Path.of("target", "compose-test.log"), compose(project, composeFile, environment,
                    Duration.ofMinutes(2), withServices("logs", "--tail", "200")).output());
            // the stand-ins inherit the Pulse image's VOLUME, and `down --volumes` leaves anonymous volumes behind
            List<String> anonymous = new ArrayList<>();
            for (String service : List.of("kafka", "schema-registry")) {
                String names = podman.run(Duration.ofSeconds(30), "ps", "--all", "--filter",
                        "label=com.docker.compose.project=" + project, "--filter",
                        "label=com.docker.compose.service=" + service, "--format", "{{.Names}}").output().strip();
                if (!names.isEmpty()) {
                    anonymous.addAll(List.of(podman.run(Duration.ofSeconds(30), "inspect", "--format",
                            "{{range .Mounts}}{{.Name}} {{end}}", names).output().strip().split("\\s+")));
                }
            }
            compose(project, composeFile, environment, Duration.ofMinutes(5), List.of("down", "--volumes"));
            podman.removeQuietly(List.of(), anonymous.stream().filter(name -> name.matches("[0-9a-f]{64}")).toList());
        }
    }

    private static List<String> withServices(String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(SERVICES);
        return command;
    }

    private static Podman.Result compose(String project, Path file, Map<String, String> environment,
            Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>(List.of("podman-compose", "--project-name", project, "--file",
                file.toString()));
        command.addAll(args);
        return Podman.exec(command, timeout, environment);
    }

    /** podman-compose labels every container with its project and service. */
    private static String container(Podman podman, String project, String service) {
        String names = podman.run(Duration.ofSeconds(30), "ps", "--all", "--filter",
                "label=com.docker.compose.project=" + project, "--filter",
                "label=com.docker.compose.service=" + service, "--format", "{{.Names}}").orThrow().trimmed();
        assertThat(names).as("the container of " + service).isNotEmpty().doesNotContain("\n");
        return names;
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}

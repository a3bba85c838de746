package io.pulse.deployment.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulseConfig;
import io.pulse.testsupport.CommittedRecords;
import io.pulse.testsupport.PulseIntegrationTest;
import io.pulse.testsupport.TestTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opentest4j.TestAbortedException;

/**
 * One pipeline container of the real image, through a deployment's life: it scores, is probed, is stopped with
 * SIGTERM, and comes back on the same volume. The tests run in order on the one container (one start costs ~20 s);
 * each states one property.
 */
@PulseIntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineContainerIntegrationTest {

    private static final int PARTITIONS = 3;
    private static final int USERS = 60;
    private static final int EVENTS = 400;
    /** What docker-compose.yml gives the pipelines (stop_grace_period) and `podman stop --time` gives here. */
    private static final Duration GRACE = Duration.ofSeconds(60);
    /** The JVM's status after SIGTERM once its shutdown hooks have run: 128 + 15. SIGKILL would be 137. */
    private static final int TERMINATED_BY_SIGTERM = 143;
    private static final String RESTORE_CONSUMER = "-restore-consumer";
    private static final String RECORDS_CONSUMED = "kafka_consumer_fetch_manager_records_consumed_total";

    private static Podman podman;
    private static LocalInfra infra;
    private static PipelineContainer pipeline;
    private static String applicationId;
    private static String eventsTopic;
    private static String predictionsTopic;
    private static final Set<String> produced = new HashSet<>();

    /** Why the container cannot run here, reported by every test (a skip in {@code @BeforeAll} would hide them). */
    private static String skipped;

    @BeforeAll
    static void startPipelineContainer(LocalInfra localInfra) {
        try {
            podman = ContainerImage.require();
        } catch (TestAbortedException e) {
            skipped = e.getMessage();
            return;
        }
        infra = localInfra;
        String suffix = TestTopics.unique("ctr");
        applicationId = "pulse-" + suffix;
        eventsTopic = "user-events-" + suffix;
        predictionsTopic = "predictions-" + suffix;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(PulseConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers());
        settings.put(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl());
        settings.put(PulseConfig.APPLICATION_ID, applicationId);
        settings.put(PulseConfig.TOPIC_USER_EVENTS, eventsTopic);
        settings.put(PulseConfig.TOPIC_LABELS, "user-labels-" + suffix);
        settings.put(PulseConfig.TOPIC_ERASURES, "user-erasures-" + suffix);
        settings.put(PulseConfig.TOPIC_AUDIT, "audit-" + suffix);
        settings.put(PulseConfig.TOPIC_DLQ, "dlq-" + suffix);
        settings.put(PulseConfig.TOPIC_PREDICTIONS, predictionsTopic);
        settings.put(PulseConfig.TOPIC_USER_INTERESTS, "interests-" + suffix);
        settings.put(PulseConfig.TOPIC_CHURN_ALERTS, "churn-" + suffix);
        settings.put(PulseConfig.TOPIC_FRAUD_ALERTS, "fraud-" + suffix);
        settings.put(PulseConfig.TOPIC_INTEREST_ALERTS, "interest-alerts-" + suffix);
        settings.put(PulseConfig.TOPIC_MODEL_WEIGHTS, "weights-" + suffix);
        settings.put(PulseConfig.TOPIC_PARTITIONS, Integer.toString(PARTITIONS));
        // as docker-compose.yml: a restarted instance gets its partitions back without waiting for a rebalance
        settings.put("session.timeout.ms", "120000");
        pipeline = new PipelineContainer(podman, ContainerImage.name(), suffix, settings);
        pipeline.start();
    }

    @BeforeEach
    void requireContainer() {
        assumeTrue(skipped == null, skipped);
    }

    @AfterAll
    static void removeContainers() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void shouldPredictEveryEventExactlyOnceFromAContainerOnTheHostNetwork() throws Exception {
        pipeline.awaitReady(); // the pipeline created its topics

        SimulatedEvents events = SimulatedEvents.generate(USERS, EVENTS, 1601L, infra.schemaRegistryUrl());
        events.produce(infra.bootstrapServers(), eventsTopic);
        produced.addAll(events.eventIds());

        assertExactlyOnePredictionPerProducedEvent();
    }

    @Test
    @Order(2)
    void shouldRunAsTheImagesNonRootUserOnAReadOnlyRootFileSystem() throws IOException {
        assertThat(pipeline.hostUidGid()).as("uid:gid of the container's process on the host")
                .isEqualTo(ContainerImage.uid() + ":" + ContainerImage.uid());
        assertThat(podman.inspect(pipeline.current(), "{{.HostConfig.ReadonlyRootfs}}")).isEqualTo("true");
        // what it wrote went to the volume (as its user), not to the read-only image
        Path state = podman.volumePath(pipeline.volume()).resolve("state").resolve(applicationId);
        assertThat(state).isDirectory();
        assertThat(Files.getAttribute(state, "unix:uid")).isEqualTo(Integer.parseInt(ContainerImage.uid()));
    }

    @Test
    @Order(3)
    void shouldBeHealthyByTheImagesOwnProbe() {
        assertThat(pipeline.healthCheckPasses()).as("podman healthcheck run (the probe docker-compose.yml runs)")
                .isTrue();
        assertThat(podman.inspect(pipeline.current(), "{{.State.Health.Status}}")).isEqualTo("healthy");
    }

    @Test
    @Order(4)
    void shouldStopCleanlyWithinTheGracePeriodOnSigterm() {
        String container = pipeline.current();

        Duration took = pipeline.stop(GRACE);

        // well within the grace period: podman never had to send SIGKILL
        assertThat(took).isLessThan(GRACE.dividedBy(2));
        assertThat(Integer.parseInt(podman.inspect(container, "{{.State.ExitCode}}")))
                .as("exit status; log:\n%s", podman.logs(container)).isEqualTo(TERMINATED_BY_SIGTERM);
        assertThat(podman.logs(container)).contains("pipeline state PENDING_SHUTDOWN -> NOT_RUNNING",
                "pipeline closed");
    }

    @Test
    @Order(5)
    void shouldRestoreNothingWhenRestartedOnTheSameVolume() throws Exception {
        // the state stores' changelogs hold what the first container wrote: a start without local state replays them
        assertThat(changelogRecords()).isPositive();

        pipeline.start();
        pipeline.awaitReady(); // RUNNING: every task has finished restoring

        // the counter can appear on /metrics up to a binder refresh (60 s) after the start: await it, then it is 0
        await("the restore consumer's records-consumed counter on /metrics").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> pipeline.clientMetric(RECORDS_CONSUMED, RESTORE_CONSUMER).isPresent());
        assertThat(pipeline.clientMetric(RECORDS_CONSUMED, RESTORE_CONSUMER))
                .as("changelog records read by the restore consumer").contains(0.0);
        // and it carries on where it stopped: new events are predicted once, the old ones not again
        SimulatedEvents more = SimulatedEvents.generate(USERS, EVENTS / 2, 1602L, infra.schemaRegistryUrl());
        more.produce(infra.bootstrapServers(), eventsTopic);
        produced.addAll(more.eventIds());
        assertExactlyOnePredictionPerProducedEvent();
    }

    @Test
    @Order(6)
    void shouldRestoreFromTheChangelogsWhenTheVolumeLostItsState() throws IOException {
        // the control of the test above: the same metric does count a restore
        pipeline.stop(GRACE);
        deleteRecursively(podman.volumePath(pipeline.volume()).resolve("state"));

        pipeline.start();
        pipeline.awaitReady();

        // Micrometer's Kafka binder picks up client metrics that appear after it was bound on its own schedule (every
        // 60 s): the restore consumer's counter can be missing from /metrics right after the restore (as above)
        await("the restore consumer's records-consumed counter on /metrics").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(pipeline.clientMetric(RECORDS_CONSUMED, RESTORE_CONSUMER))
                        .as("changelog records read by the restore consumer").hasValueSatisfying(
                                restored -> assertThat(restored).isPositive()));
    }

    private static void assertExactlyOnePredictionPerProducedEvent() {
        await("a prediction for each of " + produced.size() + " events").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> CommittedRecords.endOffsetSum(infra.bootstrapServers(), predictionsTopic)
                        >= produced.size()
                        && SimulatedEvents.committedPredictionsPerEvent(infra.bootstrapServers(),
                                infra.schemaRegistryUrl(), predictionsTopic).keySet().containsAll(produced));
        Map<String, Integer> perEvent = SimulatedEvents.committedPredictionsPerEvent(infra.bootstrapServers(),
                infra.schemaRegistryUrl(), predictionsTopic);
        assertThat(perEvent.keySet()).isEqualTo(produced);
        assertThat(perEvent).allSatisfy((event, count) -> assertThat(count).as(event).isEqualTo(1));
    }

    /** Records in this application's changelog topics (end offsets, transaction markers included). */
    private static long changelogRecords() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                infra.bootstrapServers()))) {
            List<String> changelogs = admin.listTopics().names().get().stream()
                    .filter(topic -> topic.startsWith(applicationId + "-") && topic.endsWith("-changelog")).toList();
            assertThat(changelogs).as("changelog topics of " + applicationId).isNotEmpty();
            long sum = 0;
            for (String changelog : changelogs) {
                sum += CommittedRecords.endOffsetSum(infra.bootstrapServers(), changelog);
            }
            return sum;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(path);
            }
        }
    }
}

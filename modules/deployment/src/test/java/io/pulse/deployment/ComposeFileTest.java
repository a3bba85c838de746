package io.pulse.deployment;

import static io.pulse.deployment.Tree.list;
import static io.pulse.deployment.Tree.map;
import static io.pulse.deployment.Tree.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.pulse.cli.Durations;
import io.pulse.pipeline.PulseConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** {@code docker-compose.yml}: what runs, how it is wired, and whether Pulse accepts the settings it is given. */
class ComposeFileTest {

    private final ComposeFile compose = ComposeFile.load();

    @Test
    void shouldRunKafkaInKraftModeWithoutZooKeeper() {
        Map<String, String> kafka = ComposeFile.environment(compose.service("kafka"));

        assertThat(Arrays.asList(kafka.get("KAFKA_PROCESS_ROLES").split(","))).containsExactlyInAnyOrder("broker",
                "controller");
        assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(kafka.get("KAFKA_NODE_ID") + "@kafka:9093");
        assertThat(kafka.get("KAFKA_LISTENERS")).contains("CONTROLLER://:9093");
        assertThat(kafka.get("KAFKA_CONTROLLER_LISTENER_NAMES")).isEqualTo("CONTROLLER");
        // the storage is formatted with this id: it must be what kafka-storage.sh random-uuid prints
        assertThatCode(() -> Uuid.fromString(kafka.get("CLUSTER_ID"))).doesNotThrowAnyException();
        assertThat(kafka.keySet()).noneMatch(name -> name.contains("ZOOKEEPER"));
        assertThat(compose.services()).allSatisfy((name, service) -> {
            assertThat(name).doesNotContainIgnoringCase("zookeeper");
            assertThat(String.valueOf(map(service, name).get("image"))).doesNotContainIgnoringCase("zookeeper");
        });
    }

    @Test
    void shouldLetExactlyOnceTransactionsWorkOnASingleBroker() {
        Map<String, String> kafka = ComposeFile.environment(compose.service("kafka"));

        // exactly_once_v2 (Pulse's default) needs the transaction log's replication and min ISR met by one broker
        assertThat(kafka).containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
    }

    @Test
    void shouldPointEveryPulseServiceAtTheBrokersInternalListenerAndTheRegistry() {
        Map<String, String> kafka = ComposeFile.environment(compose.service("kafka"));
        Set<String> advertised = listenerAddresses(kafka.get("KAFKA_ADVERTISED_LISTENERS"));
        Map<String, String> registry = ComposeFile.environment(compose.service("schema-registry"));
        String registryPort = registry.get("SCHEMA_REGISTRY_LISTENERS").replaceAll(".*:(\\d+)$", "$1");

        assertThat(listenerAddresses(registry.get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS")))
                .isSubsetOf(advertised);
        assertThat(registry.get("SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL")).isEqualToIgnoringCase("backward");
        assertThat(compose.pulseServices()).isNotEmpty().allSatisfy((name, service) -> {
            Map<String, String> env = ComposeFile.environment(service);
            assertThat(env.get("PULSE_BOOTSTRAP_SERVERS")).as(name).isIn(advertised);
            assertThat(env.get("PULSE_SCHEMA_REGISTRY_URL")).as(name)
                    .isEqualTo("http://schema-registry:" + registryPort);
            assertThat(dependsOn(service)).as(name).contains("kafka", "schema-registry");
        });
    }

    @Test
    void shouldRunTwoPipelineInstancesEachWithItsOwnStateAddressAndMemberId() {
        Map<String, Map<String, Object>> pipelines = compose.pipelineServices();
        assertThat(pipelines).hasSize(2);

        Set<String> applicationIds = new HashSet<>();
        Set<String> advertised = new HashSet<>();
        Set<String> memberIds = new HashSet<>();
        Set<String> volumes = new HashSet<>();
        pipelines.forEach((name, service) -> {
            PulseConfig config = PulseSettings.pipelineConfig(ComposeFile.environment(service));
            applicationIds.add(config.getString(PulseConfig.APPLICATION_ID));
            // other instances forward queries to this address: the service's DNS name and the HTTP server's port
            assertThat(config.advertisedHostPort()).as(name)
                    .isEqualTo(name + ":" + config.getInt(PulseConfig.HTTP_PORT));
            advertised.add(config.advertisedHostPort());
            // reachable from the other containers, not only on the container's loopback
            assertThat(config.getString(PulseConfig.HTTP_HOST)).as(name).isEqualTo("0.0.0.0");
            memberIds.add(PulseSettings.keys(ComposeFile.environment(service)).get("group.instance.id"));

            Map<String, String> mounts = ComposeFile.mounts(service);
            String volume = mounts.entrySet().stream()
                    .filter(mount -> config.getString(PulseConfig.STATE_DIR).startsWith(mount.getValue() + "/"))
                    .map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new AssertionError(name + ": no volume holds the state directory "
                            + config.getString(PulseConfig.STATE_DIR) + " (mounts " + mounts + ")"));
            volumes.add(volume);
        });

        assertThat(applicationIds).as("one consumer group").hasSize(1);
        assertThat(advertised).hasSize(2);
        assertThat(memberIds).doesNotContainNull().hasSize(2);
        assertThat(volumes).hasSize(2).allSatisfy(volume -> assertThat(volume).doesNotContain("/"));
    }

    @Test
    void shouldGiveEveryPulseServiceOnlySettingsPulseOrKafkaKnow() {
        Set<String> known = PulseSettings.knownKeys();

        assertThat(compose.pulseServices()).allSatisfy((name, service) -> {
            Map<String, String> env = ComposeFile.environment(service);
            assertThat(PulseSettings.keys(env).keySet()).as(name + " sets keys nobody reads").isSubsetOf(known);
            // Pulse and Kafka Streams accept the values as the pipeline would at start-up
            assertThatCode(() -> PulseSettings.pipelineConfig(env)).as(name).doesNotThrowAnyException();
        });
    }

    @Test
    void shouldGiveAStoppingPipelineTimeToCloseAndRejoinAsTheSameMember() {
        assertThat(compose.pipelineServices()).allSatisfy((name, service) -> {
            Duration grace = Durations.parse(string(service, "stop_grace_period"));
            Map<String, String> keys = PulseSettings.keys(ComposeFile.environment(service));

            // Pulse closes Kafka Streams within 30 s; Docker's default of 10 s would kill it mid-close
            assertThat(grace).as(name).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
            // a static member restarted within the session timeout gets its partitions back without a rebalance
            assertThat(keys).as(name).containsKeys("group.instance.id", "session.timeout.ms");
            assertThat(Duration.ofMillis(Long.parseLong(keys.get("session.timeout.ms")))).as(name)
                    .isGreaterThan(grace);
        });
    }

    @Test
    void shouldRunTheTrainerOnAScheduleWithThePipelinesTopics() {
        Map<String, Object> trainer = compose.service("trainer");
        List<String> command = ComposeFile.command(trainer);
        Map<String, String> trainerEnv = ComposeFile.environment(trainer);

        assertThat(trainer.get("image")).isEqualTo(RepositoryFiles.imageName());
        assertThat(command.get(0)).isEqualTo("train");
        assertThat(command).contains("--every").doesNotContain("--no-publish");
        assertThat(Durations.parse(command.get(command.indexOf("--every") + 1))).isPositive();
        assertThat(trainer.get("restart")).isIn("unless-stopped", "always");
        compose.pipelineServices().forEach((name, pipeline) -> {
            PulseConfig config = PulseSettings.pipelineConfig(ComposeFile.environment(pipeline));
            // the trainer reads the events and labels the pipelines read, and publishes where they listen
            assertThat(trainerEnv.get("PULSE_TOPIC_USER_EVENTS")).isEqualTo(config.topic(PulseConfig.TOPIC_USER_EVENTS));
            assertThat(trainerEnv.get("PULSE_TOPIC_USER_LABELS")).isEqualTo(config.topic(PulseConfig.TOPIC_LABELS));
            assertThat(trainerEnv.get("PULSE_TOPIC_MODEL_WEIGHTS"))
                    .isEqualTo(config.topic(PulseConfig.TOPIC_MODEL_WEIGHTS));
        });
    }

    @Test
    void shouldCheckTheHealthOfEveryLongRunningService() {
        assertThat(compose.longRunningServices()).containsKeys("kafka", "schema-registry", "pipeline-1",
                "pipeline-2", "trainer", "prometheus", "grafana");

        assertThat(compose.longRunningServices()).allSatisfy((name, service) -> {
            List<String> test = list(map(service, "healthcheck"), "test").stream().map(Object::toString).toList();
            assertThat(test.get(0)).as(name).isIn("CMD", "CMD-SHELL");
            assertThat(test).as(name).hasSizeGreaterThan(1);
        });
    }

    @Test
    void shouldProbeThePipelinesReadinessWithTheProbeShippedInTheImage() throws Exception {
        for (Map.Entry<String, Map<String, Object>> pipeline : compose.pipelineServices().entrySet()) {
            List<String> test = healthcheck(pipeline.getValue());
            PulseConfig config = PulseSettings.pipelineConfig(ComposeFile.environment(pipeline.getValue()));

            // the image has no shell: the check runs the image's own java with the probe class
            assertThat(test.get(1)).isEqualTo("/opt/java/bin/java");
            String probe = test.get(test.indexOf("/app/classes") + 1);
            assertThat(Class.forName(probe)).isEqualTo(io.pulse.deployment.probe.HttpProbe.class);
            assertThat(test.get(test.size() - 1)).as(pipeline.getKey())
                    .isEqualTo("http://127.0.0.1:" + config.getInt(PulseConfig.HTTP_PORT) + "/ready");
        }
        List<String> trainer = healthcheck(compose.service("trainer"));
        assertThat(Class.forName(trainer.get(trainer.indexOf("/app/classes") + 1)))
                .isEqualTo(io.pulse.deployment.probe.FreshnessProbe.class);
        List<String> trainerCommand = ComposeFile.command(compose.service("trainer"));
        // the probe watches the directory the trainer writes its reports to
        assertThat(trainer.get(trainer.size() - 2)).isEqualTo(trainerCommand.get(trainerCommand.indexOf("--out") + 1));
    }

    @Test
    void shouldKeepKafkaDataAndPipelineStateInNamedVolumes() {
        Set<String> declared = map(compose.root, "volumes").keySet();
        Set<String> used = new TreeSet<>();
        compose.services().forEach((name, service) -> ComposeFile.mounts(map(service, name)).keySet().stream()
                .filter(source -> !source.startsWith(".") && !source.startsWith("/"))
                .forEach(used::add));

        Map<String, Object> kafka = compose.service("kafka");
        assertThat(ComposeFile.mounts(kafka))
                .containsValue(ComposeFile.environment(kafka).get("KAFKA_LOG_DIRS"));
        assertThat(ComposeFile.mounts(kafka).keySet()).anySatisfy(source -> assertThat(declared).contains(source));
        assertThat(used).as("every named volume a service mounts is declared, and every declared one is used")
                .isEqualTo(new TreeSet<>(declared));
    }

    @Test
    void shouldFitEveryJvmIntoItsMemoryLimit() {
        compose.pipelineServices().forEach((name, service) -> {
            long limit = MemoryBudget.jvmSize(ComposeFile.memoryLimit(service).orElseThrow());
            Map<String, String> env = ComposeFile.environment(service);
            PulseConfig config = PulseSettings.pipelineConfig(env);
            long offHeap = config.getLong(PulseConfig.ROCKSDB_BLOCK_CACHE_BYTES)
                    + config.getLong(PulseConfig.ROCKSDB_WRITE_BUFFER_BYTES) + MemoryBudget.JVM_NON_HEAP;

            assertThat(MemoryBudget.heap(limit, env.get("JDK_JAVA_OPTIONS")) + offHeap).as(name)
                    .isLessThanOrEqualTo(limit);
        });

        Map<String, Object> trainer = compose.service("trainer");
        long limit = MemoryBudget.jvmSize(ComposeFile.memoryLimit(trainer).orElseThrow());
        String options = ComposeFile.environment(trainer).get("JDK_JAVA_OPTIONS");
        long heap = MemoryBudget.heap(limit, options);
        long nd4j = MemoryBudget.sizeProperty(options, "org.bytedeco.javacpp.maxbytes");
        long physical = MemoryBudget.sizeProperty(options, "org.bytedeco.javacpp.maxphysicalbytes");
        assertThat(heap + nd4j + MemoryBudget.TRAINER_NON_HEAP).isLessThanOrEqualTo(limit);
        assertThat(physical).isGreaterThan(heap + nd4j).isLessThan(limit);
    }

    @Test
    void shouldPublishPortsOnTheHostsLoopbackOnly() {
        List<String> ports = new ArrayList<>();
        compose.services().forEach((name, service) -> {
            Object published = map(service, name).get("ports");
            if (published != null) {
                list(published, name + ".ports").forEach(port -> ports.add(port.toString()));
            }
        });

        assertThat(ports).isNotEmpty().allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
    }

    @Test
    void shouldRunTheImageTheBuildProduces() {
        assertThat(compose.pulseServices()).containsKeys("pipeline-1", "pipeline-2", "trainer");
        compose.services().forEach((name, service) -> {
            String image = String.valueOf(map(service, name).get("image"));
            if (image.startsWith("pulse")) {
                assertThat(image).as(name).isEqualTo(RepositoryFiles.imageName());
            }
        });
    }

    @Test
    void shouldLetEveryThirdPartyImageBeReplacedWithoutChangingItsDefault() {
        // ${PULSE_<NAME>_IMAGE:-default}: a mirror or a local stand-in (the container tests') without editing the file
        Map<String, String> defaults = new TreeMap<>();
        compose.services().forEach((name, service) -> {
            String image = String.valueOf(map(service, name).get("image"));
            if (!image.equals(RepositoryFiles.imageName())) {
                Matcher variable = Pattern.compile("\\$\\{(PULSE_[A-Z_]+_IMAGE):-([^}]+)}").matcher(image);
                assertThat(variable.matches()).as(name + ": " + image).isTrue();
                defaults.put(variable.group(1), variable.group(2));
            }
        });

        assertThat(defaults).containsExactly(Map.entry("PULSE_GRAFANA_IMAGE", "grafana/grafana:12.1.0"),
                Map.entry("PULSE_KAFKA_IMAGE", "apache/kafka:4.4.0"),
                Map.entry("PULSE_PROMETHEUS_IMAGE", "prom/prometheus:v3.5.0"),
                Map.entry("PULSE_SCHEMA_REGISTRY_IMAGE", "confluentinc/cp-schema-registry:8.0.0"));
    }

    private static List<String> healthcheck(Map<String, Object> service) {
        return list(map(service, "healthcheck"), "test").stream().map(Object::toString).toList();
    }

    private static Set<String> dependsOn(Map<String, Object> service) {
        Object dependsOn = service.get("depends_on");
        if (dependsOn instanceof Map<?, ?> services) {
            Set<String> names = new HashSet<>();
            services.keySet().forEach(key -> names.add(key.toString()));
            return names;
        }
        return dependsOn == null ? Set.of() : new HashSet<>(list(dependsOn, "depends_on").stream()
                .map(Object::toString).toList());
    }

    /** {@code INTERNAL://kafka:29092,HOST://127.0.0.1:9092} as {@code kafka:29092, 127.0.0.1:9092}. */
    private static Set<String> listenerAddresses(String listeners) {
        Set<String> addresses = new HashSet<>();
        for (String listener : listeners.split(",")) {
            addresses.add(listener.substring(listener.indexOf("://") + 3));
        }
        return addresses;
    }
}

package io.pulse.deployment;

import static io.pulse.deployment.KubernetesManifests.container;
import static io.pulse.deployment.KubernetesManifests.name;
import static io.pulse.deployment.KubernetesManifests.podLabels;
import static io.pulse.deployment.KubernetesManifests.podSpec;
import static io.pulse.deployment.KubernetesManifests.selects;
import static io.pulse.deployment.Tree.at;
import static io.pulse.deployment.Tree.list;
import static io.pulse.deployment.Tree.map;
import static io.pulse.deployment.Tree.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.pulse.pipeline.PulseConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** {@code deploy/kubernetes/}: every resource, how they refer to each other, and what Pulse makes of the settings. */
class KubernetesManifestsTest {

    private static final String NAMESPACE = "pulse";
    /** The brokers' default group.max.session.timeout.ms: a longer session timeout is refused at join. */
    private static final Duration BROKER_MAX_SESSION_TIMEOUT = Duration.ofMinutes(30);

    private final KubernetesManifests manifests = KubernetesManifests.load();
    private final Map<String, Object> statefulSet = manifests.one("StatefulSet");
    private final Map<String, Object> pipeline = container(statefulSet, "pipeline");
    private final Map<String, Object> cronJob = manifests.one("CronJob");
    private final Map<String, Object> trainer = container(cronJob, "trainer");

    @Test
    void shouldParseEveryFileIntoNamedResourcesTheKustomizationApplies() {
        Map<String, Object> kustomization = manifests.files.get("kustomization.yaml").get(0);
        Set<String> listed = new TreeSet<>(list(kustomization, "resources").stream().map(Object::toString).toList());
        Set<String> files = new TreeSet<>(manifests.files.keySet());
        files.remove("kustomization.yaml");

        assertThat(listed).isEqualTo(files);
        assertThat(manifests.resources()).hasSizeGreaterThanOrEqualTo(9).allSatisfy(resource -> {
            assertThat(resource.get("apiVersion")).isNotNull();
            assertThat(resource.get("kind")).isNotNull();
            assertThat(name(resource)).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        });
        assertThat(string(kustomization, "namespace")).isEqualTo(NAMESPACE);
        assertThat(manifests.named("Namespace", NAMESPACE)).isNotNull();
        assertThat(manifests.resources().stream().map(r -> r.get("kind") + "/" + name(r)))
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldRunThePipelineAsAStatefulSetGovernedByAHeadlessService() {
        Map<String, Object> headless = manifests.named("Service", string(map(statefulSet, "spec"), "serviceName"));

        assertThat(string(statefulSet, "apiVersion")).isEqualTo("apps/v1");
        assertThat(string(map(headless, "spec"), "clusterIP")).isEqualTo("None");
        // names resolve while a pod restores or rebalances: forwarding and scraping work then too
        assertThat(map(headless, "spec").get("publishNotReadyAddresses")).isEqualTo(true);
        assertThat(selects(map(map(headless, "spec"), "selector"), podLabels(statefulSet))).isTrue();
        assertThat(selects(map(map(statefulSet, "spec"), "selector"), podLabels(statefulSet))).isTrue();
        assertThat((Integer) map(statefulSet, "spec").get("replicas")).isGreaterThanOrEqualTo(2);
        assertThat(list(pipeline, "args")).containsExactly("pipeline");
        assertThat(servicePortsTarget(headless)).isEqualTo(containerPorts(pipeline));
    }

    @Test
    void shouldKeepTheStateDirectoryOnAPersistentVolumePerPod() {
        PulseConfig config = PulseSettings.pipelineConfig(environment(pipeline, "pulse-0"));
        String stateDir = config.getString(PulseConfig.STATE_DIR);
        Map<String, Object> claim = map(list(map(statefulSet, "spec"), "volumeClaimTemplates").get(0), "claim");
        String claimName = name(claim);

        Map<String, Object> mount = volumeMounts(pipeline).stream()
                .filter(m -> stateDir.startsWith(string(m, "mountPath") + "/")).findFirst()
                .orElseThrow(() -> new AssertionError("no volume mount holds the state directory " + stateDir));
        assertThat(string(mount, "name")).isEqualTo(claimName);
        assertThat(list(map(claim, "spec"), "accessModes")).containsExactly("ReadWriteOnce");
        assertThat(MemoryBudget.kubernetesQuantity(string(at(claim, "spec", "resources", "requests"), "storage")))
                .isGreaterThanOrEqualTo(1L << 30);
        assertThat(podVolumeNames(statefulSet)).doesNotContain(claimName);
    }

    @Test
    void shouldGiveEveryPodAStaticGroupMemberIdAndItsOwnAdvertisedAddress() {
        Set<String> memberIds = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        String headless = string(map(statefulSet, "spec"), "serviceName");
        for (String pod : List.of("pulse-0", "pulse-1", "pulse-2")) {
            Map<String, String> env = environment(pipeline, pod);
            PulseConfig config = PulseSettings.pipelineConfig(env);
            // PULSE_GROUP_INSTANCE_ID becomes group.instance.id, which Kafka Streams gives its consumers
            String memberId = PulseSettings.keys(env).get("group.instance.id");
            HostInfo advertised = HostInfo.buildFromEndpoint(config.advertisedHostPort());

            assertThat(memberId).isEqualTo(pod);
            assertThat(advertised.host()).isEqualTo(pod + "." + headless + "." + NAMESPACE + ".svc");
            assertThat(advertised.port()).isEqualTo(config.getInt(PulseConfig.HTTP_PORT))
                    .isEqualTo(containerPorts(pipeline).get("http"));
            // the HTTP server must listen on the pod's address for the other pods and the kubelet's probes
            assertThat(config.getString(PulseConfig.HTTP_HOST)).isEqualTo("0.0.0.0");
            memberIds.add(memberId);
            addresses.add(advertised.toString());
        }
        assertThat(memberIds).hasSize(3);
        assertThat(addresses).hasSize(3);
    }

    @Test
    void shouldGiveThePodsOnlySettingsPulseOrKafkaKnow() {
        Set<String> known = PulseSettings.knownKeys();
        Map<String, String> pipelineEnv = environment(pipeline, "pulse-0");
        Map<String, String> trainerEnv = environment(trainer, "pulse-trainer-1-abcde");

        assertThat(PulseSettings.keys(pipelineEnv).keySet()).isSubsetOf(known);
        assertThat(PulseSettings.keys(trainerEnv).keySet()).isSubsetOf(known);
        assertThatCode(() -> PulseSettings.pipelineConfig(pipelineEnv)).doesNotThrowAnyException();
        PulseConfig config = PulseSettings.pipelineConfig(pipelineEnv);
        assertThat(config.getString(PulseConfig.APPLICATION_ID)).isNotBlank();
        // the trainer reads the topics the pipeline reads and publishes where it listens
        assertThat(trainerEnv.get("PULSE_TOPIC_USER_EVENTS")).isEqualTo(config.topic(PulseConfig.TOPIC_USER_EVENTS));
        assertThat(trainerEnv.get("PULSE_TOPIC_USER_LABELS")).isEqualTo(config.topic(PulseConfig.TOPIC_LABELS));
        assertThat(trainerEnv.get("PULSE_TOPIC_MODEL_WEIGHTS"))
                .isEqualTo(config.topic(PulseConfig.TOPIC_MODEL_WEIGHTS));
        assertThat(trainerEnv.get("PULSE_BOOTSTRAP_SERVERS"))
                .isEqualTo(String.join(",", config.getList(PulseConfig.BOOTSTRAP_SERVERS)));
    }

    @Test
    void shouldProbeReadinessAndLivenessOnPulsesEndpoints() {
        Map<String, Integer> ports = containerPorts(pipeline);

        Map<String, Object> readiness = map(map(pipeline, "readinessProbe"), "httpGet");
        Map<String, Object> liveness = map(map(pipeline, "livenessProbe"), "httpGet");
        Map<String, Object> startup = map(map(pipeline, "startupProbe"), "httpGet");
        assertThat(string(readiness, "path")).isEqualTo("/ready");
        assertThat(string(liveness, "path")).isEqualTo("/health");
        assertThat(string(startup, "path")).isEqualTo("/health");
        for (Map<String, Object> probe : List.of(readiness, liveness, startup)) {
            assertThat(ports).containsKey(string(probe, "port"));
        }
        // a restart is never quicker than the JVM: the startup probe covers it before liveness counts
        Map<String, Object> startupProbe = map(pipeline, "startupProbe");
        assertThat((Integer) startupProbe.get("periodSeconds") * (Integer) startupProbe.get("failureThreshold"))
                .isGreaterThanOrEqualTo(120);
    }

    @Test
    void shouldShutDownSlowlyEnoughToCloseAndRejoinAsTheSameMember() {
        int grace = (Integer) podSpec(statefulSet).get("terminationGracePeriodSeconds");
        Map<String, String> keys = PulseSettings.keys(environment(pipeline, "pulse-0"));
        assertThat(keys).containsKeys("session.timeout.ms", "group.instance.id", "num.standby.replicas");
        Duration session = Duration.ofMillis(Long.parseLong(keys.get("session.timeout.ms")));

        // Pulse waits up to 30 s for Kafka Streams to commit, flush and checkpoint; the default 30 s grace cuts it off
        assertThat(grace).isGreaterThanOrEqualTo(60);
        // a pod stopped and started again within the session timeout keeps its partitions without a rebalance
        assertThat(session).isGreaterThan(Duration.ofSeconds(grace)).isLessThanOrEqualTo(BROKER_MAX_SESSION_TIMEOUT);
    }

    @Test
    void shouldFitTheJvmsIntoTheirMemoryLimits() {
        long limit = memory(pipeline, "limits");
        PulseConfig config = PulseSettings.pipelineConfig(environment(pipeline, "pulse-0"));
        long heap = MemoryBudget.heap(limit, environment(pipeline, "pulse-0").get("JDK_JAVA_OPTIONS"));
        long rocksDb = config.getLong(PulseConfig.ROCKSDB_BLOCK_CACHE_BYTES)
                + config.getLong(PulseConfig.ROCKSDB_WRITE_BUFFER_BYTES);

        assertThat(heap + rocksDb + MemoryBudget.JVM_NON_HEAP).isLessThanOrEqualTo(limit);
        // requests = limits: the scheduler reserves what the JVM was sized for
        assertThat(memory(pipeline, "requests")).isEqualTo(limit);

        long trainerLimit = memory(trainer, "limits");
        String options = environment(trainer, "pulse-trainer-1-abcde").get("JDK_JAVA_OPTIONS");
        long trainerHeap = MemoryBudget.heap(trainerLimit, options);
        long nd4j = MemoryBudget.sizeProperty(options, "org.bytedeco.javacpp.maxbytes");
        long physical = MemoryBudget.sizeProperty(options, "org.bytedeco.javacpp.maxphysicalbytes");
        assertThat(trainerHeap + nd4j + MemoryBudget.TRAINER_NON_HEAP).isLessThanOrEqualTo(trainerLimit);
        assertThat(physical).isGreaterThan(trainerHeap + nd4j).isLessThan(trainerLimit);
        assertThat(memory(trainer, "requests")).isEqualTo(trainerLimit);
        // ND4J unpacks its natives into the JavaCPP cache, which must be on a writable volume
        String cacheDir = options.replaceAll(".*-Dorg\\.bytedeco\\.javacpp\\.cachedir=(\\S+).*", "$1");
        assertThat(volumeMounts(trainer)).anySatisfy(m -> assertThat(cacheDir).startsWith(string(m, "mountPath")));
        // the trainer spills the snapshot and its sequences to disk: a volume of their own, not the small /tmp
        String spillDir = options.replaceAll(".*-Dpulse\\.spill\\.dir=(\\S+).*", "$1");
        assertThat(spillDir).isNotEqualTo(options).doesNotStartWith("/tmp");
        assertThat(volumeMounts(trainer)).anySatisfy(m -> assertThat(spillDir).startsWith(string(m, "mountPath")));
    }

    @Test
    void shouldRunAsTheImagesNonRootUserWithWritableVolumesOnly() {
        String uid = System.getProperty("pulse.image.uid");

        for (Map<String, Object> workload : manifests.workloads()) {
            Map<String, Object> pod = podSpec(workload);
            Map<String, Object> security = map(pod, "securityContext");
            assertThat(security.get("runAsNonRoot")).as(name(workload)).isEqualTo(true);
            assertThat(String.valueOf(security.get("runAsUser"))).as(name(workload)).isEqualTo(uid).isNotEqualTo("0");
            // volumes (the state PVC) become writable by the pod's group
            assertThat(security.get("fsGroup")).as(name(workload)).isNotNull();
            for (Object node : list(pod, "containers")) {
                Map<String, Object> container = map(node, "containers");
                Map<String, Object> containerSecurity = map(container, "securityContext");
                assertThat(containerSecurity.get("allowPrivilegeEscalation")).isEqualTo(false);
                assertThat(containerSecurity.get("readOnlyRootFilesystem")).isEqualTo(true);
                // with a read-only root, /tmp (RocksDB's JNI library, ND4J's natives) must be a volume
                assertThat(volumeMounts(container)).anySatisfy(m -> assertThat(m.get("mountPath")).isEqualTo("/tmp"));
            }
        }
    }

    @Test
    void shouldKeepServiceLinksOutOfTheEnvironmentPulseReadsSettingsFrom() {
        // Kubernetes injects NAME_SERVICE_HOST, NAME_PORT, NAME_PORT_8080_TCP, ... for every Service with a cluster IP
        // in the namespace; Pulse reads every PULSE_* variable as a setting.
        Map<String, String> injected = new TreeMap<>();
        for (Map<String, Object> service : manifests.ofKind("Service")) {
            if ("None".equals(map(service, "spec").get("clusterIP"))) {
                continue;
            }
            String prefix = name(service).toUpperCase(Locale.ROOT).replace('-', '_');
            injected.put(prefix + "_SERVICE_HOST", "10.0.0.1");
            for (Object node : list(map(service, "spec"), "ports")) {
                Map<String, Object> port = map(node, "ports");
                injected.put(prefix + "_PORT", "tcp://10.0.0.1:" + port.get("port"));
                injected.put(prefix + "_PORT_" + port.get("port") + "_TCP_PORT", String.valueOf(port.get("port")));
            }
        }
        assertThat(PulseSettings.keys(injected)).as("settings the Service links would make").isNotEmpty();

        assertThat(manifests.workloads()).allSatisfy(workload ->
                assertThat(podSpec(workload).get("enableServiceLinks")).as(name(workload)).isEqualTo(false));
    }

    @Test
    void shouldRunTheTrainerAsACronJobWhoseRoundsCannotOverlap() {
        Map<String, Object> spec = map(cronJob, "spec");
        String schedule = string(spec, "schedule");
        Map<String, Object> job = at(cronJob, "spec", "jobTemplate", "spec");
        List<String> args = list(trainer, "args").stream().map(Object::toString).toList();

        assertThat(string(cronJob, "apiVersion")).isEqualTo("batch/v1");
        assertThat(schedule.split(" ")).hasSize(5);
        assertThat(string(spec, "concurrencyPolicy")).isEqualTo("Forbid");
        assertThat(args.get(0)).isEqualTo("train");
        // Kubernetes schedules the rounds; --every would keep the job's pod running forever
        assertThat(args).doesNotContain("--every", "--no-publish");
        assertThat(string(podSpec(cronJob), "restartPolicy")).isIn("Never", "OnFailure");
        assertThat(schedule).as("an hourly schedule (update this test with the schedule)").matches("\\d{1,2} \\* \\* \\* \\*");
        assertThat((Integer) job.get("activeDeadlineSeconds")).isPositive().isLessThan(3600);
        // every $(VAR) in the arguments is defined for the container, so Kubernetes expands it
        Map<String, String> env = environment(trainer, "pulse-trainer-1-abcde");
        assertThat(args).allSatisfy(arg -> assertThat(KubernetesManifests.expand(arg, env)).doesNotContain("$("));
    }

    @Test
    void shouldReferenceOnlyConfigMapsSecretsAndServicesThatExist() {
        List<String> references = new ArrayList<>();
        for (Map<String, Object> workload : manifests.workloads()) {
            for (Object node : list(podSpec(workload), "containers")) {
                Map<String, Object> container = map(node, "containers");
                Object envFrom = container.get("envFrom");
                if (envFrom != null) {
                    for (Object source : list(envFrom, "envFrom")) {
                        Map<String, Object> from = map(source, "envFrom[]");
                        if (from.containsKey("configMapRef")) {
                            references.add("ConfigMap/" + string(map(from, "configMapRef"), "name"));
                        }
                        if (from.containsKey("secretRef")) {
                            references.add("Secret/" + string(map(from, "secretRef"), "name"));
                        }
                    }
                }
                // every variable resolves to a value (a missing key would make the pod fail to start)
                assertThat(manifests.environment(container, Map.of())).allSatisfy((name, value) ->
                        assertThat(value).as(name).isNotNull());
            }
        }
        references.add("Service/" + string(map(statefulSet, "spec"), "serviceName"));

        assertThat(references).contains("ConfigMap/pulse-config", "Secret/pulse-credentials");
        assertThat(references).allSatisfy(reference -> {
            String[] parts = reference.split("/");
            assertThat(manifests.named(parts[0], parts[1])).as(reference).isNotNull();
        });
    }

    @Test
    void shouldSelectThePipelinePodsWithEveryServiceAndTheDisruptionBudget() {
        Map<String, Object> pipelinePods = podLabels(statefulSet);
        Map<String, Object> trainerPods = podLabels(cronJob);
        Map<String, Object> budget = manifests.one("PodDisruptionBudget");

        assertThat(manifests.ofKind("Service")).hasSizeGreaterThanOrEqualTo(2).allSatisfy(service -> {
            Map<String, Object> selector = map(map(service, "spec"), "selector");
            assertThat(selects(selector, pipelinePods)).as(name(service)).isTrue();
            assertThat(selects(selector, trainerPods)).as(name(service)).isFalse();
        });
        assertThat(string(budget, "apiVersion")).isEqualTo("policy/v1");
        assertThat(map(budget, "spec").get("maxUnavailable")).isEqualTo(1);
        assertThat(selects(map(map(budget, "spec"), "selector"), pipelinePods)).isTrue();
        assertThat(selects(map(map(budget, "spec"), "selector"), trainerPods)).isFalse();
    }

    @Test
    void shouldScrapeEveryPipelinePodsMetricsThroughTheServiceMonitor() {
        Map<String, Object> monitor = manifests.one("ServiceMonitor");
        List<Map<String, Object>> selected = manifests.ofKind("Service").stream()
                .filter(service -> selects(map(map(monitor, "spec"), "selector"), metadataLabels(service))).toList();
        Map<String, Object> endpoint = map(list(map(monitor, "spec"), "endpoints").get(0), "endpoints[0]");

        assertThat(string(monitor, "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        // exactly one Service, else every pod would be scraped twice
        assertThat(selected).hasSize(1);
        Map<String, Object> service = selected.get(0);
        assertThat(servicePortsTarget(service)).containsKey(string(endpoint, "port"));
        assertThat(string(endpoint, "path")).isEqualTo("/metrics");
        assertThat(selects(map(map(service, "spec"), "selector"), podLabels(statefulSet))).isTrue();
    }

    @Test
    void shouldRunTheImageTheBuildProduces() {
        List<String> images = new ArrayList<>();
        manifests.workloads().forEach(workload -> list(podSpec(workload), "containers")
                .forEach(node -> images.add(string(map(node, "containers"), "image"))));

        assertThat(images).hasSizeGreaterThanOrEqualTo(2).containsOnly(RepositoryFiles.imageName());
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private Map<String, String> environment(Map<String, Object> container, String podName) {
        return manifests.environment(container, Map.of("metadata.name", podName, "metadata.namespace", NAMESPACE));
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> ports = new TreeMap<>();
        list(container, "ports").forEach(node -> {
            Map<String, Object> port = map(node, "ports");
            ports.put(string(port, "name"), (Integer) port.get("containerPort"));
        });
        return ports;
    }

    /** A Service's port names with the container port each targets (by name or number). */
    private Map<String, Integer> servicePortsTarget(Map<String, Object> service) {
        Map<String, Integer> containerPorts = containerPorts(pipeline);
        Map<String, Integer> ports = new TreeMap<>();
        list(map(service, "spec"), "ports").forEach(node -> {
            Map<String, Object> port = map(node, "ports");
            Object target = port.getOrDefault("targetPort", port.get("port"));
            ports.put(string(port, "name"), target instanceof Integer number ? number
                    : containerPorts.get(target.toString()));
        });
        return ports;
    }

    private static List<Map<String, Object>> volumeMounts(Map<String, Object> container) {
        return list(container, "volumeMounts").stream().map(node -> map(node, "volumeMounts")).toList();
    }

    private static Set<String> podVolumeNames(Map<String, Object> workload) {
        Object volumes = podSpec(workload).get("volumes");
        Set<String> names = new HashSet<>();
        if (volumes != null) {
            list(volumes, "volumes").forEach(node -> names.add(string(map(node, "volumes"), "name")));
        }
        return names;
    }

    private static long memory(Map<String, Object> container, String kind) {
        return MemoryBudget.kubernetesQuantity(string(at(container, "resources", kind), "memory"));
    }

    private static Map<String, Object> metadataLabels(Map<String, Object> resource) {
        return at(resource, "metadata", "labels");
    }
}

package io.pulse.reliability.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.pulse.infra.LocalKafkaCluster;
import io.pulse.infra.LocalSchemaRegistry;
import io.pulse.pipeline.PulseConfig;
import io.pulse.reliability.Deployment;
import io.pulse.reliability.PipelineProcess;
import io.pulse.reliability.scaleout.InstanceLog.Assignment;
import io.pulse.reliability.scaleout.InstanceLog.Restoration;
import io.pulse.reliability.scaleout.OutputWatcher.Seen;
import io.pulse.reliability.scaleout.TransactionWatcher.Change;
import io.pulse.simulator.publish.Workload;
import io.pulse.testsupport.ListeningSockets;
import io.pulse.testsupport.ListeningSockets.ListeningSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out, proven: three pipeline instances (child JVMs) share six partitions on a three-node Kafka cluster
 * (replication factor 3), each task with one standby replica on another instance. Under a steady load one instance is
 * killed with SIGKILL; the survivors take over its tasks from their standbys, and every event still gets exactly one
 * committed prediction.
 *
 * <p>The recovery time is measured from the kill until every partition the dead instance owned has produced visible
 * (committed) output again, and split into its phases from the instances' own log lines: detection (the static member
 * is only removed after {@code session.timeout.ms}), rebalance, restoration, and the wait for the first committed
 * output. The numbers go to {@code target/scale-out.md} (and one row per run to {@code target/scale-out-runs.tsv}).
 *
 * <p>The cluster and the registry are started here, not through {@code @PulseIntegrationTest}, whose shared servers
 * include a single-node broker this test has no use for (on a 2-core machine every idle broker costs).
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutIntegrationTest {

    private static final int PARTITIONS = 6;
    private static final int USERS = 600;
    private static final double EVENTS_PER_SECOND = 120;
    /** Events generated: more than the test ever sends (it stops the load after the recovery). */
    private static final int MAX_LOAD_SECONDS = 150;
    private static final long SEED = 8L;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /**
     * The producers' {@code transaction.timeout.ms}: Kafka Streams' default with exactly-once. A killed instance's open
     * transaction holds back the partitions it wrote to, for the new owner's restoration and for read_committed
     * consumers, until the transaction coordinator aborts it: this long after it began, at the coordinator's next
     * check. Lower would be quicker, but a live instance whose transaction outlasts it is fenced: 5 s was tried on this
     * loaded 2-core machine and fenced a survivor mid-takeover (it then dropped all its tasks and restored them from
     * scratch). {@code -Dscaleout.transaction.timeout.ms=...} measures with another value.
     */
    private static final long TRANSACTION_TIMEOUT_MS = Long.getLong("scaleout.transaction.timeout.ms", 10_000);
    /**
     * How often the brokers look for timed-out transactions ({@code transaction.abort.timed.out.transaction.cleanup
     * .interval.ms}). Kafka's default, 10 s, adds up to 10 s to every takeover after a crash;
     * {@code -Dscaleout.abort.check.interval.ms=10000} measures with it.
     */
    private static final long ABORT_CHECK_INTERVAL_MS = Long.getLong("scaleout.abort.check.interval.ms", 1_000);
    /**
     * Kafka Streams counts an instance as caught up on a task when its copy lags by at most this many records and then
     * prefers it as the task's new owner. The default, 10,000, is sized for production state; this test's changelogs
     * hold hundreds of records per task, so with the default every instance counts as caught up, standby or not, and
     * the assignor is free to give a dead instance's tasks to an instance without their state (seen here: it did).
     * Scaled down with the state, only a standby (lagging by a commit or two) is caught up.
     */
    private static final int ACCEPTABLE_RECOVERY_LAG = 200;
    /**
     * Predictions before the kill: about 20 s of load, after which a task's changelogs hold about 900 records, several
     * times the lag above.
     */
    private static final int WARM_UP_PREDICTIONS = 2_000;
    private static final List<String> INSTANCE_NAMES = List.of("scaleout-a", "scaleout-b", "scaleout-c");
    /** The instance that is killed. */
    private static final String VICTIM = "scaleout-b";

    private LocalKafkaCluster cluster;
    private LocalSchemaRegistry registry;

    @BeforeAll
    void startServers() {
        CompletableFuture<LocalSchemaRegistry> registryStart =
                CompletableFuture.supplyAsync(() -> LocalSchemaRegistry.builder().build().start());
        try {
            cluster = LocalKafkaCluster.builder()
                    .property("transaction.abort.timed.out.transaction.cleanup.interval.ms",
                            Long.toString(ABORT_CHECK_INTERVAL_MS))
                    .build().start();
        } finally {
            registry = registryStart.join();
        }
    }

    @AfterAll
    void stopServers() {
        if (registry != null) {
            registry.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldBindEveryNodeOfTheClusterToLoopbackOnly() {
        assumeThat(ListeningSockets.isSupported()).as("Linux /proc").isTrue();

        List<ListeningSocket> sockets = ListeningSockets.ofThisProcess();

        for (int node : cluster.nodeIds()) {
            assertThat(sockets).extracting(ListeningSocket::port)
                    .contains(cluster.port(node), cluster.controllerPort(node));
        }
        assertThat(sockets).allSatisfy(socket -> assertThat(socket.address().getHostAddress())
                .as(socket.toString()).isEqualTo("127.0.0.1"));
    }

    @Test
    void shouldTakeOverAKilledInstancesPartitionsFromStandbysWithoutLosingOrDuplicatingOutput(@TempDir Path dir)
            throws Exception {
        Measurement m = new Measurement();
        String registryUrl = registry.confluentUrl();
        Deployment deployment = Deployment.create(cluster.bootstrapServers(), registryUrl, "scaleout");
        cluster.createTopics(Map.of(deployment.eventsTopic(), PARTITIONS, deployment.predictionsTopic(), PARTITIONS,
                deployment.dlqTopic(), PARTITIONS));
        Path logback = Files.writeString(dir.resolve("logback-scaleout.xml"), InstanceLog.logbackConfiguration());
        Map<String, String> scaleOut = Map.of(
                PulseConfig.TOPIC_PARTITIONS, Integer.toString(PARTITIONS),
                "num.standby.replicas", "1",
                "replication.factor", "3",
                "consumer.session.timeout.ms", Long.toString(SESSION_TIMEOUT.toMillis()),
                "consumer.heartbeat.interval.ms", Long.toString(HEARTBEAT_INTERVAL.toMillis()),
                "producer.transaction.timeout.ms", Long.toString(TRANSACTION_TIMEOUT_MS),
                "acceptable.recovery.lag", Integer.toString(ACCEPTABLE_RECOVERY_LAG),
                // JIT-warm the model kernel with fewer steps than the default: three instances start at once here
                PulseConfig.MODEL_WARMUP_STEPS, "10000");
        Map<String, PipelineProcess> instances = new LinkedHashMap<>();
        for (String name : INSTANCE_NAMES) {
            instances.put(name, new PipelineProcess(name, deployment.settings(dir.resolve("state-" + name), scaleOut))
                    .jvmOption("-Dlogback.configurationFile=" + logback));
        }

        try (Admin admin = cluster.createAdmin()) {
            // Given three instances of one application, each running (the workload is generated while they start)
            instances.values().forEach(PipelineProcess::start);
            Workload workload = Workload.generate(USERS, (int) (EVENTS_PER_SECOND * MAX_LOAD_SECONDS), SEED,
                    Map.of(PulseConfig.SCHEMA_REGISTRY_URL, registryUrl));
            instances.values().forEach(PipelineProcess::awaitReady);
            m.phase("instances ready");

            try (OutputWatcher output = new OutputWatcher(cluster.bootstrapServers(), registryUrl,
                    deployment.predictionsTopic());
                    PacedLoad load = new PacedLoad(workload, registryUrl, cluster.bootstrapServers(),
                            deployment.eventsTopic(), EVENTS_PER_SECOND).start()) {

                // with a steady load, the partitions shared out (two per instance) and output from every partition
                await().alias("three members with partitions of their own, output from all " + PARTITIONS)
                        .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> activePartitions(admin, deployment).values().stream()
                                .filter(partitions -> !partitions.isEmpty()).count() == INSTANCE_NAMES.size()
                                && partitionsWithOutput(output, load, 0).size() == PARTITIONS);
                m.phase("partitions shared out, output from every partition");
                // and standbys that have followed their active tasks for a while (about 30 s of load in all)
                await().alias(WARM_UP_PREDICTIONS + " predictions").atMost(Duration.ofSeconds(90))
                        .until(() -> output.count() >= WARM_UP_PREDICTIONS);

                Map<String, Set<Integer>> owners = activePartitions(admin, deployment);
                Set<Integer> orphaned = owners.get(VICTIM);
                assertThat(orphaned).as("partitions of %s before the kill (owners %s)", VICTIM, owners).isNotEmpty();
                m.orphanedPartitions = orphaned;
                m.owners = owners;
                m.changelogEnds = changelogEndOffsets(admin, deployment, orphaned);
                String victimClient = InstanceLog.parse(instances.get(VICTIM).lastLogText()).clientId()
                        .orElseThrow();
                List<String> victimTransactions = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                        .map(TransactionListing::transactionalId)
                        .filter(id -> id.startsWith(victimClient))
                        .toList();

                // When one instance is killed with SIGKILL under load (no commit, no leaving the group)
                try (TransactionWatcher transactions = new TransactionWatcher(admin, victimTransactions)) {
                    await().alias("the victim's transaction state known").atMost(Duration.ofSeconds(10))
                            .until(() -> transactions.changes().size() >= victimTransactions.size());
                    m.phase("warmed up, killing " + VICTIM);
                    m.killedAt = System.currentTimeMillis();
                    instances.get(VICTIM).kill();
                    m.sentAtKill = load.sent();

                    // Then its partitions produce committed output again, and the survivors run
                    List<PipelineProcess> survivors = instances.values().stream()
                            .filter(p -> !p.name().equals(VICTIM)).toList();
                    await().alias("output again from the killed instance's partitions " + orphaned
                                    + ", survivors RUNNING")
                            .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                            .until(() -> partitionsWithOutput(output, load, m.killedAt).containsAll(orphaned)
                                    && survivors.stream().allMatch(p -> runningAgain(p, m.killedAt)));
                    m.transactionChanges = transactions.changes();
                    m.phase("recovered");
                }

                // and keep doing so: 2 s more of output, then the load stops
                int recovered = output.count();
                await().alias("2 s more of output").atMost(Duration.ofSeconds(60))
                        .until(() -> output.count() >= recovered + 2 * EVENTS_PER_SECOND);
                m.sent = load.stop();
                m.phase("load stopped");
                assertThat(load.exhausted()).as("the workload outlasted the test").isFalse();
                List<String> sentIds = load.sentEventIds();
                await().alias("a committed prediction for every one of " + m.sent + " events")
                        .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> output.seen().stream().map(Seen::eventId).distinct().count() >= m.sent);

                // exactly one committed prediction per event: none lost, none duplicated
                Map<String, ?> predictions = deployment.committedPredictions(); // fails on a duplicate eventId
                assertThat(predictions.keySet()).as("one prediction per event sent")
                        .isEqualTo(new HashSet<>(sentIds));
                assertThat(output.seen()).as("no event predicted twice, as the watcher saw it")
                        .extracting(Seen::eventId).doesNotHaveDuplicates();
                assertThat(deployment.committedDeadLetters()).as("dead letters").isEmpty();
                m.predictions = predictions.size();
                m.phase("output checked");
                m.seen = output.seen();
                m.partitionOf = new HashMap<>();
                sentIds.forEach(id -> m.partitionOf.put(id, load.partitionOf(id)));
            }

            // Every topic of the deployment, internal ones included, has 3 replicas
            Map<String, Integer> replication = replicationFactors(admin, deployment);
            assertThat(replication).as("replicas per topic").isNotEmpty().allSatisfy((topic, replicas) ->
                    assertThat(replicas).as(topic).isEqualTo(3));
            m.topics = replication.keySet();
        } finally {
            instances.values().forEach(PipelineProcess::close);
        }

        // The takeover came from standbys, as the instances' own logs say
        Map<String, InstanceLog> logs = new LinkedHashMap<>();
        for (PipelineProcess instance : instances.values()) {
            logs.put(instance.name(), InstanceLog.parse(instance.lastLogText()));
        }
        m.analyse(logs);
        Path report = m.write(Path.of("target"));
        System.out.println("scale-out measurement written to " + report.toAbsolutePath());

        assertThat(m.victimTasks).as("tasks of %s before the kill", VICTIM).isNotEmpty();
        assertThat(m.takenOverBy).as("the new owner of each of %s's tasks", VICTIM)
                .containsOnlyKeys(m.victimTasks);
        assertThat(m.promotedFromStandby).as("tasks whose new owner had them as a standby")
                .isEqualTo(m.victimTasks);
        // a promoted standby restores only the tail it had not applied yet; a restore from scratch replays the whole
        // changelog partition (hundreds of records per partition here)
        assertThat(m.restoredRecords()).as("records restored at the takeover, of %d in the changelogs",
                m.changelogRecords()).isLessThan(m.changelogRecords() / 10);
        assertThat(m.recoveryMillis()).as("recovery time").isPresent();
    }

    /** Input partitions per instance (by its static member id, {@code <name>-<thread>}), from the group's members. */
    private static Map<String, Set<Integer>> activePartitions(Admin admin, Deployment deployment) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(deployment.applicationId()))
                .all().get(30, TimeUnit.SECONDS).get(deployment.applicationId());
        Map<String, Set<Integer>> owners = new TreeMap<>();
        if (group.groupState() != GroupState.STABLE) {
            return owners;
        }
        for (MemberDescription member : group.members()) {
            String instance = member.groupInstanceId().map(id -> id.replaceFirst("-\\d+$", ""))
                    .orElse(member.consumerId());
            Set<Integer> partitions = owners.computeIfAbsent(instance, k -> new TreeSet<>());
            member.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(deployment.eventsTopic()))
                    .forEach(tp -> partitions.add(tp.partition()));
        }
        return owners;
    }

    /** Input partitions with at least one visible prediction scored after {@code afterMillis}. */
    private static Set<Integer> partitionsWithOutput(OutputWatcher output, PacedLoad load, long afterMillis) {
        return output.seen().stream()
                .filter(s -> s.predictedAtMillis() > afterMillis)
                .map(s -> load.partitionOf(s.eventId()))
                .filter(p -> p >= 0)
                .collect(Collectors.toSet());
    }

    /** Whether the instance has said it is RUNNING again after leaving RUNNING at or after {@code sinceMillis}. */
    private static boolean runningAgain(PipelineProcess instance, long sinceMillis) {
        InstanceLog log = InstanceLog.parse(instance.lastLogText());
        return log.firstTransitionAfter(sinceMillis, "REBALANCING")
                .flatMap(left -> log.firstTransitionAfter(left.atMillis(), "RUNNING"))
                .isPresent();
    }

    /** End offsets, now, of the changelog partitions of the given input partitions' tasks. */
    private static Map<TopicPartition, Long> changelogEndOffsets(Admin admin, Deployment deployment,
            Set<Integer> partitions) throws Exception {
        Set<String> changelogs = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith(deployment.applicationId() + "-") && t.endsWith("-changelog"))
                .collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String changelog : changelogs) {
            partitions.forEach(p -> request.put(new TopicPartition(changelog, p), OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> ends = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /** The replication factor of every topic this deployment uses, internal topics included. */
    private static Map<String, Integer> replicationFactors(Admin admin, Deployment deployment) throws Exception {
        Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith(deployment.applicationId() + "-") || t.equals(deployment.eventsTopic())
                        || t.equals(deployment.predictionsTopic()) || t.equals(deployment.dlqTopic()))
                .collect(Collectors.toSet());
        Map<String, Integer> factors = new TreeMap<>();
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS)
                .values()) {
            factors.put(topic.name(), topic.partitions().stream().map(TopicPartitionInfo::replicas)
                    .mapToInt(List::size).min().orElse(0));
        }
        return factors;
    }

    /** What one run measured, and its report. */
    private static final class Measurement {
        final long startedAt = System.currentTimeMillis();
        final List<String> phases = new ArrayList<>();
        long killedAt;
        int sentAtKill;
        int sent;
        int predictions;
        Set<Integer> orphanedPartitions = Set.of();
        Map<String, Set<Integer>> owners = Map.of();
        Map<TopicPartition, Long> changelogEnds = Map.of();
        List<Change> transactionChanges = List.of();
        List<Seen> seen = List.of();
        Map<String, Integer> partitionOf = Map.of();
        Set<String> topics = Set.of();

        Set<String> victimTasks = Set.of();
        final Map<String, String> takenOverBy = new TreeMap<>();
        final Set<String> promotedFromStandby = new TreeSet<>();
        /** The survivors' own tasks that the rebalances moved between them, and how each got its state. */
        final Map<String, String> alsoMoved = new TreeMap<>();
        final Map<String, Long> restoredAtTakeover = new TreeMap<>();
        OptionalLong rejoinAt = OptionalLong.empty();
        OptionalLong assignedAt = OptionalLong.empty();
        OptionalLong runningAt = OptionalLong.empty();
        OptionalLong restoredAt = OptionalLong.empty();
        OptionalLong outputAt = OptionalLong.empty();
        OptionalLong firstOutputAt = OptionalLong.empty();
        OptionalLong transactionAbortedAt = OptionalLong.empty();
        long otherPartitionsMaxGapMillis;
        final Map<Integer, String> otherPartitionGaps = new TreeMap<>();
        long orphanedLastOutputBeforeKill;

        /** Notes how far the test has come, for the report (where the test's two minutes go). */
        void phase(String what) {
            String line = String.format(java.util.Locale.ROOT, "%5.1f s %s",
                    (System.currentTimeMillis() - startedAt) / 1000.0, what);
            phases.add(line);
            System.out.println("scale-out test: " + line);
        }

        void analyse(Map<String, InstanceLog> logs) {
            victimTasks = logs.get(VICTIM).assignmentBefore(killedAt).map(Assignment::active).orElse(Set.of());
            for (Map.Entry<String, InstanceLog> entry : logs.entrySet()) {
                if (entry.getKey().equals(VICTIM)) {
                    continue;
                }
                InstanceLog log = entry.getValue();
                log.firstRejoinAfter(killedAt).ifPresent(r -> rejoinAt = min(rejoinAt, r.atMillis()));
                // the first assignment after the kill that gives this survivor some of the victim's tasks
                Optional<Assignment> takeover = log.assignments().stream()
                        .filter(a -> a.atMillis() >= killedAt)
                        .filter(a -> a.newlyActive().stream().anyMatch(victimTasks::contains))
                        .findFirst();
                takeover.ifPresent(a -> {
                    assignedAt = min(assignedAt, a.atMillis());
                    for (String task : a.newlyActive()) {
                        if (victimTasks.contains(task)) {
                            takenOverBy.put(task, entry.getKey());
                            if (a.promotedFromStandby().contains(task)) {
                                promotedFromStandby.add(task);
                            }
                        }
                    }
                    log.firstTransitionAfter(a.atMillis(), "RUNNING")
                            .ifPresent(t -> runningAt = max(runningAt, t.atMillis()));
                });
                for (Assignment a : log.assignments()) {
                    if (a.atMillis() < killedAt) {
                        continue;
                    }
                    for (String task : a.newlyActive()) {
                        if (!victimTasks.contains(task)) {
                            alsoMoved.put(task, entry.getKey() + (a.promotedFromStandby().contains(task)
                                    ? " (its standby)" : " (no standby there)"));
                        }
                    }
                }
                for (Restoration r : log.restorations()) {
                    if (r.atMillis() >= killedAt && orphanedPartitions.contains(r.partition())) {
                        restoredAtTakeover.merge(r.changelog() + "-" + r.partition(), r.records(), Long::sum);
                        restoredAt = max(restoredAt, r.atMillis());
                    }
                }
            }
            // output: per orphaned partition the first visible prediction scored after the kill
            Map<Integer, Long> firstAfter = new TreeMap<>();
            Map<Integer, Long> lastBefore = new TreeMap<>();
            Map<Integer, List<Long>> visibleByPartition = new HashMap<>();
            for (Seen s : seen) {
                int partition = partitionOf.getOrDefault(s.eventId(), -1);
                visibleByPartition.computeIfAbsent(partition, k -> new ArrayList<>()).add(s.visibleAtMillis());
                if (s.predictedAtMillis() > killedAt) {
                    firstAfter.merge(partition, s.visibleAtMillis(), Math::min);
                } else {
                    lastBefore.merge(partition, s.visibleAtMillis(), Math::max);
                }
            }
            for (int p : orphanedPartitions) {
                if (firstAfter.containsKey(p)) {
                    outputAt = max(outputAt, firstAfter.get(p));
                    firstOutputAt = min(firstOutputAt, firstAfter.get(p));
                }
                orphanedLastOutputBeforeKill = Math.max(orphanedLastOutputBeforeKill,
                        lastBefore.getOrDefault(p, 0L));
            }
            // how long the survivors' own partitions went without output around the takeover: without visible
            // (committed) output, and without scoring at all (predictedAt), which tells a stalled instance from a
            // stalled commit
            long until = outputAt.orElse(killedAt) + 5_000;
            for (int partition = 0; partition < PARTITIONS; partition++) {
                if (orphanedPartitions.contains(partition)) {
                    continue;
                }
                int p = partition;
                List<Seen> ofPartition = seen.stream().filter(s -> partitionOf.getOrDefault(s.eventId(), -1) == p)
                        .toList();
                long[] visible = longestGap(ofPartition.stream().mapToLong(Seen::visibleAtMillis), until);
                long[] scored = longestGap(ofPartition.stream().mapToLong(Seen::predictedAtMillis), until);
                otherPartitionsMaxGapMillis = Math.max(otherPartitionsMaxGapMillis, visible[0]);
                otherPartitionGaps.put(p, String.format(java.util.Locale.ROOT,
                        "%.1f s without visible output from +%.1f s, %.1f s without scoring from +%.1f s",
                        visible[0] / 1000.0, visible[1] / 1000.0, scored[0] / 1000.0, scored[1] / 1000.0));
            }
            for (Change change : transactionChanges) {
                if (change.atMillis() > killedAt && transactionAbortedAt.isEmpty()
                        && (change.state() == TransactionState.PREPARE_ABORT
                        || change.state() == TransactionState.COMPLETE_ABORT)) {
                    transactionAbortedAt = OptionalLong.of(change.atMillis());
                }
            }
        }

        long restoredRecords() {
            return restoredAtTakeover.values().stream().mapToLong(Long::longValue).sum();
        }

        long changelogRecords() {
            return changelogEnds.values().stream().mapToLong(Long::longValue).sum();
        }

        /**
         * The longest interval between the kill and {@code until} without a time from {@code times} (the kill counts as
         * the first), and where it began, relative to the kill: {@code {gap, start}} in milliseconds.
         */
        private long[] longestGap(java.util.stream.LongStream times, long until) {
            long previous = killedAt;
            long[] longest = {0, 0};
            for (long t : times.filter(t -> t > killedAt).sorted().toArray()) {
                long end = Math.min(t, until);
                if (end - previous > longest[0]) {
                    longest[0] = end - previous;
                    longest[1] = previous - killedAt;
                }
                previous = t;
                if (t >= until) {
                    break;
                }
            }
            if (previous < until && until - previous > longest[0]) {
                longest[0] = until - previous;
                longest[1] = previous - killedAt;
            }
            return longest;
        }

        OptionalLong recoveryMillis() {
            return outputAt.isPresent() ? OptionalLong.of(outputAt.getAsLong() - killedAt) : OptionalLong.empty();
        }

        Path write(Path dir) throws Exception {
            Files.createDirectories(dir);
            List<String> md = new ArrayList<>();
            md.add("# Scale-out: one of three instances killed with SIGKILL under load");
            md.add("");
            md.add("- Run: " + Instant.ofEpochMilli(killedAt) + " (time of the kill). Reproduce: `mvn -B -ntp -pl"
                    + " modules/reliability -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
                    + " -Dit.test=ScaleOutIntegrationTest -Dfailsafe.failIfNoSpecifiedTests=false`.");
            md.add("- Cluster: 3 KRaft nodes in one JVM (`LocalKafkaCluster`, each broker + controller), replication"
                    + " factor 3 and min.insync.replicas 2 for every topic (" + topics.size() + " topics of the"
                    + " deployment checked, internal ones included).");
            md.add("- Pipeline: 3 instances (child JVMs), " + PARTITIONS + " input partitions, exactly_once_v2,"
                    + " num.standby.replicas=1, static membership, session.timeout.ms="
                    + SESSION_TIMEOUT.toMillis() + ", heartbeat.interval.ms=" + HEARTBEAT_INTERVAL.toMillis()
                    + ", transaction.timeout.ms=" + TRANSACTION_TIMEOUT_MS + ", acceptable.recovery.lag="
                    + ACCEPTABLE_RECOVERY_LAG + ", Kafka Streams' defaults otherwise (commit.interval.ms 100); brokers"
                    + " check for timed-out transactions every " + ABORT_CHECK_INTERVAL_MS + " ms.");
            md.add("- Load: " + (int) EVENTS_PER_SECOND + " simulated events/s (seed " + SEED + ", " + USERS
                    + " users); " + sentAtKill + " events sent before the kill, " + sent + " in all.");
            md.add("- Before the kill: input partitions by instance " + owners + "; killed `" + VICTIM
                    + "` with active tasks " + victimTasks + ".");
            md.add("- Takeover: " + takenOverBy.entrySet().stream().map(e -> e.getKey() + " → " + e.getValue()
                    + (promotedFromStandby.contains(e.getKey()) ? " (its standby)" : " (NOT its standby)"))
                    .collect(Collectors.joining(", ")) + ".");
            md.add("- The rebalances after the kill also moved " + (alsoMoved.isEmpty() ? "none of the survivors' own"
                    + " tasks." : "some of the survivors' own tasks between them: " + alsoMoved.entrySet().stream()
                            .map(e -> e.getKey() + " → " + e.getValue()).collect(Collectors.joining(", "))
                            + " (Kafka Streams' assignor balances the tasks anew; a moved task pauses until its new"
                            + " owner runs it)."));
            md.add("- Output: " + predictions + " committed predictions for " + sent + " events sent, no duplicate,"
                    + " no dead letter.");
            md.add("");
            md.add("| phase | from → to | seconds |");
            md.add("|---|---|---:|");
            md.add("| detection | kill → first survivor told to rejoin (the dead static member expires after"
                    + " session.timeout.ms) | " + seconds(killedAt, rejoinAt) + " |");
            md.add("| rebalance | rejoin → the victim's tasks assigned to the survivors | "
                    + seconds(rejoinAt, assignedAt) + " |");
            md.add("| restore | assignment → every survivor RUNNING (standbys promoted, changelog tails restored) | "
                    + seconds(assignedAt, runningAt) + " |");
            md.add("| first output | RUNNING → the last of the victim's partitions has committed output again | "
                    + seconds(runningAt, outputAt) + " |");
            md.add("| **recovery** | **kill → every partition of the victim has committed output again** | **"
                    + seconds(killedAt, outputAt) + "** |");
            md.add("");
            md.add("- First of the victim's partitions with committed output again: " + seconds(killedAt,
                    firstOutputAt) + " s after the kill.");
            md.add("- The last of the victim's changelog partitions finished restoring " + seconds(killedAt, restoredAt)
                    + " s after the kill.");
            md.add("- The victim's transaction, as its coordinator reported it: " + (transactionChanges.isEmpty()
                    ? "not seen" : transactionChanges.stream().map(c -> c.state() + (c.atMillis() <= killedAt
                            ? " at the kill" : " at +" + seconds(killedAt, OptionalLong.of(c.atMillis())) + " s"))
                    .collect(Collectors.joining(", "))) + ". "
                    + (transactionAbortedAt.isPresent()
                            ? "It was open: until its coordinator aborted it (transaction.timeout.ms after it began,"
                            + " at the next check), the victim's partitions could not be restored up to their end nor"
                            + " read past it by read_committed consumers."
                            : "No transaction was left open (the kill came between two transactions, or during a"
                            + " commit that completed)."));
            md.add("- Records restored at the takeover, per changelog partition: " + restoredAtTakeover
                    + "; the same changelog partitions held " + changelogEnds + " records (end offsets) at the kill:"
                    + " a restore from scratch would have replayed those.");
            md.add("- The survivors' own partitions, from the kill until 5 s after the recovery (the load sends each"
                    + " partition about " + Math.round(EVENTS_PER_SECOND / PARTITIONS) + " events/s): "
                    + otherPartitionGaps.entrySet().stream().map(e -> "partition " + e.getKey() + ": " + e.getValue())
                            .collect(Collectors.joining("; ")) + ".");
            md.add("- Test time line (from the start of the test method; the cluster and registry start before it): "
                    + String.join("; ", phases) + ".");
            Path file = dir.resolve("scale-out.md");
            Files.writeString(file, String.join("\n", md) + "\n");
            Path runs = dir.resolve("scale-out-runs.tsv");
            if (!Files.exists(runs)) {
                Files.writeString(runs, "killed_at\tdetection_s\trebalance_s\trestore_s\tfirst_output_s"
                        + "\trecovery_s\ttransaction_aborted_s\trestored_s\trestored_records\tchangelog_records"
                        + "\ttransaction_timeout_ms\tabort_check_ms\tstandby_takeovers\n");
            }
            Files.writeString(runs, Instant.ofEpochMilli(killedAt) + "\t" + seconds(killedAt, rejoinAt) + "\t"
                    + seconds(rejoinAt, assignedAt) + "\t" + seconds(assignedAt, runningAt) + "\t"
                    + seconds(runningAt, outputAt) + "\t" + seconds(killedAt, outputAt) + "\t"
                    + seconds(killedAt, transactionAbortedAt) + "\t" + seconds(killedAt, restoredAt) + "\t"
                    + restoredRecords() + "\t" + changelogRecords() + "\t" + TRANSACTION_TIMEOUT_MS + "\t"
                    + ABORT_CHECK_INTERVAL_MS + "\t" + promotedFromStandby.size() + "/" + victimTasks.size() + "\n",
                    StandardOpenOption.APPEND);
            return file;
        }

        private static String seconds(long from, OptionalLong to) {
            return seconds(OptionalLong.of(from), to);
        }

        private static String seconds(OptionalLong from, OptionalLong to) {
            if (from.isEmpty() || to.isEmpty()) {
                return "n/a";
            }
            return String.format(java.util.Locale.ROOT, "%.1f", (to.getAsLong() - from.getAsLong()) / 1000.0);
        }

        private static OptionalLong min(OptionalLong current, long candidate) {
            return OptionalLong.of(current.isPresent() ? Math.min(current.getAsLong(), candidate) : candidate);
        }

        private static OptionalLong max(OptionalLong current, long candidate) {
            return OptionalLong.of(current.isPresent() ? Math.max(current.getAsLong(), candidate) : candidate);
        }
    }
}

package io.pulse.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulseConfig;
import io.pulse.reliability.Deployment;
import io.pulse.reliability.PipelineProcess;
import io.pulse.reliability.Traffic;
import io.pulse.simulator.publish.Workload;
import io.pulse.testsupport.PulseIntegrationTest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second instance joins under load and later leaves again: state migrates both ways, queries keep answering (or say
 * 503 with Retry-After while a store restores), and the output has exactly one prediction per event.
 */
@PulseIntegrationTest
class MembershipChangeTest {

    private static final int USERS = 300;
    private static final int EVENTS = 3_000;
    private static final int BEFORE_JOIN = 800;

    @TempDir
    Path dir;

    @Test
    void shouldMigrateStateAndKeepAnsweringWhenAnInstanceJoinsAndLeavesUnderLoad(LocalInfra infra) throws Exception {
        Deployment deployment = Deployment.create(infra.bootstrapServers(), infra.schemaRegistryUrl(), "members");
        Workload workload = Workload.generate(USERS, EVENTS, 31L,
                Map.of(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl()));
        Traffic traffic = Traffic.of(workload, infra.schemaRegistryUrl(), 0, 0, 4L);
        List<String> queried = usersOf(workload, BEFORE_JOIN, 12);
        Map<String, String> extra = Map.of("num.standby.replicas", "1");

        try (PipelineProcess a = new PipelineProcess("members-a", deployment.settings(dir.resolve("a"), extra));
             PipelineProcess b = new PipelineProcess("members-b", deployment.settings(dir.resolve("b"), extra))) {
            a.start().awaitReady();
            traffic.produce(deployment, 0, BEFORE_JOIN);
            await("first events predicted").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> deployment.committedPredictions().size() >= BEFORE_JOIN);

            // Given steady load and a client querying users on every running instance all the time
            AtomicBoolean running = new AtomicBoolean(true);
            Answers answers = new Answers();
            ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger next = new AtomicInteger(BEFORE_JOIN);
            AtomicReference<Exception> loadFailure = new AtomicReference<>();
            Thread queries = new Thread(() -> {
                while (running.get()) {
                    for (String user : queried) {
                        answers.record(a, a.get("/users/" + URLEncoder.encode(user, StandardCharsets.UTF_8)));
                        answers.record(b, b.get("/users/" + URLEncoder.encode(user, StandardCharsets.UTF_8)));
                    }
                }
            }, "queries");
            // about 100 events per second: a batch of 50 every half second until the traffic is all sent
            load.scheduleAtFixedRate(() -> sendBatch(traffic, deployment, next, loadFailure), 0, 500,
                    TimeUnit.MILLISECONDS);
            queries.start();
            try {
                // When a second instance joins, takes over half of the partitions and serves queries
                b.start().awaitReady();
                await("b answers for some users").atMost(Duration.ofMinutes(2))
                        .until(() -> answers.okFrom(b) > 0);
                // and then leaves (SIGTERM: the clean way out), handing its partitions back
                b.stop();
                await("a alone again").atMost(Duration.ofMinutes(2))
                        .until(() -> a.get("/ready").map(HttpResponse::statusCode).orElse(0) == 200);
            } finally {
                await("the load sent").atMost(Duration.ofMinutes(3))
                        .until(() -> next.get() >= traffic.size() || loadFailure.get() != null);
                load.shutdownNow();
                running.set(false);
                queries.join(30_000);
            }
            assertThat(loadFailure.get()).as("load generator").isNull();

            // Then nothing lost, nothing duplicated
            await("every event predicted").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> deployment.committedPredictions().size() >= EVENTS);
            assertThat(deployment.committedPredictions().keySet()).isEqualTo(traffic.acceptedEventIds());
            assertThat(deployment.committedDeadLetters()).isEmpty();
            // and every answer was an answer or an honest "not now"
            assertThat(answers.unexpected).as("answers other than 200, or 503 with Retry-After").isEmpty();
            assertThat(answers.okFrom(a)).isPositive();
            System.out.printf("membership change: answers %s%n", answers.counts);
        }
    }

    /** Sends the next 50 events after the first {@link #BEFORE_JOIN}, if any are left. */
    private static void sendBatch(Traffic traffic, Deployment deployment, AtomicInteger next,
            AtomicReference<Exception> failure) {
        int from = next.get();
        if (from >= traffic.size() || failure.get() != null) {
            return;
        }
        int to = Math.min(traffic.size(), from + 50);
        try {
            traffic.produce(deployment, from, to);
            next.set(to);
        } catch (Exception e) {
            failure.set(e);
        }
    }

    /** Users with events among the first {@code upTo}: they have state on whichever instance owns them. */
    private static List<String> usersOf(Workload workload, int upTo, int count) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < upTo && users.size() < count; i++) {
            String user = new String(workload.key(i), StandardCharsets.UTF_8);
            if (!users.contains(user)) {
                users.add(user);
            }
        }
        return users;
    }

    /** What the instances answered: counts by (instance, status), and anything that breaks the rule. */
    private static final class Answers {
        final ConcurrentMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();

        void record(PipelineProcess instance, Optional<HttpResponse<String>> answer) {
            if (answer.isEmpty()) {
                counts.computeIfAbsent(instance.name() + ":down", k -> new AtomicInteger()).incrementAndGet();
                return; // not running (before start, after stop): no answer is the honest answer
            }
            HttpResponse<String> response = answer.get();
            int status = response.statusCode();
            counts.computeIfAbsent(instance.name() + ":" + status, k -> new AtomicInteger()).incrementAndGet();
            boolean ok = status == 200
                    || status == 503 && response.headers().firstValue("Retry-After").isPresent();
            if (!ok) {
                unexpected.add(instance.name() + " " + status + " " + response.uri() + " " + response.body());
            }
        }

        int okFrom(PipelineProcess instance) {
            AtomicInteger n = counts.get(instance.name() + ":200");
            return n == null ? 0 : n.get();
        }
    }
}

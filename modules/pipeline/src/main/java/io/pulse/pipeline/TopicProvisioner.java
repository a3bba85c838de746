package io.pulse.pipeline;

import io.pulse.contracts.schema.Topic.TopicSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates missing topics; topics that already exist are left exactly as they are. */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 60;

    private TopicProvisioner() {
    }

    private static IllegalStateException unreachable(Map<String, Object> clientConfig, Throwable cause) {
        return new IllegalStateException("no answer from Kafka at " + clientConfig.get("bootstrap.servers")
                + "; is it running? (start a local one with ./pulse infra, or pass --bootstrap-servers)", cause);
    }

    /**
     * Waits until the broker's metadata shows the new topics and every partition's leader serves requests: a client
     * started right after creation (Kafka Streams' global thread, for one) may otherwise find "no partitions" for a
     * topic that exists, and a producer may reach a broker that the metadata already names leader but that has not
     * taken the partition over yet. Its NOT_LEADER_OR_FOLLOWER answer to an append it did make once left an
     * idempotent producer retrying into OutOfOrderSequenceException until its delivery timeout (seen in CI after
     * {@code pulse simulate} created its topic). A ListOffsets request is answered by the partition's leader only, and
     * the admin client retries it while the leader is not ready, so its answer for every partition is the readiness
     * the producer needs.
     */
    private static void awaitMetadata(Admin admin, List<String> created) throws InterruptedException,
            TimeoutException {
        if (created.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(created).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .forEach((name, description) -> description.partitions().forEach(partition ->
                                partitions.put(new TopicPartition(name, partition.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException
                        || e.getCause() instanceof LeaderNotAvailableException
                        || e.getCause() instanceof NotLeaderOrFollowerException)
                        || System.nanoTime() > deadline) {
                    throw new TimeoutException("created topics " + created + " have no serving leaders yet: "
                            + e.getCause().getMessage());
                }
                Thread.sleep(100); // metadata propagation takes milliseconds
            }
        }
    }

    /**
     * Fails unless every topic of {@code coPartitioned} has as many partitions as {@code reference}: records keyed by
     * the same user id must reach the same stream task (labels join that task's prediction log, erasure requests
     * delete from that task's stores). Topics that do not exist are skipped (Kafka Streams reports them).
     */
    public static void requireCoPartitioned(Map<String, Object> clientConfig, String reference,
            Collection<String> coPartitioned) {
        Map<String, Object> adminConfig = AdminClientConfig.configNames().stream()
                .filter(clientConfig::containsKey)
                .collect(Collectors.toMap(k -> k, clientConfig::get));
        List<String> names = new ArrayList<>(coPartitioned);
        names.add(reference);
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> present = names.stream().filter(existing::contains).distinct().toList();
            if (!present.contains(reference)) {
                return;
            }
            Map<String, Integer> partitions = new HashMap<>();
            admin.describeTopics(present).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .forEach((name, description) -> partitions.put(name, description.partitions().size()));
            int expected = partitions.get(reference);
            for (String topic : coPartitioned) {
                Integer actual = partitions.get(topic);
                if (actual != null && actual != expected) {
                    throw new IllegalStateException("topic " + topic + " has " + actual + " partitions but "
                            + reference + " has " + expected + ": records of one user would reach different stream"
                            + " tasks (labels would not find their predictions, erasures would miss the user's"
                            + " state); recreate " + topic + " with " + expected + " partitions");
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topics on " + clientConfig.get("bootstrap.servers")
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(clientConfig, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        }
    }

    /**
     * Creates every topic of {@code specs} that does not exist yet.
     *
     * @return the names of the topics this call created
     */
    public static List<String> ensureTopics(Map<String, Object> clientConfig, Collection<TopicSpec> specs) {
        Map<String, Object> adminConfig = AdminClientConfig.configNames().stream()
                .filter(clientConfig::containsKey)
                .collect(Collectors.toMap(k -> k, clientConfig::get));
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = specs.stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(spec -> new NewTopic(spec.name(), Optional.of(spec.partitions()),
                            Optional.empty()).configs(spec.configs()))
                    .toList();
            List<String> created = new ArrayList<>();
            var results = admin.createTopics(missing).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    LOG.debug("topic {} was created concurrently", entry.getKey());
                }
            }
            awaitMetadata(admin, created);
            return created;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(clientConfig, e.getCause());
            }
            throw new IllegalStateException("cannot create topics on " + clientConfig.get("bootstrap.servers")
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(clientConfig, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}

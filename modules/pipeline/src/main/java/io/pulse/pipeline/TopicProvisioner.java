package io.pulse.pipeline;

import io.pulse.contracts.schema.PulseTopics.TopicSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
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
     * Creates every topic of {@code specs} that does not exist yet.
     *
     * @return the names of the topics this call created
     */
    public static List<String> ensureTopics(Map<String, Object> clientConfig, Collection<TopicSpec> specs) {
        Map<String, Object> adminConfig = AdminClientConfig.configNames().stream()
                .filter(clientConfig::containsKey)
                .collect(java.util.stream.Collectors.toMap(k -> k, clientConfig::get));
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = specs.stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(spec -> new NewTopic(spec.name(), java.util.Optional.of(spec.partitions()),
                            java.util.Optional.empty()).configs(spec.configs()))
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

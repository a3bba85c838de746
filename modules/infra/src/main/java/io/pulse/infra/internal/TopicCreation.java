package io.pulse.infra.internal;

import io.pulse.infra.InfraException;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Topic creation as the local broker and the local cluster offer it: what exists already is left as it is. */
public final class TopicCreation {

    private static final long TIMEOUT_SECONDS = 30;

    private TopicCreation() {
    }

    /**
     * Creates {@code topics} with {@code admin}, waiting up to 30 s for each; topics that already exist are left as
     * they are.
     *
     * @throws InfraException if a topic cannot be created or its creation takes too long
     */
    public static void create(Admin admin, Collection<NewTopic> topics) {
        try {
            var futures = admin.createTopics(topics).values();
            for (var entry : futures.entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new InfraException("could not create topic " + entry.getKey() + ": " + e.getCause(),
                                e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new InfraException("creating topic " + entry.getKey() + " took longer than "
                            + TIMEOUT_SECONDS + " s", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while creating topics", e);
        }
    }
}

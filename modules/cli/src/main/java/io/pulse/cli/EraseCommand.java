package io.pulse.cli;

import io.pulse.contracts.AuditRecord;
import io.pulse.contracts.ErasureRequest;
import io.pulse.contracts.StoreErasure;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.pipeline.erasure.AuditTrail;
import io.pulse.pipeline.erasure.ErasureRequests;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse erase --user ID}: asks the running pipeline to erase a user (an {@code ErasureRequest} on
 * {@code user-erasures}); with {@code --wait}, waits for the {@code AuditRecord} on {@code pulse-audit} and prints it.
 */
@Command(name = "erase", mixinStandardHelpOptions = true,
        description = {"Erase everything the pipeline keeps about a user (state, inactivity check, logged"
                + " predictions, deduplication ids, dashboard view) and get an audit record.",
                "Records already in Kafka topics (user-events, user-predictions, alerts, labels, dead letters) are"
                        + " not touched: they go with the topics' retention (or kafka-delete-records)."})
final class EraseCommand implements Callable<Integer> {

    /** Exit code when no audit record arrived in time (the request was written; the pipeline may be down). */
    static final int NO_AUDIT = 3;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Option(names = "--user", required = true, paramLabel = "ID", description = "The user id to erase.")
    String userId;

    @Option(names = "--requested-by", paramLabel = "NAME",
            defaultValue = "${env:PULSE_REQUESTED_BY:-${sys:user.name}}",
            description = "Who asks for the erasure, kept in the audit record (env PULSE_REQUESTED_BY; default: the"
                    + " OS user, ${DEFAULT-VALUE}).")
    String requestedBy;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why, e.g. the data-subject request's reference; kept in the request.")
    String reason;

    @Option(names = "--wait", description = "Wait for the pipeline's audit record and print it.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--erasures-topic",
            defaultValue = "${env:PULSE_TOPIC_USER_ERASURES:-" + PulseTopics.Names.USER_ERASURES + "}",
            description = "Topic of erasure requests (env PULSE_TOPIC_USER_ERASURES; default: ${DEFAULT-VALUE}).")
    String erasuresTopic;

    @Option(names = "--audit-topic", defaultValue = "${env:PULSE_TOPIC_AUDIT:-" + PulseTopics.Names.PULSE_AUDIT + "}",
            description = "Topic of audit records (env PULSE_TOPIC_AUDIT; default: ${DEFAULT-VALUE}).")
    String auditTopic;

    @Override
    public Integer call() {
        Duration wait = Durations.parse(timeout);
        Map<String, Object> clients = cluster.clientConfig();
        requireTopics(clients, await ? List.of(erasuresTopic, auditTopic) : List.of(erasuresTopic));
        PrintWriter out = spec.commandLine().getOut();
        // the trail is opened before the request is written, so its answer cannot be missed
        try (AuditTrail trail = await ? new AuditTrail(clients, auditTopic) : null;
             ErasureRequests requests = new ErasureRequests(clients, erasuresTopic)) {
            ErasureRequest request = requests.submit(userId, requestedBy, "cli", reason);
            out.printf("erasure request %s for user %s written to %s%n", request.getRequestId(), userId,
                    erasuresTopic);
            out.flush();
            if (trail == null) {
                return 0;
            }
            Optional<AuditRecord> audit = trail.await(request.getRequestId(), wait);
            if (audit.isEmpty()) {
                spec.commandLine().getErr().printf("pulse erase: no audit record on %s within %s; is a pipeline"
                        + " running against %s? The request stays on %s and is handled when one runs.%n",
                        auditTopic, timeout, cluster.bootstrapServers(), erasuresTopic);
                return NO_AUDIT;
            }
            out.println(summary(audit.get()));
            out.println(audit.get());
            return 0;
        }
    }

    static String summary(AuditRecord audit) {
        StringBuilder stores = new StringBuilder();
        for (StoreErasure store : audit.getStores()) {
            stores.append(stores.length() == 0 ? "" : ", ").append(store.getStore()).append(' ')
                    .append(store.getEntries());
        }
        return "erased user " + audit.getUserId() + " on " + audit.getInstance() + " at " + audit.getCompletedAt()
                + " (entries deleted: " + stores + ")";
    }

    private static void requireTopics(Map<String, Object> clients, List<String> topics) {
        Map<String, Object> admin = new HashMap<>();
        clients.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                admin.put(key, value);
            }
        });
        try (Admin client = Admin.create(admin)) {
            Set<String> existing = client.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    throw new IllegalStateException("topic " + topic + " does not exist on "
                            + clients.get("bootstrap.servers") + "; the pipeline creates it when it starts (or create"
                            + " it with as many partitions as user-events)");
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka at " + clients.get("bootstrap.servers")
                    + "; is it running? (start a local one with ./pulse infra, or pass --bootstrap-servers)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

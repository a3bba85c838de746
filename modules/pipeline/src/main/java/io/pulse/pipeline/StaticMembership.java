package io.pulse.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The {@code group.instance.id} of an instance that was not given one: static membership (KIP-345) by default, so
 * that an instance restarted after a crash takes its tasks back at once instead of waiting {@code session.timeout.ms}
 * for the broker to notice that its old member is gone and rebalance. The id is made once, kept in the state
 * directory ({@code <state.dir>/<application.id>.group-instance-id}) and read back at every start: the same disk is
 * the same member, a new disk a new member (whose predecessor leaves after the session timeout). Two instances never
 * share a state directory (Kafka Streams locks it), so they never share an id. Deployments that lose disks
 * (containers without a volume) set {@code group.instance.id} themselves, e.g. to the pod name.
 */
final class StaticMembership {

    static final String GROUP_INSTANCE_ID = ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;

    private StaticMembership() {
    }

    /** The id to add to the configuration, or empty when it has one already or static membership is off. */
    static Optional<String> defaultInstanceId(PulseConfig config) {
        if (!config.getBoolean(PulseConfig.STATIC_MEMBERSHIP) || config.originals().get(GROUP_INSTANCE_ID) != null) {
            return Optional.empty();
        }
        return Optional.of(readOrCreate(Path.of(config.getString(PulseConfig.STATE_DIR)),
                config.getString(PulseConfig.APPLICATION_ID)));
    }

    /** The id kept in {@code stateDir} for {@code applicationId}, made (and kept) on the first call. */
    static String readOrCreate(Path stateDir, String applicationId) {
        Path file = stateDir.resolve(applicationId + ".group-instance-id");
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            Files.createDirectories(stateDir);
            String id = "pulse-" + UUID.randomUUID();
            Path written = Files.createTempFile(stateDir, applicationId, ".tmp");
            Files.writeString(written, id + "\n", StandardCharsets.UTF_8);
            Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the group.instance.id in " + file + " (make the state"
                    + " directory writable, set group.instance.id, or static.membership=false)", e);
        }
    }
}

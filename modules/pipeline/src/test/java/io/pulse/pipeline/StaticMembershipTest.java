package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline that was not given a {@code group.instance.id} is a static group member under an id kept in its state
 * directory, and its stores are transactional under exactly-once: together they let a crashed instance serve again in
 * seconds (issue #16). Measured in {@code benchmarks/OPERATIONS.md}, bounded in the reliability tests.
 */
class StaticMembershipTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepOneInstanceIdPerStateDirectoryAcrossStarts() {
        String first = StaticMembership.defaultInstanceId(config(dir.resolve("a"), Map.of())).orElseThrow();
        String again = StaticMembership.defaultInstanceId(config(dir.resolve("a"), Map.of())).orElseThrow();
        String other = StaticMembership.defaultInstanceId(config(dir.resolve("b"), Map.of())).orElseThrow();

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(dir.resolve("a").resolve("pulse-test.group-instance-id")).content().isEqualTo(first + "\n");
    }

    @Test
    void shouldGiveEachApplicationInOneStateDirectoryItsOwnInstanceId() {
        String one = StaticMembership.readOrCreate(dir, "one");
        String two = StaticMembership.readOrCreate(dir, "two");

        assertThat(one).isNotEqualTo(two).startsWith("pulse-");
    }

    @Test
    void shouldLeaveAConfiguredInstanceIdAloneAndHonourTurningStaticMembershipOff() {
        assertThat(StaticMembership.defaultInstanceId(config(dir, Map.of("group.instance.id", "pod-0")))).isEmpty();
        assertThat(StaticMembership.defaultInstanceId(config(dir, Map.of(PulseConfig.STATIC_MEMBERSHIP, "false"))))
                .isEmpty();
        assertThat(dir.resolve("pulse-test.group-instance-id")).doesNotExist();
    }

    @Test
    void shouldMakeTheStoresTransactionalUnderExactlyOnceUnlessToldOtherwise() {
        Properties exactlyOnce = config(dir, Map.of()).streamsProperties();
        Properties atLeastOnce = config(dir, Map.of(PulseConfig.PROCESSING_GUARANTEE, StreamsConfig.AT_LEAST_ONCE))
                .streamsProperties();
        Properties optedOut = config(dir, Map.of(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "false"))
                .streamsProperties();

        assertThat(exactlyOnce).containsEntry(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        assertThat(atLeastOnce).doesNotContainKey(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG);
        assertThat(optedOut).containsEntry(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "false");
    }

    private static PulseConfig config(Path stateDir, Map<String, String> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put(PulseConfig.STATE_DIR, stateDir.toString());
        all.put(PulseConfig.APPLICATION_ID, "pulse-test");
        return new PulseConfig(all);
    }
}

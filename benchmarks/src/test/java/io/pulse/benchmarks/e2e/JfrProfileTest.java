package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile summary of a real JFR recording: thread groups, components, hot methods and the per-event steps. */
class JfrProfileTest {

    @TempDir
    Path dir;

    /** Keeps a thread named like a Kafka Streams stream thread busy in this class's own code. */
    private static double spin(long nanos) {
        double x = 0;
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            for (int i = 1; i < 10_000; i++) {
                x += Math.sqrt(i) / i;
            }
        }
        return x;
    }

    @Test
    void shouldSummariseTheStreamThreadsSamplesWithARowForEveryStepOfThePerEventPath() throws Exception {
        Path file = dir.resolve("profile.jfr");
        JfrProfile.record(file, () -> {
            Thread busy = new Thread(() -> spin(400_000_000L), "bench-c-1-abcd-StreamThread-1");
            busy.start();
            try {
                busy.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });

        List<String> lines = JfrProfile.summarise(file, Map.of(), false);

        assertThat(lines).anyMatch(l -> l.startsWith("| pipeline: stream thread |"));
        assertThat(lines).contains("| step | method | % |");
        // nothing of the pipeline ran: every step is there, at 0 %, in the order an event meets them
        assertThat(lines).filteredOn(l -> l.startsWith("| Kafka Streams: is the task ready") || l.startsWith(
                "| commits ")).containsExactly("| Kafka Streams: is the task ready (per record) |"
                        + " `PartitionGroup.readyToProcess` | 0.0 |",
                "| commits (cache flush, changelogs, transaction) | `TaskManager.commit` | 0.0 |");
        assertThat(lines).anyMatch(l -> l.startsWith("| `JfrProfileTest.spin` |"));
        assertThat(lines).noneMatch(l -> l.contains("`EntityProcessor.process`"));

        // an entity variant's profile has the entity steps after the common ones
        List<String> entity = JfrProfile.summarise(file, Map.of(), true);
        assertThat(entity).containsSubsequence(
                "| commits (cache flush, changelogs, transaction) | `TaskManager.commit` | 0.0 |",
                "| the entity's step: its windows read, counted and written | `EntityProcessor.process` | 0.0 |");
    }

    @Test
    void shouldCountEveryVariantsClientThreadsAsThePipelines() {
        assertThat(JfrProfile.threadGroup("bench-g-3-abcd-StreamThread-1")).isEqualTo("pipeline: stream thread");
        assertThat(JfrProfile.threadGroup("bench-g-3-abcd-admin")).isEqualTo("pipeline: other client threads");
        assertThat(JfrProfile.threadGroup("bench-reader")).isEqualTo("benchmark reader/feeder");
    }

    @Test
    void shouldSetTheProfiledRateNextToTheMeasuredOneAndSayWhenItIsOfAnotherRegime() {
        assertThat(JfrProfile.againstMeasured(24_854, OptionalDouble.of(26_424)))
                .isEqualTo(" The same variant's measured runs, without a recording: 26,424 events/s (median), so the"
                        + " profiled run went at 0.94 of that.");
        // 6,165 against 18,084: the entity profile of benchmarks/README.md item 31, taken while the JIT recompiled
        assertThat(JfrProfile.againstMeasured(6_165, OptionalDouble.of(18_084)))
                .startsWith(" The same variant's measured runs, without a recording: 18,084 events/s (median), so the"
                        + " profiled run went at 0.34 of that, below 0.8: it is not a picture of the measured runs");
        assertThat(JfrProfile.againstMeasured(6_165, OptionalDouble.empty())).isEmpty();
    }
}

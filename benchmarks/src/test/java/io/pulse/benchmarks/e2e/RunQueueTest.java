package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The kernel's scheduler counters turned into a latency row's stream-thread and JVM figures, checked by hand. */
class RunQueueTest {

    private static final String APP = "bench-c-12-abcdefgh";

    @Test
    void shouldTakeTheBusiestThreadOfTheApplicationAsTheStreamThreadAndSumEveryThreadsWaiting() {
        // kernel names are the first 15 characters: "bench-c-12-abcd"
        RunQueue.Snapshot before = new RunQueue.Snapshot(Map.of(
                1, new RunQueue.Task("bench-c-12-abcd", 1_000_000_000L, 100_000_000L), // the stream thread
                2, new RunQueue.Task("bench-c-12-abcd", 50_000_000L, 1_000_000L), // its global thread
                3, new RunQueue.Task("kafka-producer-", 200_000_000L, 30_000_000L),
                4, new RunQueue.Task("ended", 5_000_000L, 5_000_000L),
                6, new RunQueue.Task("C2 CompilerThre", 3_000_000_000L, 0L),
                8, new RunQueue.Task("C1 CompilerThre", 1_000_000_000L, 0L)));
        RunQueue.Snapshot after = new RunQueue.Snapshot(Map.of(
                1, new RunQueue.Task("bench-c-12-abcd", 13_000_000_000L, 2_100_000_000L), // 12 s on, 2 s waiting
                2, new RunQueue.Task("bench-c-12-abcd", 60_000_000L, 2_000_000L), // 10 ms on, 1 ms waiting
                3, new RunQueue.Task("kafka-producer-", 1_700_000_000L, 530_000_000L), // 0.5 s waiting
                5, new RunQueue.Task("started", 9_000_000L, 9_000_000L), // not in both: left out
                6, new RunQueue.Task("C2 CompilerThre", 5_000_000_000L, 0L), // 2 s compiling
                8, new RunQueue.Task("C1 CompilerThre", 1_200_000_000L, 0L))); // 0.2 s

        Results.RunDelay delay = RunQueue.between(before, after, 20.0, APP);

        // per second of a 20 s window: 12,000 / 20 on a core, 2,000 / 20 waiting; all: (2,000 + 1 + 500) / 20
        assertThat(delay.streamThreadCpuMsPerSecond()).isCloseTo(600.0, within(1e-9));
        assertThat(delay.streamThreadWaitMsPerSecond()).isCloseTo(100.0, within(1e-9));
        assertThat(delay.jvmWaitMsPerSecond()).isCloseTo(125.05, within(1e-9));
        // the compilers: (2,000 + 200) / 20
        assertThat(delay.jitCpuMsPerSecond()).isCloseTo(110.0, within(1e-9));
    }

    @Test
    void shouldSayUnknownWithoutCountersOrWithoutTheApplicationsThreads() {
        RunQueue.Snapshot some = new RunQueue.Snapshot(Map.of(7, new RunQueue.Task("other", 1L, 1L)));

        assertThat(RunQueue.between(RunQueue.Snapshot.EMPTY, some, 20.0, APP)).isEqualTo(Results.RunDelay.UNKNOWN);
        Results.RunDelay noApp = RunQueue.between(some, some, 20.0, APP);
        assertThat(noApp.streamThreadCpuMsPerSecond()).isNaN();
        assertThat(noApp.streamThreadWaitMsPerSecond()).isNaN();
        assertThat(noApp.jvmWaitMsPerSecond()).isEqualTo(0.0);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void shouldReadThisJvmsOwnThreadsIncludingTheCallingOne() {
        RunQueue.Snapshot now = RunQueue.take();

        assertThat(now.tasks()).isNotEmpty();
        assertThat(now.tasks().values()).allSatisfy(task -> {
            assertThat(task.name().length()).isLessThanOrEqualTo(RunQueue.KERNEL_NAME_LENGTH);
            assertThat(task.cpuNanos()).isNotNegative();
            assertThat(task.waitNanos()).isNotNegative();
        });
        assertThat(now.tasks().values()).anyMatch(task -> task.cpuNanos() > 0);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void shouldReadAnotherProcesssThreadsByItsPid() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            RunQueue.Snapshot snapshot = RunQueue.take(child.pid());

            assertThat(snapshot.tasks()).containsKey((int) child.pid());
            assertThat(snapshot.tasks().get((int) child.pid()).name()).isEqualTo("sleep");
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertThat(RunQueue.take(child.pid()).tasks()).as("a process that is gone has no threads").isEmpty();
    }
}

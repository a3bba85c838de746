package io.pulse.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How long this JVM's threads waited for a core, from the kernel's scheduler statistics ({@code
 * /proc/self/task/<tid>/schedstat}: time on a core, time runnable but waiting for one, in nanoseconds). A latency row
 * reads them at the start and end of its measured window, so that a stream thread that falls behind can be told apart
 * as starved of the CPU (it waited) or busy (it ran): JFR samples a thread in Java code whether or not it is on a
 * core, and cannot (benchmarks/README item 26). Linux only; elsewhere {@link #take} is empty and the row says "-".
 */
final class RunQueue {

    private RunQueue() {
    }

    /** One thread's counters: its name as the kernel has it (the first 15 characters), CPU and wait nanoseconds. */
    record Task(String name, long cpuNanos, long waitNanos) {
    }

    /** The counters of every thread alive at one moment, by thread id. */
    record Snapshot(Map<Integer, Task> tasks) {

        static final Snapshot EMPTY = new Snapshot(Map.of());
    }

    /** This JVM's threads now; empty where {@code /proc} has no scheduler statistics. */
    static Snapshot take() {
        return take(Path.of("/proc/self/task"));
    }

    /** The threads of process {@code pid} (a child pipeline's JVM) now; empty if it cannot be read. */
    static Snapshot take(long pid) {
        return take(Path.of("/proc", Long.toString(pid), "task"));
    }

    private static Snapshot take(Path tasks) {
        if (!Files.isDirectory(tasks)) {
            return Snapshot.EMPTY;
        }
        Map<Integer, Task> read = new HashMap<>();
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> {
                try {
                    String[] stat = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
                    read.put(Integer.parseInt(task.getFileName().toString()), new Task(
                            Files.readString(task.resolve("comm")).trim(), Long.parseLong(stat[0]),
                            Long.parseLong(stat[1])));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read: it is not in both snapshots anyway
                }
            });
        } catch (IOException e) {
            return Snapshot.EMPTY;
        }
        return new Snapshot(Map.copyOf(read));
    }

    /**
     * Per second of the window between two snapshots: the stream thread's time on a core and waiting for one, every
     * thread's waiting in all and the JIT compiler threads' time on a core (threads alive at both ends). The stream thread is the busiest of the threads whose
     * kernel name is the first 15 characters of {@code threadNamePrefix} (the application id: Kafka Streams names its
     * threads {@code <application id>-StreamThread-1} and the like, and with one stream thread the others of the
     * application — its global and state-updater threads — hardly run); NaN where it cannot be told.
     */
    static Results.RunDelay between(Snapshot before, Snapshot after, double seconds, String threadNamePrefix) {
        if (seconds <= 0 || before.tasks().isEmpty() || after.tasks().isEmpty()) {
            return Results.RunDelay.UNKNOWN;
        }
        String kernelName = threadNamePrefix.length() > KERNEL_NAME_LENGTH
                ? threadNamePrefix.substring(0, KERNEL_NAME_LENGTH) : threadNamePrefix;
        long allWait = 0;
        long jitCpu = 0;
        long streamCpu = -1;
        long streamWait = 0;
        for (Map.Entry<Integer, Task> entry : after.tasks().entrySet()) {
            Task start = before.tasks().get(entry.getKey());
            if (start == null) {
                continue;
            }
            Task end = entry.getValue();
            long cpu = end.cpuNanos() - start.cpuNanos();
            long wait = end.waitNanos() - start.waitNanos();
            allWait += wait;
            if (isJitCompiler(end.name())) {
                jitCpu += cpu;
            }
            if (end.name().equals(kernelName) && cpu > streamCpu) {
                streamCpu = cpu;
                streamWait = wait;
            }
        }
        double perSecond = 1e6 * seconds; // nanoseconds per millisecond, times seconds
        return new Results.RunDelay(streamCpu < 0 ? Double.NaN : streamCpu / perSecond,
                streamCpu < 0 ? Double.NaN : streamWait / perSecond, allWait / perSecond, jitCpu / perSecond);
    }

    /** HotSpot's compiler threads: {@code C1 CompilerThread0}, {@code C2 CompilerThread1}, … (as the kernel cuts them). */
    static boolean isJitCompiler(String kernelName) {
        return kernelName.startsWith("C1 CompilerThre") || kernelName.startsWith("C2 CompilerThre");
    }

    /** Linux keeps the first 15 bytes of a thread's name ({@code TASK_COMM_LEN} 16, with the terminating zero). */
    static final int KERNEL_NAME_LENGTH = 15;
}

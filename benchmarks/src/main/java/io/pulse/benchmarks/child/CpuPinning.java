package io.pulse.benchmarks.child;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which CPUs a benchmark's processes may run on, through Linux's {@code taskset} (util-linux): a child started on a
 * set of CPUs of its own, and this JVM (every thread it has, and so every thread and child process it starts later,
 * which inherit their creator's set) moved to the others. It lets a latency run give the pipeline the one core the
 * Kubernetes manifest requests for it while the broker and the load share the other, as they would not share it in a
 * deployment (benchmarks/README.md, item 28). Java has no API for a thread's CPU set, hence the command.
 */
public final class CpuPinning {

    private CpuPinning() {
    }

    /** {@code taskset -c <cpus> <command…>}: the command, started on {@code cpus} only. */
    public static List<String> onCpus(List<Integer> cpus, List<String> command) {
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", list(cpus)));
        pinned.addAll(command);
        return pinned;
    }

    /** The machine's CPUs ({@code 0 … processors-1}) that are not in {@code cpus}; fails if none is left. */
    public static List<Integer> others(List<Integer> cpus, int processors) {
        for (int cpu : cpus) {
            if (cpu < 0 || cpu >= processors) {
                throw new IllegalArgumentException("CPU " + cpu + " does not exist: this machine has CPUs 0 to "
                        + (processors - 1));
            }
        }
        List<Integer> others = new ArrayList<>();
        for (int cpu = 0; cpu < processors; cpu++) {
            if (!cpus.contains(cpu)) {
                others.add(cpu);
            }
        }
        if (others.isEmpty()) {
            throw new IllegalArgumentException("CPUs " + list(cpus) + " are all this machine has: leave at least one"
                    + " for the broker and the load");
        }
        return others;
    }

    /** Moves every thread of this JVM to {@code cpus} ({@code taskset -a -p -c <cpus> <pid>}). */
    public static void confineThisJvm(List<Integer> cpus) {
        List<String> command = List.of("taskset", "-a", "-p", "-c", list(cpus),
                Long.toString(ProcessHandle.current().pid()));
        String output;
        int exit;
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            exit = process.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run taskset (util-linux) to pin the benchmark to CPUs "
                    + list(cpus) + ": " + e.getMessage() + "; install util-linux or run without"
                    + " --latency-pipeline-cpus", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pinning the benchmark to CPUs " + list(cpus), e);
        }
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit + "): " + output);
        }
    }

    /** {@code 0,2,3}: the form {@code taskset -c} takes. */
    public static String list(List<Integer> cpus) {
        return cpus.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}

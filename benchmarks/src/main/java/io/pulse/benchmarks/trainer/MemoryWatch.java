package io.pulse.benchmarks.trainer;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory of this process while the benchmark runs. The JVM reports no true peak of the whole heap, so two views are
 * kept: the heap in use sampled every {@code period} (a lower bound: a peak between two samples is missed) and the sum
 * of every heap pool's own peak (an upper bound: the pools need not peak together). ND4J's arrays live off the heap;
 * the kernel's high-water mark of the resident set ({@code VmHWM} in {@code /proc/self/status}) covers them. Also
 * the process's nice value, which says how much the run yielded to the other work on the machine.
 */
final class MemoryWatch implements AutoCloseable {

    private final ScheduledExecutorService sampler;
    private final AtomicLong peakHeapUsed = new AtomicLong();

    private MemoryWatch(long periodMillis) {
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "trainer-bench-memory");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    static MemoryWatch start(long periodMillis) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        return new MemoryWatch(periodMillis);
    }

    private void sample() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        peakHeapUsed.accumulateAndGet(used, Math::max);
    }

    /** Current heap in use, bytes. */
    static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Highest sampled heap in use, bytes. */
    long peakHeapSampled() {
        sample();
        return peakHeapUsed.get();
    }

    /** Sum of the heap pools' peaks since {@link #start}, bytes. */
    static long peakHeapPoolsSum() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Collections and their total time in seconds, over all collectors since the JVM started. */
    static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** The resident set's high-water mark of this process in bytes, where {@code /proc/self/status} exists. */
    static OptionalLong maxRss() {
        try {
            return statusKilobytes(Files.readString(Path.of("/proc/self/status")), "VmHWM");
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The value of a {@code Key:   1234 kB} line of {@code /proc/<pid>/status}, in bytes. */
    static OptionalLong statusKilobytes(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] fields = line.substring(key.length() + 1).trim().split("\\s+");
                if (fields.length == 2 && fields[1].equals("kB")) {
                    return OptionalLong.of(Long.parseLong(fields[0]) * 1024);
                }
            }
        }
        return OptionalLong.empty();
    }

    /** This process's nice value, where {@code /proc/self/stat} exists. */
    static OptionalInt niceness() {
        try {
            return niceOf(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * The nice value (field 19) of a {@code /proc/<pid>/stat} line. Fields are counted after the command name's
     * closing parenthesis, since the name itself may hold spaces and parentheses.
     */
    static OptionalInt niceOf(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return OptionalInt.empty();
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state), so field 19 (nice) is fields[16]
        return fields.length > 16 ? OptionalInt.of(Integer.parseInt(fields[16])) : OptionalInt.empty();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}

package io.pulse.benchmarks.e2e;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.rocksdb.RocksDB;

/** What the numbers were measured on, and how busy the machine was: read from /proc where it exists. */
public final class Machine {

    private Machine() {
    }

    /** The 1-minute load average, or NaN where /proc/loadavg does not exist. */
    public static double loadAverage1m() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return Double.parseDouble(fields[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The three load averages as /proc/loadavg prints them, or "n/a". */
    public static String loadAverages() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** CPU time of this JVM (all threads: the broker, the streams threads, producers and consumers), in seconds. */
    public static double processCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /**
     * Time this JVM's JIT compilers have spent compiling so far, summed over the compiler threads, in seconds (NaN
     * where the JVM does not report it): how much of a run still went into compiling, i.e. whether it ran warm code.
     */
    public static double compilationSeconds() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() / 1e3
                : Double.NaN;
    }

    /**
     * This JVM's stop-the-world pauses so far, {count, total milliseconds}, from its collectors' beans; concurrent
     * collectors' cycle beans ({@code ZGC Cycles}, {@code G1 Concurrent GC}) time work that does not stop the
     * application and are left out.
     */
    static double[] gcPauses() {
        double count = 0;
        double millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().contains("Cycles") || gc.getName().contains("Concurrent") || gc.getCollectionCount() < 0) {
                continue;
            }
            count += gc.getCollectionCount();
            millis += gc.getCollectionTime();
        }
        return new double[] {count, millis};
    }

    /** One line per fact: processors, CPU model, memory, JDK, OS. */
    public static List<String> describe() {
        return List.of(
                "processors (nproc): " + Runtime.getRuntime().availableProcessors(),
                "CPU: " + cpuModel(),
                "memory: " + memTotal(),
                "JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + ")",
                "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                "JVM max heap: " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB",
                "garbage collector: " + collector());
    }

    /**
     * The stack the numbers depend on beyond the JDK, as the class path has it: the Kafka clients' and Kafka Streams'
     * version and the RocksJava (RocksDB) build the stores run on (Pulse pins it, pom.xml {@code rocksdb.version}).
     * Kafka's version is read where its clients log it at start-up (an internal class: a benchmark report's line, not
     * an API Pulse relies on).
     */
    public static String stack() {
        RocksDB.loadLibrary(); // the version is known once the native library is loaded (a no-op after the first call)
        return "Kafka " + AppInfoParser.getVersion() + ", RocksJava " + RocksDB.rocksdbVersion();
    }

    /** This JVM's collectors as it names them, and the -X/-XX flags it was started with (the launcher adds some). */
    static String collector() {
        String names = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> flag.startsWith("-X")).toList();
        return names + (flags.isEmpty() ? " (no -X flags)" : " (" + String.join(" ", flags) + ")");
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            String model = lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
            String flags = cpuFlags();
            return model + flags;
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuFlags() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            String flags = lines.filter(l -> l.startsWith("flags")).findFirst().orElse("");
            List<String> interesting = Stream.of("avx2", "fma", "avx512f")
                    .filter(f -> (" " + flags + " ").contains(" " + f + " ")).toList();
            return interesting.isEmpty() ? "" : " (" + String.join(", ", interesting) + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String memTotal() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal")).findFirst()
                    .map(l -> {
                        long kb = Long.parseLong(l.replaceAll("\\D", ""));
                        return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                    }).orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Total size of the regular files below {@code dir}, in bytes (0 if it does not exist). */
    public static long diskUsage(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}

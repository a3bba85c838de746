package io.pulse.deployment;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a JVM's settings fit the memory limit of its container. The heap is {@code MaxRAMPercentage} of the limit
 * (the JVM reads the cgroup limit); what lives outside the heap must fit in the rest:
 * <ul>
 *   <li>pipeline: RocksDB's shared block cache and write buffers ({@code rocksdb.*.bytes}) plus
 *       {@link #JVM_NON_HEAP} for metaspace, code cache, thread stacks, GC structures and network buffers;</li>
 *   <li>trainer: ND4J's off-heap arrays, capped by JavaCPP's {@code org.bytedeco.javacpp.maxbytes}, plus
 *       {@link #TRAINER_NON_HEAP} (the same, and OpenBLAS/OpenMP buffers); and JavaCPP's
 *       {@code maxphysicalbytes}, the process size at which it raises an OutOfMemoryError, must lie between what the
 *       heap and ND4J may use and the limit, so the JVM fails with a message before the kernel kills it.</li>
 * </ul>
 * The non-heap allowances are estimates for this class path (about 150 jars), not measurements of a container.
 */
final class MemoryBudget {

    static final long MIB = 1024L * 1024;
    static final long JVM_NON_HEAP = 384 * MIB;
    static final long TRAINER_NON_HEAP = 512 * MIB;

    private static final Pattern MAX_RAM_PERCENTAGE = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)");

    private MemoryBudget() {
    }

    static double maxRamPercentage(String javaOptions) {
        Matcher matcher = MAX_RAM_PERCENTAGE.matcher(javaOptions);
        if (!matcher.find()) {
            throw new AssertionError("no -XX:MaxRAMPercentage in '" + javaOptions + "'");
        }
        return Double.parseDouble(matcher.group(1));
    }

    static long heap(long limit, String javaOptions) {
        return (long) (limit * maxRamPercentage(javaOptions) / 100);
    }

    /** A {@code -Dname=SIZE} system property in JVM size notation ({@code 1g}, {@code 1536m}). */
    static long sizeProperty(String javaOptions, String name) {
        Matcher matcher = Pattern.compile("-D" + Pattern.quote(name) + "=(\\S+)").matcher(javaOptions);
        if (!matcher.find()) {
            throw new AssertionError("no -D" + name + " in '" + javaOptions + "'");
        }
        return jvmSize(matcher.group(1));
    }

    /** JVM and Docker notation: a number of bytes with an optional k, m or g (powers of 1024). */
    static long jvmSize(String size) {
        Matcher matcher = Pattern.compile("(\\d+)([kmg]?)b?").matcher(size.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new AssertionError("not a size: " + size);
        }
        long value = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "k" -> value * 1024;
            case "m" -> value * MIB;
            case "g" -> value * 1024 * MIB;
            default -> value;
        };
    }

    /** Kubernetes quantities: {@code 2Gi}, {@code 512Mi}, {@code 1G}, plain bytes. */
    static long kubernetesQuantity(String quantity) {
        Matcher matcher = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(quantity);
        if (!matcher.matches()) {
            throw new AssertionError("not a memory quantity: " + quantity);
        }
        long value = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "" : matcher.group(2);
        return switch (unit) {
            case "Ki" -> value << 10;
            case "Mi" -> value << 20;
            case "Gi" -> value << 30;
            case "Ti" -> value << 40;
            case "k" -> value * 1_000L;
            case "M" -> value * 1_000_000L;
            case "G" -> value * 1_000_000_000L;
            case "T" -> value * 1_000_000_000_000L;
            default -> value;
        };
    }
}

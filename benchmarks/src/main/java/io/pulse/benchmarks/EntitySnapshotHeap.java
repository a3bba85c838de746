package io.pulse.benchmarks;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The heap the broadcast snapshots take on every instance with {@code entities.snapshots.store=memory}: the pipeline's
 * own topology ({@link PulseTopology#build}, one entity type {@code terminal}, broadcast delivery, default horizons)
 * in a {@link TopologyTestDriver}, its global snapshot store filled through its source topic (the entity store's
 * changelog) with {@code n} terminals' windows as the entity task writes them ({@link EntityWindows#toBytes()} after
 * one transaction, ids {@code T} plus seven digits). Heap in use after a full collection is read before and after
 * the fill; the bytes an entity costs are the slope of that difference over several {@code n} (least squares, so
 * what the driver and the topology hold whatever {@code n} is drops out), once per repeat.
 *
 * <p>Run in a JVM of its own with room for the largest fill ({@code benchmarks/README.md}, item 41).
 */
@Command(name = "entity-snapshot-heap", mixinStandardHelpOptions = true,
        description = "Heap per entity of the broadcast snapshots kept in memory")
public final class EntitySnapshotHeap implements Callable<Integer> {

    private static final String TYPE = "terminal";

    @Option(names = "--sizes", split = ",", defaultValue = "100000,500000,1000000",
            description = "Entities per fill (default: ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--repeats", defaultValue = "3", description = "Fills of every size (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--out", required = true, description = "The report (Markdown) to write")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EntitySnapshotHeap()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        EntityWindowSpec spec = config(Path.of("unused")).entities().get(0);
        EntityWindows windows = EntityWindows.empty(spec);
        windows.observe(Instant.parse("2026-12-07T00:00:00Z").toEpochMilli(), 42.5);
        byte[] value = windows.toBytes();
        double[] slopes = new double[repeats];
        List<String> rows = new ArrayList<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
            double[] x = new double[sizes.size()];
            double[] y = new double[sizes.size()];
            for (int s = 0; s < sizes.size(); s++) {
                int n = sizes.get(s);
                long bytes = fill(n, value);
                x[s] = n;
                y[s] = bytes;
                rows.add(String.format(Locale.ROOT, "| %d | %,d | %,d | %.0f |", repeat + 1, n, bytes,
                        (double) bytes / n));
                System.out.printf(Locale.ROOT, "repeat %d: %,d entities, %,d bytes of heap (%.0f an entity)%n",
                        repeat + 1, n, bytes, (double) bytes / n);
            }
            slopes[repeat] = slope(x, y);
        }
        double[] sorted = slopes.clone();
        Arrays.sort(sorted);
        String report = String.join("\n",
                "# Heap of the broadcast snapshots kept in memory",
                "",
                "Command: `java -Xmx2g -cp \"target/classes:$(cat target/classpath.txt)\" "
                        + "io.pulse.benchmarks.EntitySnapshotHeap --sizes " + join(sizes) + " --repeats " + repeats
                        + " --out " + out + "` (from `benchmarks/`), written " + Instant.now() + " by "
                        + "`EntitySnapshotHeap`; JVM " + System.getProperty("java.vm.name") + " "
                        + Runtime.version() + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB.",
                "",
                "The pipeline's topology with `entities.types=" + TYPE + "`, `entities.delivery=broadcast`, "
                        + "`entities.snapshots.store=memory` (default horizons " + spec.horizons()
                        + ", label delay " + spec.labelDelay() + ", bucket " + spec.bucket()
                        + ") in a TopologyTestDriver; its global store filled through the entity store's changelog "
                        + "with `n` terminals' windows (" + value.length + " bytes each, ids of 8 characters). "
                        + "Heap in use after a full collection, before and after the fill:",
                "",
                "| repeat | entities | heap added, bytes | bytes an entity |",
                "|---:|---:|---:|---:|",
                String.join("\n", rows),
                "",
                String.format(Locale.ROOT,
                        "**Bytes an entity** (slope over the sizes, per repeat): median **%.0f**, min – max %.0f – "
                                + "%.0f; of them, %d are the windows themselves.",
                        sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], value.length),
                "");
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println("report written to " + out);
        return 0;
    }

    /** Heap added by {@code n} snapshots in the real topology's global store, after full collections. */
    private static long fill(int n, byte[] value) throws IOException {
        Path stateDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "snapshot-heap");
        try {
            PulseConfig config = config(stateDir);
            try (TopologyTestDriver driver = new TopologyTestDriver(
                    PulseTopology.build(config, PulseTopology.fallbackModel(config), PipelineMetrics.inMemory()),
                    config.streamsProperties())) {
                TestInputTopic<String, byte[]> changelog = driver.createInputTopic(config.entityChangelogTopic(TYPE),
                        new StringSerializer(), new ByteArraySerializer());
                long before = heapAfterCollection();
                for (int id = 0; id < n; id++) {
                    // a fresh array per entity, as each changelog record is deserialised into its own
                    changelog.pipeInput(String.format(Locale.ROOT, "T%07d", id), value.clone());
                }
                long after = heapAfterCollection();
                long entries = driver.getKeyValueStore(StateStores.entitySnapshots(TYPE)).approximateNumEntries();
                if (entries != n) {
                    throw new IllegalStateException("the snapshot store holds " + entries + " entities, not " + n);
                }
                return after - before;
            }
        } finally {
            Utils.delete(stateDir.toFile());
        }
    }

    /** One entity type with the default shape, broadcast, the snapshots on the heap. */
    private static PulseConfig config(Path stateDir) {
        return new PulseConfig(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, "mock://snapshot-heap", PulseConfig.STATE_DIR,
                stateDir.toString(), PulseConfig.ENTITIES_TYPES, TYPE, PulseConfig.ENTITIES_DELIVERY,
                PulseConfig.DELIVERY_BROADCAST, PulseConfig.ENTITIES_SNAPSHOTS_STORE, PulseConfig.SNAPSHOTS_IN_MEMORY));
    }

    private static long heapAfterCollection() {
        long used = Long.MAX_VALUE;
        for (int k = 0; k < 3; k++) { // the lowest of three full collections: nothing left for a later one to free
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Least-squares slope of y over x. */
    static double slope(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    private static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }
}

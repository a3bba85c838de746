package io.pulse.pipeline.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The gauges of one entity type, computed when they are read (a scrape), over the entity steps of that type open in
 * this instance (one per task): {@code pulse.entity.store.keys}, the sum of the steps' key counts;
 * {@code pulse.entity.store.bytes} from Kafka Streams' own RocksDB metrics of those tasks' {@code entity-<type>} stores
 * (live SST files plus memtables, every column family); and {@code pulse.entity.top.key.share}, the largest hot-entity
 * share among the tasks. Nothing here runs per event.
 *
 * <p>The key count is not RocksDB's {@code estimate-num-keys} (Kafka Streams' metric of that name): it counts every
 * overwrite in the memtables and in SST files not yet compacted, and an entity store is almost all overwrites (a
 * busy terminal is rewritten every commit), so it can be tens of times the real count; in Kafka Streams' metric it
 * also counts the column family of committed offsets, rewritten on every commit.
 */
final class EntityGauges {

    /** Kafka Streams' group, tag and metric names of a RocksDB key-value store's property metrics. */
    static final String ROCKSDB_GROUP = "stream-state-metrics";
    static final String STORE_TAG = "rocksdb-state-id";
    static final String TASK_TAG = "task-id";
    static final String LIVE_SST_BYTES = "live-sst-files-size";
    static final String MEMTABLE_BYTES = "cur-size-all-mem-tables";

    private record Task(Map<MetricName, ? extends Metric> streamsMetrics, Telemetry.EntityTaskView view) {
    }

    private final String store;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();

    /** @param store the type's store name (the entity steps name it: telemetry sits below the state layer) */
    EntityGauges(String type, String store, MeterRegistry registry) {
        this.store = store;
        Gauge.builder("pulse.entity.store.keys", this, EntityGauges::keys)
                .tag("type", type)
                .description("Entities in this instance's stores of the type (counted by the entity steps: the"
                        + " store's keys at task start, plus the entities created since)")
                .register(registry);
        Gauge.builder("pulse.entity.store.bytes", this, g -> g.sum(Set.of(LIVE_SST_BYTES, MEMTABLE_BYTES)))
                .tag("type", type)
                .description("Size of this instance's stores of the type: live SST files plus memtables (RocksDB"
                        + " properties)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("pulse.entity.top.key.share", this, EntityGauges::topKeyShare)
                .tag("type", type)
                .description("Hot-entity indicator: the most frequent entity's share of a task's last window of"
                        + " events of the type, the largest over this instance's tasks (NaN before any event)")
                .register(registry);
    }

    void opened(String taskId, Map<MetricName, ? extends Metric> streamsMetrics, Telemetry.EntityTaskView view) {
        tasks.put(taskId, new Task(streamsMetrics, view));
    }

    void closed(String taskId) {
        tasks.remove(taskId);
    }

    /** The sum of the named RocksDB metrics of this type's store over the open tasks (0 with none). */
    double sum(Set<String> names) {
        Map<Map<MetricName, ? extends Metric>, Set<String>> byClient = new IdentityHashMap<>();
        tasks.forEach((taskId, task) -> byClient.computeIfAbsent(task.streamsMetrics(),
                m -> ConcurrentHashMap.newKeySet()).add(taskId));
        double total = 0;
        for (Map.Entry<Map<MetricName, ? extends Metric>, Set<String>> client : byClient.entrySet()) {
            total += sum(client.getKey().values(), names, client.getValue());
        }
        return total;
    }

    private double sum(Collection<? extends Metric> metrics, Set<String> names, Set<String> taskIds) {
        double total = 0;
        for (Metric metric : metrics) {
            MetricName name = metric.metricName();
            if (names.contains(name.name()) && ROCKSDB_GROUP.equals(name.group())
                    && store.equals(name.tags().get(STORE_TAG)) && taskIds.contains(name.tags().get(TASK_TAG))
                    && metric.metricValue() instanceof Number value) {
                total += value.doubleValue();
            }
        }
        return total;
    }

    double keys() {
        double total = 0;
        for (Task task : tasks.values()) {
            total += task.view().keys();
        }
        return total;
    }

    double topKeyShare() {
        double top = Double.NaN;
        for (Task task : tasks.values()) {
            double share = task.view().topKeyShare();
            top = Double.isNaN(top) || share > top ? share : top;
        }
        return top;
    }
}

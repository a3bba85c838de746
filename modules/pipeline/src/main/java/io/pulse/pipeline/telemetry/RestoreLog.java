package io.pulse.pipeline.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator what a start restores: one log line when a store partition starts restoring from its changelog
 * (with how many records are behind) and one when it is done (with the records and the time it took), and the count
 * {@code pulse_state_restored_records_total{store}}. After a clean restart, or a crash with transactional state stores,
 * nothing or only the last commit interval's writes are restored; after a lost disk, everything.
 */
public final class RestoreLog implements StateRestoreListener {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreLog.class);

    private final MeterRegistry registry;
    /** When each store partition with records to restore started (partitions with nothing to restore stay quiet). */
    private final Map<TopicPartition, Long> startedNanos = new ConcurrentHashMap<>();

    public RestoreLog(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
        if (endingOffset <= startingOffset) {
            return;
        }
        startedNanos.put(partition, System.nanoTime());
        LOG.info("restoring store {} from {} (offsets {} to {}, about {} records)", storeName, partition,
                startingOffset, endingOffset, endingOffset - startingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
        Counter.builder("pulse.state.restored.records").tag("store", storeName)
                .description("Records restored into the state stores from their changelogs since this start")
                .register(registry).increment(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        Long started = startedNanos.remove(partition);
        if (started != null) {
            LOG.info("restored store {} from {}: {} records in {} ms", storeName, partition, totalRestored,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
        if (startedNanos.remove(partition) == null) {
            return;
        }
        LOG.info("restoring store {} from {} suspended after {} records (the task moved to another instance)",
                storeName, partition, totalRestored);
    }
}

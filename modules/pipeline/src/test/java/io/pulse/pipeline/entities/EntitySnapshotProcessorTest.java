package io.pulse.pipeline.entities;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The global store of broadcast snapshots: what it keeps, and the gauges and lag it reports. */
class EntitySnapshotProcessorTest {

    private static final EntityWindowSpec TERMINAL = EntityWindowSpec.daily("terminal");
    private static final long STARTED_AT = 1_765_000_000_000L;

    private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    private final KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(StateStores.entitySnapshots(TERMINAL.type())), Serdes.String(),
            Serdes.ByteArray()).withLoggingDisabled().build();
    private final PipelineMetrics metrics = PipelineMetrics.inMemory();
    private final EntitySnapshotProcessor processor = new EntitySnapshotProcessor(TERMINAL.type(), metrics);

    EntitySnapshotProcessorTest() {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        context.setCurrentSystemTimeMs(STARTED_AT);
        processor.init(context);
    }

    @Test
    void shouldKeepEachEntitysLatestSnapshotAndCountThem() {
        byte[] first = windows(1).toBytes();
        byte[] second = windows(2).toBytes();

        processor.process(new Record<>("T-1", first, STARTED_AT - 5_000));
        processor.process(new Record<>("T-2", first, STARTED_AT - 4_000));
        processor.process(new Record<>("T-1", second, STARTED_AT - 3_000));
        processor.process(new Record<>(null, second, STARTED_AT - 2_000));

        assertThat(store.get("T-1")).isEqualTo(second);
        assertThat(store.get("T-2")).isEqualTo(first);
        assertThat(metrics.registry().get("pulse.entity.snapshots.keys").tag("type", "terminal").gauge().value())
                .isEqualTo(2.0);
        processor.process(new Record<>("T-2", null, STARTED_AT - 1_000));
        assertThat(store.get("T-2")).as("a tombstone removes the entity").isNull();
    }

    @Test
    void shouldTimeHowFarLiveSnapshotsTrailTheirLastRecordButNotTheReadBackAtStart() {
        // read back from the changelog as the store opens: records from before it, not lag
        processor.process(new Record<>("T-1", windows(1).toBytes(), STARTED_AT - 86_400_000L));
        assertThat(metrics.registry().find("pulse.entity.snapshot.lag").timer()).isNull();

        // live: a payment produced at +100 ms, committed by its entity task, read by the global thread at +250 ms
        context.setCurrentSystemTimeMs(STARTED_AT + 250);
        processor.process(new Record<>("T-1", windows(2).toBytes(), STARTED_AT + 100));
        context.setCurrentSystemTimeMs(STARTED_AT + 400);
        processor.process(new Record<>("T-2", windows(1).toBytes(), STARTED_AT + 370));

        Timer lag = metrics.registry().get("pulse.entity.snapshot.lag").tag("type", "terminal").timer();
        assertThat(lag.count()).isEqualTo(2);
        assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(150.0 + 30.0);
        assertThat(lag.max(TimeUnit.MILLISECONDS)).isEqualTo(150.0);
    }

    private static EntityWindows windows(int transactions) {
        EntityWindows windows = EntityWindows.empty(TERMINAL);
        for (int t = 0; t < transactions; t++) {
            windows.observe(STARTED_AT - 60_000 + t, 10.0);
        }
        return windows;
    }
}

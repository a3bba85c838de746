package io.pulse.pipeline.entities;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.pipeline.processing.InputRecord;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Broadcast delivery in the user task of partition 1 of several: the entity's features come from this partition's
 * windows, current, plus the other partitions' as the global store has them (and never this partition's own entry
 * there, which is older); the event and a fraud label are counted into this partition's windows only.
 */
class BroadcastEntityProcessorTest {

    private static final EntityWindowSpec TERMINAL = EntityWindowSpec.daily("terminal");
    private static final long T0 = 1_533_081_600_000L;
    private static final long MINUTE = 60_000L;
    private static final int PARTITION = 1;

    private final MockProcessorContext<String, InputRecord> context = new MockProcessorContext<>(new Properties(),
            new TaskId(0, PARTITION), null);
    private final KeyValueStore<String, byte[]> own = store(StateStores.entity(TERMINAL.type()));
    private final KeyValueStore<String, byte[]> global = store(StateStores.entityPartials(TERMINAL.type()));
    private final BroadcastEntityProcessor processor = new BroadcastEntityProcessor(List.of(TERMINAL),
            PipelineMetrics.inMemory());

    private KeyValueStore<String, byte[]> store(String name) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    /** The windows a partition counted: transactions one minute apart from {@code from}. */
    private static EntityWindows counted(long from, int transactions) {
        EntityWindows windows = EntityWindows.empty(TERMINAL);
        for (int i = 0; i < transactions; i++) {
            windows.observe(from + i * MINUTE, 20.0);
        }
        return windows;
    }

    private static EntityMessage payment(String terminal, long at, double amount) {
        return EntityMessage.event("u-7", new String[] {terminal}, at, amount, new byte[] {1},
                new float[TERMINAL.featureCount()]);
    }

    @Test
    void shouldReadTheWholeEntityFromThisPartitionsWindowsAndTheOthersAndCountTheEventHereOnly() {
        EntityWindows mine = counted(T0, 2);
        EntityWindows zero = counted(T0 + 5 * MINUTE, 3);
        EntityWindows two = counted(T0 + 30 * MINUTE, 1);
        own.put("T-1", mine.toBytes());
        byte[] packed = EntityPartials.with(null, 0, zero.toBytes());
        packed = EntityPartials.with(packed, PARTITION, counted(T0, 1).toBytes()); // this partition's, committed earlier
        packed = EntityPartials.with(packed, 2, two.toBytes());
        global.put("T-1", packed);
        processor.init(context);
        long at = T0 + 40 * MINUTE;

        processor.process(new Record<>("u-7", payment("T-1", at, 75.0), at));

        EntityWindows whole = counted(T0, 2);
        whole.add(counted(T0 + 5 * MINUTE, 3));
        whole.add(counted(T0 + 30 * MINUTE, 1));
        float[] expected = new float[TERMINAL.featureCount()];
        whole.encode(at, expected, 0);
        InputRecord.Enriched scored = (InputRecord.Enriched) context.forwarded().get(0).record().value();
        assertThat(scored.entityFeatures()).containsExactly(expected);
        assertThat(context.forwarded().get(0).record().key()).isEqualTo("u-7");
        assertThat(EntityWindows.fromBytes(TERMINAL, own.get("T-1")).transactionsSeen()).isEqualTo(3);
        assertThat(global.get("T-1")).as("the global store is the changelog's to write").isEqualTo(packed);
    }

    @Test
    void shouldCountANewEntityAndAFraudLabelInThisPartitionAndMarkAMissingOne() {
        processor.init(context);

        processor.process(new Record<>("u-7", payment("T-new", T0, 10.0), T0));
        processor.process(new Record<>("u-7", payment(null, T0 + MINUTE, 10.0), T0 + MINUTE));
        processor.process(new Record<>("u-7", EntityMessage.fraudLabel("u-7", new String[] {"T-new"}, T0),
                T0 + 8 * 24 * 60 * MINUTE));

        float[] fresh = new float[TERMINAL.featureCount()];
        EntityWindows.empty(TERMINAL).encode(T0, fresh, 0);
        float[] missing = new float[TERMINAL.featureCount()];
        EntityWindows.encodeMissing(TERMINAL, missing, 0);
        assertThat(context.forwarded()).hasSize(2); // the label ends here
        assertThat(((InputRecord.Enriched) context.forwarded().get(0).record().value()).entityFeatures())
                .containsExactly(fresh);
        assertThat(((InputRecord.Enriched) context.forwarded().get(1).record().value()).entityFeatures())
                .containsExactly(missing);
        EntityWindows counted = EntityWindows.fromBytes(TERMINAL, own.get("T-new"));
        assertThat(counted.transactionsSeen()).isEqualTo(1);
        assertThat(counted.fraudsSeen()).isEqualTo(1);
        assertThat(own.approximateNumEntries()).isEqualTo(1);
    }
}

package io.pulse.pipeline.entities;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** An entity step's key count: the store's keys when its task starts, then one more per entity it creates. */
class EntityProcessorMetricsTest {

    private static final EntityWindowSpec TERMINAL = EntityWindowSpec.daily("terminal");

    @Test
    void shouldCountTheKeysAlreadyInTheStoreAtTaskStartAndEveryEntityCreatedSince() {
        MockProcessorContext<String, EntityMessage> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(StateStores.entity(TERMINAL.type())), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        for (int i = 0; i < 10; i++) {
            store.put("T-" + i, EntityWindows.empty(TERMINAL).toBytes()); // restored before the task starts
        }
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        EntityProcessor step = new EntityProcessor(TERMINAL, 0, 0, true, false, metrics);

        step.init(context);
        assertThat(keys(metrics)).isEqualTo(10.0);
        step.process(event("T-3"));
        step.process(event("T-new"));
        step.process(event("T-new"));

        assertThat(keys(metrics)).isEqualTo(11.0);
        step.close();
        assertThat(keys(metrics)).as("a closed task's store is no longer this instance's").isZero();
    }

    private static double keys(PipelineMetrics metrics) {
        return metrics.registry().get("pulse.entity.store.keys").tag("type", "terminal").gauge().value();
    }

    private static Record<String, EntityMessage> event(String terminal) {
        EntityMessage message = EntityMessage.event("u-1", new String[] {terminal}, 1_000L, 5.0, new byte[] {1},
                new float[TERMINAL.featureCount()], 900L);
        return new Record<>(terminal, message, 1_000L);
    }
}

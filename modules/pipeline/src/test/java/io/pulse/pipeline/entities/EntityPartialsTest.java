package io.pulse.pipeline.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * An entity's partial windows by partition, as the global store of broadcast delivery keeps them, and the global
 * processor that keeps them from the entity store's changelog.
 */
class EntityPartialsTest {

    private static final EntityWindowSpec TERMINAL = EntityWindowSpec.daily("terminal");
    private static final long T0 = 1_533_081_600_000L;

    private static byte[] windows(int transactions, long from) {
        EntityWindows windows = EntityWindows.empty(TERMINAL);
        for (int i = 0; i < transactions; i++) {
            windows.observe(from + i * 60_000L, 10.0);
        }
        return windows.toBytes();
    }

    @Test
    void shouldAddReplaceAndRemoveAPartitionsWindowsAndAddThemUpWithoutTheExcludedOne() {
        byte[] packed = EntityPartials.with(null, 2, windows(2, T0));
        packed = EntityPartials.with(packed, 0, windows(3, T0 + 1_000));
        packed = EntityPartials.with(packed, 5, windows(1, T0 + 2_000));
        packed = EntityPartials.with(packed, 2, windows(4, T0 + 3_000)); // partition 2's newer windows replace its old

        assertThat(EntityPartials.whole(TERMINAL, packed).transactionsSeen()).isEqualTo(3 + 4 + 1);
        EntityWindows others = EntityWindows.empty(TERMINAL);
        assertThat(EntityPartials.addTo(others, packed, 2)).isEqualTo(2);
        assertThat(others.transactionsSeen()).isEqualTo(3 + 1);
        // the same bytes whatever order the partitions came in
        byte[] reordered = EntityPartials.with(EntityPartials.with(EntityPartials.with(null, 5, windows(1, T0 + 2_000)),
                2, windows(4, T0 + 3_000)), 0, windows(3, T0 + 1_000));
        assertThat(reordered).isEqualTo(packed);

        byte[] without = EntityPartials.with(packed, 0, null);
        assertThat(EntityPartials.whole(TERMINAL, without).transactionsSeen()).isEqualTo(4 + 1);
        assertThat(EntityPartials.with(EntityPartials.with(without, 2, null), 5, null)).isNull();
    }

    @Test
    void shouldRefuseBytesThatAreNotPartials() {
        byte[] bare = windows(1, T0); // an entity store's value, not the global store's

        assertThatThrownBy(() -> EntityPartials.whole(TERMINAL, bare)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not entity partials");
        assertThatThrownBy(() -> EntityPartials.with(null, -1, bare)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepEachChangelogPartitionsWindowsOfAnEntityInTheGlobalStore() {
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("entity-terminal-partials"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        EntityPartialsProcessor processor = new EntityPartialsProcessor("entity-terminal-partials");
        processor.init(context);
        String changelog = "pulse-entity-terminal-changelog";

        context.setRecordMetadata(changelog, 1, 10L);
        processor.process(new Record<>("T-1", windows(2, T0), T0));
        context.setRecordMetadata(changelog, 3, 4L);
        processor.process(new Record<>("T-1", windows(5, T0), T0));
        context.setRecordMetadata(changelog, 1, 11L);
        processor.process(new Record<>("T-1", windows(3, T0), T0)); // partition 1's newer windows
        processor.process(new Record<>(null, windows(1, T0), T0)); // never written by Pulse: ignored

        assertThat(EntityPartials.whole(TERMINAL, store.get("T-1")).transactionsSeen()).isEqualTo(3 + 5);
        assertThat(store.approximateNumEntries()).isEqualTo(1);
        context.setRecordMetadata(changelog, 1, 12L);
        processor.process(new Record<>("T-1", null, T0));
        context.setRecordMetadata(changelog, 3, 5L);
        processor.process(new Record<>("T-1", null, T0));
        assertThat(store.get("T-1")).isNull();
    }
}

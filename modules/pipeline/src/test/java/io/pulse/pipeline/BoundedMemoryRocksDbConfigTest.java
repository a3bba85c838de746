package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

class BoundedMemoryRocksDbConfigTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void shouldShareOneBudgetAmongStoresConfiguredAlikeAndGiveAnotherBudgetItsOwn() {
        Map<String, Object> small = Map.of(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, 16L << 20,
                BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, 8L << 20);
        Map<String, Object> large = Map.of(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, "33554432",
                BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, "8388608");

        WriteBufferManager userState = configured("user-state", small);
        WriteBufferManager scoredEvents = configured("scored-events", small);
        WriteBufferManager otherApplication = configured("user-state", large);

        assertThat(scoredEvents).as("the stores of one instance share its budget").isSameAs(userState);
        assertThat(otherApplication).as("another budget in the same JVM is its own, not the first one's")
                .isNotSameAs(userState);
        assertThat(configured("inactivity-index", large)).isSameAs(otherApplication);
    }

    private static WriteBufferManager configured(String store, Map<String, Object> configs) {
        try (Options options = new Options()) {
            options.setTableFormatConfig(new BlockBasedTableConfig());
            new BoundedMemoryRocksDbConfig().setConfig(store, options, configs);
            return options.writeBufferManager();
        }
    }
}

package io.pulse.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB store of this JVM with one shared block cache and one write-buffer manager (the
 * pattern of the Kafka Streams memory-management guide): without it each store, and each segment of a window store,
 * gets its own caches and memtables, and memory grows with the number of partitions. One pair per budget: an instance
 * (one per JVM in a deployment) shares one cache among all its stores; applications with other budgets in the same JVM
 * (tests, the benchmark's diagnostic runs) each get the cache they were configured with, not the first one's.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

    /** Streams config key: bytes of the shared block cache (index, filter and data blocks). */
    public static final String BLOCK_CACHE_BYTES = "pulse.rocksdb.block.cache.bytes";
    /** Streams config key: bytes all memtables together may use; counted against the block cache. */
    public static final String WRITE_BUFFER_BYTES = "pulse.rocksdb.write.buffer.bytes";

    private static final long DEFAULT_BLOCK_CACHE_BYTES = 64L * 1024 * 1024;
    private static final long DEFAULT_WRITE_BUFFER_BYTES = 32L * 1024 * 1024;

    /** The shared cache and write-buffer manager of each budget (block cache bytes, write buffer bytes). */
    private static final Map<List<Long>, SharedResources> SHARED = new ConcurrentHashMap<>();

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        SharedResources shared = shared(configs);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        // one cache for all stores: the bound is per JVM, not per store
        table.setBlockCache(shared.cache());
        // index and filter blocks live in (and are evicted from) the same cache instead of growing unbounded
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        // and are partitioned into 4 KiB metadata blocks under a small top-level index, pinned. With RocksDB's
        // default, one index block and one filter per SST file, the large files of a big state have index and filter
        // blocks of hundreds of KiB, which the cache evicts among the data blocks and a read then loads whole again
        // (RocksDB wiki, "Partitioned Index Filters"); faster at a million users, benchmarks/README.md item 23
        table.setIndexType(IndexType.kTwoLevelIndexSearch);
        table.setPartitionFilters(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        // memtables draw from the shared budget as well
        options.setWriteBufferManager(shared.writeBufferManager());
        // per-user state is small and point-read: fewer, smaller memtables are plenty
        options.setMaxWriteBufferNumber(2);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write-buffer manager are shared by every store and live as long as the JVM
    }

    private record SharedResources(Cache cache, WriteBufferManager writeBufferManager) {
    }

    private static SharedResources shared(Map<String, Object> configs) {
        long cacheBytes = longValue(configs.get(BLOCK_CACHE_BYTES), DEFAULT_BLOCK_CACHE_BYTES);
        long writeBytes = longValue(configs.get(WRITE_BUFFER_BYTES), DEFAULT_WRITE_BUFFER_BYTES);
        return SHARED.computeIfAbsent(List.of(cacheBytes, writeBytes), budget -> {
            // high-priority pool for index and filter blocks: 10 % of the cache
            Cache cache = new LRUCache(cacheBytes, -1, false, 0.1);
            return new SharedResources(cache, new WriteBufferManager(writeBytes, cache));
        });
    }

    private static long longValue(Object value, long defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
    }
}

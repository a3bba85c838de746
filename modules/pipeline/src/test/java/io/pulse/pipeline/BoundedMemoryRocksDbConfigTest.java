package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.TableProperties;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

class BoundedMemoryRocksDbConfigTest {

    private static final int STATE_BYTES = 440; // about one user's state
    /** A small memory budget for the stores these specs open. */
    private static final Map<String, Object> BUDGET = Map.of(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, 16L << 20,
            BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, 8L << 20);
    /** A store written by RocksJava 10.1.3 (test resources), and the users it was written with. */
    private static final String OLD_STORE = "rocksdb-10.1.3-store";
    private static final int OLD_STORE_USERS = 4_000;

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

    @Test
    void shouldWritePartitionedIndexAndFiltersAndStillReadTablesWrittenWithoutThem(@TempDir Path dir)
            throws RocksDBException {
        int users = 40_000;
        // an instance before partitioning (one index block and one filter per file) wrote every fourth user ...
        writeAndFlush(dir, null, users, 0);
        // ... and the upgraded one the users two after them, into the same store; odd users are never written
        Map<String, TableProperties> tables = writeAndFlush(dir, BUDGET, users, 2);

        assertThat(tables.values()).as("the file written before the upgrade and the one written after it")
                .hasSize(2)
                .anySatisfy(table -> assertThat(table.getIndexPartitions()).isZero())
                .anySatisfy(table -> {
                    assertThat(table.getIndexPartitions()).as("index partitions of a %d-byte index",
                            table.getIndexSize()).isGreaterThan(1);
                    assertThat(table.getTopLevelIndexSize()).isPositive().isLessThan(table.getIndexSize());
                });
        assertThat(tables.values())
                .allSatisfy(table -> assertThat(table.getFilterPolicyName()).containsIgnoringCase("bloom"));
        try (BloomFilter bloom = new BloomFilter(); Options options = kafkaStreamsDefaults(bloom, BUDGET);
                RocksDB db = RocksDB.open(options, dir.toString())) {
            for (int user = 0; user < users; user += 7) {
                byte[] read = db.get(key(user));
                if (user % 2 == 0) {
                    assertThat(read).as("user %d", user).hasSize(STATE_BYTES).containsOnly((byte) user);
                } else {
                    assertThat(read).as("user %d", user).isNull();
                }
            }
        }
    }

    /**
     * State directories outlive upgrades: an instance upgraded to the RocksJava Pulse pins (pom.xml
     * {@code rocksdb.version}) opens the stores the previous one left, written by the RocksJava that Kafka Streams 4.4
     * brings. The fixture is such a store, written by {@link #main} with RocksJava 10.1.3: one file without and one
     * with the setter's partitioned index and filters, as an instance's store has after the upgrade of item 23.
     */
    @Test
    void shouldReadAndRewriteAStoreThatTheRocksJavaOfKafkaStreams44Wrote(@TempDir Path dir) throws Exception {
        Path fixture = Path.of(BoundedMemoryRocksDbConfigTest.class.getResource("/" + OLD_STORE).toURI());
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName().toString()));
            }
        }
        String writtenBy;
        try (Stream<Path> files = Files.list(dir)) {
            Path options = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).findFirst()
                    .orElseThrow();
            writtenBy = Files.readAllLines(options).stream().map(String::trim)
                    .filter(line -> line.startsWith("rocksdb_version=")).findFirst().orElseThrow()
                    .substring("rocksdb_version=".length());
        }
        assertThat(writtenBy).isEqualTo("10.1.3");
        assertThat(RocksDB.rocksdbVersion().toString()).as("the RocksJava on the class path").isNotEqualTo(writtenBy);

        assertReadsBack(dir, BUDGET, OLD_STORE_USERS, 2);
        // the upgraded instance writes the users in between and compacts: every old file is read and rewritten
        writeAndFlush(dir, BUDGET, OLD_STORE_USERS, 1);
        writeAndFlush(dir, BUDGET, OLD_STORE_USERS, 3);
        try (BloomFilter bloom = new BloomFilter(); Options options = kafkaStreamsDefaults(bloom, BUDGET);
                RocksDB db = RocksDB.open(options, dir.toString())) {
            db.compactRange();
        }
        assertReadsBack(dir, BUDGET, OLD_STORE_USERS, 1);
    }

    /**
     * Writes the fixture of {@link #shouldReadAndRewriteAStoreThatTheRocksJavaOfKafkaStreams44Wrote} into the empty
     * directory {@code args[0]}; run it with the old RocksJava on the class path (the command is under *Commands* in
     * benchmarks/README.md). RocksDB's text logs are left out of the fixture.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        RocksDB.loadLibrary();
        writeAndFlush(dir, null, OLD_STORE_USERS, 0);
        writeAndFlush(dir, BUDGET, OLD_STORE_USERS, 2);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path log : files.filter(f -> f.getFileName().toString().startsWith("LOG")).toList()) {
                Files.delete(log);
            }
        }
        System.out.println("RocksJava " + RocksDB.rocksdbVersion() + " wrote " + dir);
    }

    /** Users {@code 0, step, 2 step, ...} hold their state; every other user below {@code users} has none. */
    private static void assertReadsBack(Path dir, Map<String, Object> budget, int users, int step)
            throws RocksDBException {
        try (BloomFilter bloom = new BloomFilter(); Options options = kafkaStreamsDefaults(bloom, budget);
                RocksDB db = RocksDB.open(options, dir.toString())) {
            for (int user = 0; user < users; user++) {
                byte[] read = db.get(key(user));
                if (user % step == 0) {
                    assertThat(read).as("user %d", user).hasSize(STATE_BYTES).containsOnly((byte) user);
                } else {
                    assertThat(read).as("user %d", user).isNull();
                }
            }
        }
    }

    /** Writes users {@code first}, {@code first + 4}, ... below {@code users}; a null {@code budget}: no setter. */
    private static Map<String, TableProperties> writeAndFlush(Path dir, Map<String, Object> budget, int users,
            int first) throws RocksDBException {
        try (BloomFilter bloom = new BloomFilter(); Options options = kafkaStreamsDefaults(bloom, budget);
                RocksDB db = RocksDB.open(options, dir.toString());
                WriteOptions noWal = new WriteOptions().setDisableWAL(true);
                FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            byte[] state = new byte[STATE_BYTES];
            for (int user = first; user < users; user += 4) {
                Arrays.fill(state, (byte) user);
                db.put(noWal, key(user), state);
            }
            db.flush(flush);
            return db.getPropertiesOfAllTables();
        }
    }

    /** The options Kafka Streams sets before calling the config setter ({@code RocksDBStore#openDB}), then its own. */
    private static Options kafkaStreamsDefaults(BloomFilter bloom, Map<String, Object> budget) {
        Options options = new Options().setCreateIfMissing(true);
        options.setTableFormatConfig(new BlockBasedTableConfig().setBlockSize(4096L).setFilterPolicy(bloom));
        if (budget != null) {
            new BoundedMemoryRocksDbConfig().setConfig("user-state", options, budget);
        }
        return options;
    }

    private static byte[] key(int user) {
        return ("user-%07d".formatted(user)).getBytes(StandardCharsets.UTF_8);
    }

    private static WriteBufferManager configured(String store, Map<String, Object> configs) {
        try (Options options = new Options()) {
            options.setTableFormatConfig(new BlockBasedTableConfig());
            new BoundedMemoryRocksDbConfig().setConfig(store, options, configs);
            return options.writeBufferManager();
        }
    }
}

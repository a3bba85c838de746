package io.pulse.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * What one RocksDB point read costs through RocksJava when the key is there ({@link #getHit}) and when it is not
 * ({@link #getMiss}) (benchmarks/README.md, end-to-end item 35): every Kafka Streams store read that misses its record
 * cache ends in such a call — a new user's state, a deduplication lookup of an event not seen before. One database of
 * 200,000 user-state-sized values (490 bytes) under keys like Pulse's user ids, flushed to a table file, read with a
 * bloom filter of 10 bits a key and a block cache that holds it all (as Kafka Streams configures its stores, with
 * Pulse's shared cache large enough here); keys are read in turn, misses under ids that were never written. The
 * RocksJava on the class path decides the result: Kafka Streams 4.4 brings 10.1.3, where a key not found is reported
 * by a C++ exception thrown and caught inside the JNI call (facebook/rocksdb#13023); Pulse pins 10.10.1 instead (item
 * 36), and the commands in benchmarks/README run it with each. Nanoseconds per read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RocksDbGetBenchmark {

    private static final int KEYS = 200_000;
    private static final int VALUE_BYTES = 490;

    private Path directory;
    private LRUCache cache;
    private Options options;
    private RocksDB db;
    private byte[][] present;
    private byte[][] absent;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException, RocksDBException {
        RocksDB.loadLibrary();
        directory = Files.createTempDirectory("pulse-rocksdb-get");
        cache = new LRUCache(256L << 20);
        options = new Options().setCreateIfMissing(true).setTableFormatConfig(
                new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)).setBlockCache(cache));
        db = RocksDB.open(options, directory.toString());
        present = new byte[KEYS][];
        absent = new byte[KEYS][];
        byte[] value = new byte[VALUE_BYTES];
        for (int i = 0; i < KEYS; i++) {
            present[i] = ("user-" + i).getBytes(StandardCharsets.UTF_8);
            absent[i] = ("new-user-" + i).getBytes(StandardCharsets.UTF_8);
            value[i % VALUE_BYTES] = (byte) i;
            db.put(present[i], value);
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        db.close();
        options.close();
        cache.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Benchmark
    public byte[] getHit() throws RocksDBException {
        next = next + 1 == KEYS ? 0 : next + 1;
        return db.get(present[next]);
    }

    @Benchmark
    public byte[] getMiss() throws RocksDBException {
        next = next + 1 == KEYS ? 0 : next + 1;
        return db.get(absent[next]);
    }
}

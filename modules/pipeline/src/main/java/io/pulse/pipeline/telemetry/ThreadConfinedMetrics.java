package io.pulse.pipeline.telemetry;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Set;

/**
 * Keeps out of the exported metrics the Kafka Streams gauges that are not safe to evaluate on any thread but the
 * stream thread. Micrometer's Kafka Streams binder evaluates every gauge on the thread that scrapes
 * {@code /metrics}; the state stores' {@code uncommitted-bytes} gauge (Kafka Streams 4.4, transactional state stores,
 * which Pulse turns on) asks RocksDB for the size of the stream thread's current write batch, and evaluated while a
 * commit replaced that batch it crashed a JVM (SIGSEGV in {@code WriteBatch.getDataSize}, seen in the benchmark,
 * whose own metric reader read every gauge; benchmarks/README item 15). A scrape must never be able to kill the
 * pipeline, so these gauges are not registered at all (a denied meter's function is never called).
 */
public final class ThreadConfinedMetrics implements MeterFilter {

    /** Micrometer's names for them: {@code kafka.} + group + {@code .} + name, without "-metrics", dashes as dots. */
    static final Set<String> DENIED = Set.of("kafka.stream.state.uncommitted.bytes");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return DENIED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }
}

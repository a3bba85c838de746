package io.pulse.benchmarks;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an entity's windows cost the pipeline per event, outside Kafka Streams (benchmarks/README.md, end-to-end item
 * 33): {@link #entityStep} is the entity task's own work for one event — the stored windows read, the event counted,
 * the windows written back ({@code EntityProcessor}) — and {@link #broadcastRead} the user task's with broadcast
 * delivery — an entity's snapshot read and its features encoded at the event's time
 * ({@code BroadcastFeaturesProcessor}). The handbook's terminal shape (horizons 1, 7 and 30 days, labels after 7
 * days, daily cutoffs); 64 terminals in turn, each with a year of history behind it, and events a few minutes apart
 * with amounts drawn from seed 11. The result is nanoseconds per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EntityWindowsBenchmark {

    private static final int ENTITIES = 64;
    private static final long MINUTE = 60_000L;

    private final EntityWindowSpec spec = EntityWindowSpec.daily("terminal");
    private byte[][] stored;
    private double[] amounts;
    private float[] features;
    private long now;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(11);
        stored = new byte[ENTITIES][];
        now = 1_500_000_000_000L;
        for (int e = 0; e < ENTITIES; e++) {
            EntityWindows windows = EntityWindows.empty(spec);
            long t = now - 365 * 24 * 60 * MINUTE;
            while (t < now) {
                windows.observe(t, 5 + 100 * random.nextDouble());
                if (random.nextInt(200) == 0) {
                    windows.observeFraud(t - 7 * 24 * 60 * MINUTE);
                }
                t += random.nextLong(6 * 60 * MINUTE);
            }
            stored[e] = windows.toBytes();
        }
        amounts = random.doubles(ENTITIES, 5, 105).toArray();
        features = new float[spec.featureCount()];
    }

    @Benchmark
    public byte[] entityStep() {
        int e = next;
        next = (next + 1) % ENTITIES;
        now += 3 * MINUTE;
        EntityWindows windows = EntityWindows.fromBytes(spec, stored[e]);
        windows.observe(now, amounts[e]);
        stored[e] = windows.toBytes();
        return stored[e];
    }

    @Benchmark
    public float[] broadcastRead() {
        int e = next;
        next = (next + 1) % ENTITIES;
        now += 3 * MINUTE;
        EntityWindows.fromBytes(spec, stored[e]).encode(now, features, 0);
        return features;
    }
}

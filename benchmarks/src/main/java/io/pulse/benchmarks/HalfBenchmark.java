package io.pulse.benchmarks;

import io.pulse.model.Half;
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
 * What the user state's encode spends converting its recurrent state to half precision: the hidden and cell states of
 * a hidden-64 model, 128 floats per encode ({@link Half#fromFloat}, {@code UserStateCodec.encode}). The values are
 * drawn as an LSTM's are: hidden = tanh of a standard normal, cell a normal of standard deviation 2 (seed 7); 64
 * different states in turn, so that the branch predictor cannot learn one. The result is nanoseconds per state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HalfBenchmark {

    private static final int STATES = 64;
    private static final int HIDDEN = 64;

    private float[][] states;
    private short[] halves;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        states = new float[STATES][2 * HIDDEN];
        for (float[] state : states) {
            for (int i = 0; i < HIDDEN; i++) {
                state[i] = (float) Math.tanh(gaussian(random));
                state[HIDDEN + i] = (float) (2 * gaussian(random));
            }
        }
        halves = new short[2 * HIDDEN];
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian in Java 17
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Benchmark
    public short[] recurrentStateToHalves() {
        float[] state = states[next];
        next = (next + 1) % STATES;
        for (int i = 0; i < state.length; i++) {
            halves[i] = Half.fromFloat(state[i]);
        }
        return halves;
    }
}

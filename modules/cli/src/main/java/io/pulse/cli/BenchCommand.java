package io.pulse.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code pulse bench}: the benchmarks module's entry point ({@code io.pulse.benchmarks.BenchMain}) in a child JVM on
 * that module's class path, with the arguments as given: the end-to-end benchmark of the pipeline against its own
 * local broker and registry, with {@code --trainer} the trainer benchmark, or with {@code --interests} the interest
 * heads' cost per event (JMH). Its options and help are the benchmarks' own ({@code ./pulse bench --help}); the
 * launcher only finds and starts it ({@link CheckoutTool}), so JMH and benchmark code stay off the launcher's class
 * path and out of the image.
 */
@Command(name = "bench", customSynopsis = "pulse bench [--quick] [--trainer | --interests] [OPTION...]",
        description = {"Benchmark the pipeline end to end against a real local broker and registry (throughput,"
                + " latency, scaling, a JFR profile), with --trainer the trainer, or with --interests the interest"
                + " heads' cost per event (JMH); writes benchmarks/RESULTS.md (benchmarks/RESULTS-quick.md with"
                + " --quick).",
                "Runs the benchmarks module of a source checkout in its own JVM: ./pulse bench --help for its options"
                        + " (--quick, --trainer, --interests, --out, --users, ...)."})
final class BenchCommand implements Callable<Integer> {

    /**
     * What the benchmarks' JFR profiles need from the JVM, none of which changes the code it runs:
     * <ul>
     *   <li>debug information at every instruction, not only at safepoints, so that JFR attributes each sample to the
     *       method that was running: without it the full run of benchmarks/README.md item 20 put 11.4 % of the stream
     *       thread's top frames in {@code Arrays.hashCode}, samples that belonged to its callers (item 21);</li>
     *   <li>JFR started with the JVM (a recording of no events, its start-up lines silenced): a JDK 17 that starts
     *       JFR later, as a profile's {@code Recording} did, throws away all the code the JIT has compiled so far
     *       (JDK-8324241, fixed in later JDKs), so every profile was of a JVM recompiling its hot path and ran at
     *       0.34–0.96 of the measured rate (benchmarks/README.md item 33);</li>
     *   <li>stacks of up to 256 frames (JFR keeps 64 by default): a stream thread's stack from its run loop through
     *       the processors of the entity variants into the producer is deeper than 64, and a cut stack loses the
     *       steps it was in.</li>
     * </ul>
     */
    static final List<String> PROFILING_FLAGS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
            "-XX:StartFlightRecording=settings=none", "-Xlog:jfr+startup=off", "-XX:FlightRecorderOptions=stackdepth=256");

    static final CheckoutTool BENCHMARKS = new CheckoutTool("bench", "benchmarks", "benchmarks", "pulse-benchmarks.jar",
            "io.pulse.benchmarks.BenchMain", PROFILING_FLAGS);

    /** Every argument, options included, in order: they are the benchmarks' to parse. */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return BENCHMARKS.run(args);
    }
}

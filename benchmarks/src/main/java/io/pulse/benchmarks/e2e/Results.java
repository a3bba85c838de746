package io.pulse.benchmarks.e2e;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The records one benchmark invocation produces; {@link ResultsReport} turns them into tables. */
public final class Results {

    private Results() {
    }

    /**
     * The user-state store after a run.
     *
     * @param keys             user states in the store (the reserved clock entry excluded)
     * @param meanValueBytes   mean serialized state per user (value only)
     * @param maxValueBytes    largest serialized state
     * @param diskBytesTotal   every file of the application's state directory after close (RocksDB flushed)
     * @param diskBytesByStore the same by store name
     */
    public record StateStats(long keys, double meanValueBytes, long maxValueBytes, long diskBytesTotal,
            Map<String, Long> diskBytesByStore) {
    }

    /**
     * One throughput run: a fresh application id reading the whole input topic from the beginning.
     *
     * @param eventsPerSecond       events / (time from {@code KafkaStreams.start()} until the read_committed output
     *                              count reached the input count)
     * @param steadyEventsPerSecond the same from the first committed output on (start-up and first commit excluded)
     * @param appCpuSeconds         CPU of the application's own threads (stream, global, client I/O threads)
     * @param jvmCpuSeconds         CPU of the whole JVM (including the in-process broker and the reader)
     * @param jitSeconds            time the JVM's JIT compilers spent during the run ({@link Machine#compilationSeconds})
     * @param sideOutputs           other committed outputs (alerts, dead letters) by topic role
     * @param windowRates           committed outputs per second in consecutive steady-state windows
     *                              ({@link SteadyWindows}): the run's repeated measurements after its warm-up
     * @param framework             what Kafka Streams and its producers did in the run, from their own metrics (null
     *                              when not read)
     */
    public record Throughput(Variant variant, int threads, int repeat, long events, long outputs, double seconds,
            double eventsPerSecond, double steadyEventsPerSecond, double firstOutputSeconds, double appCpuSeconds,
            double jvmCpuSeconds, double jitSeconds, String loadBefore, String loadAfter, boolean completed,
            Map<String, Long> sideOutputs, StateStats state, Map<String, String> extraSettings,
            List<Double> windowRates, FrameworkWork framework) {

        public Throughput {
            windowRates = List.copyOf(windowRates);
        }

        /** The application's CPU (its threads: those whose names carry its application id) per input event, µs. */
        public double appCpuMicrosPerEvent() {
            return appCpuSeconds * 1e6 / events;
        }

        /** The median of {@link #windowRates}, NaN when the run was too short for one window. */
        public double medianWindowRate() {
            return windowRates.isEmpty() ? Double.NaN
                    : Percentiles.median(windowRates.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /**
     * One paced latency run of a Pulse variant ((c), or (f) with {@code --entities}). Latencies in milliseconds;
     * {@code visible*}: from the input record's timestamp (when the pacing had it due) to the moment a read_committed
     * consumer received the prediction; {@code processed*}: to the prediction's {@code predictedAt} (stream-thread
     * wall clock when it was scored). {@code senderLag*}: how long after its due time the sender put a measured
     * event out, in microseconds (part of both latencies; -1 if none was measured); {@code senderJitMsPerSecond}: the
     * sender JVM's JIT compiler over the measured window, milliseconds a second (NaN if unknown);
     * {@code streamThreads}: the pipeline's {@code num.stream.threads} in this run.
     */
    public record Latency(Variant variant, String setting, String guarantee, double fraction, double targetRate,
            double achievedRate,
            long sent, long samples, long missing, long visibleP50, long visibleP95, long visibleP99,
            long visibleMax, long processedP50, long processedP95, long processedP99, String loadBefore,
            String loadAfter, long senderLagP99Micros, long senderLagMaxMicros, double senderJitMsPerSecond,
            GcPauses gc, RunDelay runDelay, ClientWaits clientWaits, int streamThreads) {
    }

    /**
     * The Kafka clients' own account of a latency row's measured window, in milliseconds per second: the stream
     * thread's time blocked in them (Kafka Streams' {@code blocked-time-ns-total}: waiting in {@code poll} for records,
     * idle time included, in flushes and commits, and in {@code send} for buffer memory), and the producers' time
     * waiting for buffer memory alone ({@code bufferpool-wait-time-ns-total}: the accumulator full, {@code send}
     * blocked until the I/O thread drains it). NaN where they could not be read.
     */
    public record ClientWaits(double streamThreadBlockedMsPerSecond, double producerBufferWaitMsPerSecond) {

        public static final ClientWaits UNKNOWN = new ClientWaits(Double.NaN, Double.NaN);

        /** From two readings of (blocked milliseconds, buffer-wait milliseconds), totals, {@code seconds} apart. */
        static ClientWaits between(double[] before, double[] after, double seconds) {
            if (before == null || after == null || seconds <= 0) {
                return UNKNOWN;
            }
            return new ClientWaits((after[0] - before[0]) / seconds, (after[1] - before[1]) / seconds);
        }
    }

    /**
     * The kernel's account of a latency row's measured window ({@link RunQueue}), in milliseconds per second: the
     * stream thread's time on a core and runnable but waiting for one, the waiting of all the pipeline JVM's threads
     * together, and its JIT compiler threads' time on a core (a JVM still compiling the per-event path takes the
     * stream thread's CPU). NaN where it could not be read (no {@code /proc}).
     */
    public record RunDelay(double streamThreadCpuMsPerSecond, double streamThreadWaitMsPerSecond,
            double jvmWaitMsPerSecond, double jitCpuMsPerSecond) {

        public static final RunDelay UNKNOWN = new RunDelay(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * What the full pipeline took of one offered rate, measured as the latency rows' maximum is
     * ({@link E2eRunner#maxRateWithSender}: a fresh instance, a sender offering the rate): {@code fraction} of (c)'s
     * 1-thread throughput maximum, {@code offered} events/s, and what the sender sent and the pipeline predicted.
     */
    public record Offer(double fraction, double offered, E2eRunner.LiveMax taken) {

        /** What the pipeline predicted per event the sender sent: about 1 while it keeps up, below 1 once it cannot. */
        public double takenShare() {
            return taken.predicted() / taken.sent();
        }
    }

    /**
     * The garbage collector's stop-the-world pauses in the pipeline's JVM over a latency row's measured window: how
     * many a second, and the share of the window's wall time they took. NaN where they could not be read.
     */
    public record GcPauses(double perSecond, double percentOfTime) {

        public static final GcPauses UNKNOWN = new GcPauses(Double.NaN, Double.NaN);

        /** From two readings of (pause count, total pause milliseconds) {@code seconds} apart. */
        static GcPauses between(double[] before, double[] after, double seconds) {
            if (before == null || after == null || seconds <= 0 || Double.isNaN(before[0] + after[0])) {
                return UNKNOWN;
            }
            return new GcPauses((after[0] - before[0]) / seconds, (after[1] - before[1]) / (seconds * 10));
        }
    }

    /**
     * One point of the scaling table, a workload of {@code users} users: the model-free topology (b) once, the full
     * topology (c) {@code fullRuns} (the benchmark's repeats, on the same input, each from empty state), and (c) with
     * each diagnostic setting once.
     */
    public record Scaling(int users, int distinctUsers, int events, double meanEventBytes, Throughput stateful,
            List<Throughput> fullRuns, List<Throughput> diagnostics) {

        public Scaling {
            if (fullRuns.isEmpty()) {
                throw new IllegalArgumentException("a scaling point needs at least one run of (c)");
            }
            fullRuns = List.copyOf(fullRuns);
            diagnostics = List.copyOf(diagnostics);
        }

        /** (c)'s steady rates at this point, of the runs that had a steady window. */
        public double[] fullSteadyRates() {
            return fullRuns.stream().mapToDouble(Throughput::steadyEventsPerSecond).filter(r -> !Double.isNaN(r))
                    .toArray();
        }

        /** (c)'s median steady rate over its runs at this point (NaN if none had a steady window). */
        public double fullSteadyMedian() {
            double[] steady = fullSteadyRates();
            return steady.length == 0 ? Double.NaN : Percentiles.median(steady);
        }

        /** Events per user of this point's workload, rounded (a few failed sends leave it just under a whole one). */
        public long eventsPerUser() {
            return Math.round((double) events / users);
        }

        /** (c)'s run whose steady rate is the median (the lower middle one for an even count): its state stats. */
        public Throughput full() {
            List<Throughput> sorted = fullRuns.stream().sorted(Comparator.comparingDouble(
                    (Throughput t) -> Double.isNaN(t.steadyEventsPerSecond()) ? 0 : t.steadyEventsPerSecond()))
                    .toList();
            return sorted.get((sorted.size() - 1) / 2);
        }
    }

    /**
     * A JFR profile's summary, already formatted as markdown lines; {@code subject} names the profiled variant and
     * {@code workload} says what the profiled run read (together, the report's heading).
     */
    public record Profile(String subject, String workload, String file, List<String> lines) {
    }
}

package io.pulse.benchmarks.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/** Everything one invocation measured, in the order measured; {@link ResultsReport} renders it. */
public final class E2eReport {

    /**
     * Issue 13: the full pipeline keeps at least this share of its throughput with the interest heads on; judged for
     * each variant with the interest model ((d) and (e)) against (c).
     */
    static final double INTEREST_GOAL = 0.7;

    /** Issue 14: with one entity type, (f) keeps at least this share of (c)'s throughput (same run). */
    static final double ENTITY_GOAL = 0.6;

    /** Issues 6 and 14: p99 event-to-prediction (visible), exactly-once, at half the maximum rate, in ms. */
    static final long P99_GOAL_MS = 250;

    /** Issue 15: (c)'s steady throughput (median window rates) ÷ pass-through's, same repeat. */
    static final double STEADY_PASS_THROUGH_GOAL = 0.35;

    /** Issue 15: (c) ÷ (b′), Pulse's topology with a no-op model (median window rates, same repeat). */
    static final double NO_OP_MODEL_GOAL = 0.9;

    /** Issue 15: (c)'s application CPU per event, µs. */
    static final double APP_CPU_GOAL_MICROS = 25;

    /** Issue 15: (c)'s steady rate at the largest user count ÷ at the first (with repeat visits). */
    static final double SCALING_GOAL = 0.7;

    /** Issue 15: p99 event-to-prediction (visible), exactly-once, at half the maximum rate, in ms. */
    static final long P99_ISSUE_15_GOAL_MS = 150;

    final E2eOptions options;
    final List<String> machine = Stream.concat(Machine.describe().stream(), Stream.of("software: " + Machine.stack()))
            .toList();
    final List<String> notes = new ArrayList<>();
    final List<Results.Throughput> throughput = new ArrayList<>();
    final List<Results.Latency> latency = new ArrayList<>();
    final List<Results.Scaling> scaling = new ArrayList<>();
    String command = "";
    String startedAt = "";
    String loadAtStart = "";
    String loadAtEnd = "";
    double infraStartSeconds;
    double totalSeconds;
    String kernel = "unknown";
    int stateBytes;
    String workload = "";
    double maxRateForLatency = Double.NaN;
    /** Where the full pipeline's latency rows ran, and where their maximum rate comes from (for the report). */
    String latencyPipeline = "Kafka Streams in the benchmark's JVM, next to the broker";
    String maxRateSource = "not measured";
    /** The CPUs the benchmark's JVM was confined to ({@code --latency-pipeline-cpus}); empty: not confined. */
    List<Integer> benchmarkCpus = List.of();
    /** The full pipeline's take of a ramp of offers, the maximum's measurement repeated at each (full runs only). */
    final List<Results.Offer> offers = new ArrayList<>();
    /**
     * Each entity variant's own maximum at each stream thread count of its latency rows, whose half those rows are
     * paced at, in the order measured; empty without them.
     */
    final List<EntityMax> entityMaxima = new ArrayList<>();

    /**
     * An entity variant's maximum rate with {@code threads} stream threads, measured with a sender running.
     *
     * @param source how it was measured (for the report)
     */
    record EntityMax(Variant variant, int threads, double rate, String source) {
    }
    /** JFR profiles of (c): the throughput input's, then the largest scaling point's (when both ran). */
    final List<Results.Profile> profiles = new ArrayList<>();

    E2eReport(E2eOptions options) {
        this.options = options;
    }

    public List<Results.Throughput> throughput() {
        return List.copyOf(throughput);
    }

    public List<Results.Latency> latency() {
        return List.copyOf(latency);
    }

    public List<Results.Scaling> scaling() {
        return List.copyOf(scaling);
    }

    /**
     * (c)'s median steady rate at the largest scaling point ÷ at the first, if there are two points: each point's (c)
     * runs are the benchmark's repeats (at the first point, (c)'s 1-thread throughput runs when they ran over the whole
     * input), since one run alone varies too much between runs to judge by.
     */
    public OptionalDouble scalingRatio() {
        if (scaling.size() < 2) {
            return OptionalDouble.empty();
        }
        double first = scaling.get(0).fullSteadyMedian();
        double last = scaling.get(scaling.size() - 1).fullSteadyMedian();
        return first > 0 && !Double.isNaN(last) ? OptionalDouble.of(last / first) : OptionalDouble.empty();
    }

    /** The measured throughput runs of {@code variant} at {@code threads}: its repeats, without diagnostic runs. */
    public List<Results.Throughput> runs(Variant variant, int threads) {
        return throughput.stream().filter(t -> t.variant() == variant && t.threads() == threads && t.repeat() >= 0
                && t.extraSettings().isEmpty()).toList();
    }

    /** The settings of the diagnostic runs of (c), each once, in the order they first ran. */
    public List<Map<String, String>> diagnosticSettings() {
        return throughput.stream().map(Results.Throughput::extraSettings).filter(extra -> !extra.isEmpty()).distinct()
                .toList();
    }

    /** The diagnostic runs of (c) with {@code extra} (1 thread, every repeat). */
    public List<Results.Throughput> diagnosticRuns(Map<String, String> extra) {
        return throughput.stream().filter(t -> t.extraSettings().equals(extra) && t.threads() == 1).toList();
    }

    /** Median application CPU per event (µs) of a variant at a thread count over the repeats. */
    public OptionalDouble medianAppCpuMicros(Variant variant, int threads) {
        double[] micros = runs(variant, threads).stream().mapToDouble(Results.Throughput::appCpuMicrosPerEvent)
                .toArray();
        return micros.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(Percentiles.median(micros));
    }

    /** Median events/s of a variant at a thread count over the repeats. */
    public OptionalDouble medianRate(Variant variant, int threads) {
        return medianRate(runs(variant, threads));
    }

    /** Median events/s of {@code runs}; empty when there is none. */
    static OptionalDouble medianRate(List<Results.Throughput> runs) {
        double[] rates = runs.stream().mapToDouble(Results.Throughput::eventsPerSecond).toArray();
        return rates.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(Percentiles.median(rates));
    }

    /**
     * The median over repeats of {@code numerator / denominator} computed within each repeat (side-by-side runs on the
     * same input, so machine-wide load drifts cancel as far as possible).
     */
    public OptionalDouble medianRatio(Variant numerator, Variant denominator, int threads) {
        return medianRatio(numerator, denominator, threads, false);
    }

    /** As {@link #medianRatio(Variant, Variant, int)}, of the steady rates (from the first committed output on). */
    public OptionalDouble medianRatio(Variant numerator, Variant denominator, int threads, boolean steady) {
        return medianRatio(numerator, denominator, threads, steady ? Results.Throughput::steadyEventsPerSecond
                : Results.Throughput::eventsPerSecond);
    }

    /** As {@link #medianRatio(Variant, Variant, int)}, of any per-run rate. */
    public OptionalDouble medianRatio(Variant numerator, Variant denominator, int threads,
            ToDoubleFunction<Results.Throughput> rate) {
        double[] ratios = ratios(numerator, denominator, threads, rate);
        return ratios.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(Percentiles.median(ratios));
    }

    /**
     * {@code numerator / denominator} of {@code rate} within each repeat (side-by-side runs on the same input), one
     * per repeat that ran both, in repeat order.
     */
    public double[] ratios(Variant numerator, Variant denominator, int threads,
            ToDoubleFunction<Results.Throughput> rate) {
        return ratios(numerator, Map.of(), denominator, threads, rate);
    }

    /**
     * The median over repeats of (c) with the diagnostic settings {@code extra} ÷ (c) with none, both 1 thread, within
     * each repeat.
     */
    public OptionalDouble diagnosticRatio(Map<String, String> extra, ToDoubleFunction<Results.Throughput> rate) {
        double[] ratios = diagnosticRatios(extra, rate);
        return ratios.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(Percentiles.median(ratios));
    }

    /** (c) with {@code extra} ÷ (c), 1 thread, one per repeat that ran both, in repeat order. */
    public double[] diagnosticRatios(Map<String, String> extra, ToDoubleFunction<Results.Throughput> rate) {
        return ratios(Variant.FULL, extra, Variant.FULL, 1, rate);
    }

    private double[] ratios(Variant numerator, Map<String, String> numeratorExtra, Variant denominator, int threads,
            ToDoubleFunction<Results.Throughput> rate) {
        List<Double> ratios = new ArrayList<>();
        for (Results.Throughput n : throughput) {
            if (n.variant() != numerator || n.threads() != threads || n.repeat() < 0
                    || !n.extraSettings().equals(numeratorExtra)) {
                continue;
            }
            throughput.stream()
                    .filter(d -> d.variant() == denominator && d.threads() == threads && d.repeat() == n.repeat()
                            && d.extraSettings().isEmpty())
                    .findFirst()
                    .ifPresent(d -> ratios.add(rate.applyAsDouble(n) / rate.applyAsDouble(d)));
        }
        return ratios.stream().mapToDouble(Double::doubleValue).filter(r -> !Double.isNaN(r)).toArray();
    }

    /** What the name of a diagnostic latency row says (after the variant and thread count), before its settings. */
    static final String DIAGNOSTIC = "diagnostic: ";

    /** The p99 (visible) of (c)'s first exactly-once latency row at 50 %, if measured. */
    public OptionalDouble eosP99AtHalf() {
        return eosP99AtHalf(Variant.FULL);
    }

    /**
     * The p99s (visible) of every run of (c)'s first exactly-once setting at 50 % (the defaults: the judged row, run
     * once per repeat), in run order.
     */
    public long[] eosP99sAtHalf() {
        return eosP99sAtHalf(Variant.FULL);
    }

    /**
     * The p99s (visible) of every run of {@code variant}'s first exactly-once setting at 50 % of its maximum (the
     * defaults: the judged row, run once per repeat), in run order.
     */
    public long[] eosP99sAtHalf(Variant variant) {
        return eosP99sAtHalf(variant, 1);
    }

    /**
     * As {@link #eosP99sAtHalf(Variant)}, for the rows run with {@code threads} stream threads; diagnostic rows are
     * never judged, even one whose settings change the thread count.
     */
    public long[] eosP99sAtHalf(Variant variant, int threads) {
        String first = latency.stream().filter(l -> l.variant() == variant && l.streamThreads() == threads
                        && l.guarantee().equals("exactly_once_v2") && !l.setting().contains(DIAGNOSTIC))
                .map(Results.Latency::setting).findFirst().orElse(null);
        return latency.stream()
                .filter(l -> l.variant() == variant && l.streamThreads() == threads && l.setting().equals(first)
                        && Math.abs(l.fraction() - 0.5) < 1e-9)
                .mapToLong(Results.Latency::visibleP99).toArray();
    }

    /** The stream thread counts of {@code variant}'s latency rows, ascending. */
    public List<Integer> latencyThreads(Variant variant) {
        return latency.stream().filter(l -> l.variant() == variant).map(Results.Latency::streamThreads).distinct()
                .sorted().toList();
    }

    /** {@code variant}'s maximum at {@code threads} stream threads, if measured. */
    Optional<EntityMax> entityMax(Variant variant, int threads) {
        return entityMaxima.stream().filter(m -> m.variant() == variant && m.threads() == threads).findFirst();
    }

    /** The p99 (visible) of {@code variant}'s first exactly-once latency row at 50 % of its maximum, if measured. */
    public OptionalDouble eosP99AtHalf(Variant variant) {
        return latency.stream()
                .filter(l -> l.variant() == variant && l.guarantee().equals("exactly_once_v2")
                        && Math.abs(l.fraction() - 0.5) < 1e-9)
                .findFirst().map(l -> OptionalDouble.of(l.visibleP99())).orElse(OptionalDouble.empty());
    }

    /** The lines printed at the end of a run: the ratios and the p99 against the goals. */
    public List<String> verdict() {
        List<String> lines = new ArrayList<>();
        for (int threads : options.threads()) {
            medianRatio(Variant.FULL, Variant.PASS_THROUGH, threads).ifPresent(r -> lines.add(String.format(Locale.ROOT,
                    "c/a (%d thread%s) = %.3f  (goal >= 0.5: %s)", threads, threads == 1 ? "" : "s", r,
                    r >= 0.5 ? "met" : "MISSED")));
            medianRatio(Variant.FULL, Variant.STATEFUL, threads).ifPresent(r -> lines.add(String.format(Locale.ROOT,
                    "c/b (%d thread%s) = %.3f  (goal >= 0.8: %s)", threads, threads == 1 ? "" : "s", r,
                    r >= 0.8 ? "met" : "MISSED")));
        }
        for (int threads : options.threads()) {
            String th = threads + " thread" + (threads == 1 ? "" : "s");
            OptionalDouble steadyOverPassThrough = medianRatio(Variant.FULL, Variant.PASS_THROUGH, threads,
                    Results.Throughput::medianWindowRate);
            if (steadyOverPassThrough.isPresent()) {
                double r = steadyOverPassThrough.getAsDouble();
                lines.add(String.format(Locale.ROOT, "issue 15: c/a on the median steady-window rates (%s) = %.3f"
                        + "  (goal >= %.2f: %s)", th, r, STEADY_PASS_THROUGH_GOAL,
                        r >= STEADY_PASS_THROUGH_GOAL ? "met" : "MISSED"));
            } else if (medianRate(Variant.PASS_THROUGH, threads).isPresent()
                    && medianRate(Variant.FULL, threads).isPresent()) {
                lines.add(String.format(Locale.ROOT, "issue 15: c/a on the median steady-window rates (%s): NOT"
                        + " MEASURED (goal >= %.2f): pass-through's runs end within a second of their first output,"
                        + " shorter than one steady window; the input is too short for it (`--steady-seconds 30`"
                        + " bounds every run in time over a long enough input)", th,
                        STEADY_PASS_THROUGH_GOAL));
            }
            medianRatio(Variant.FULL, Variant.NO_OP_MODEL, threads, Results.Throughput::medianWindowRate)
                    .ifPresent(r -> lines.add(String.format(Locale.ROOT, "issue 15: c/b′ (b′: Pulse's topology with a"
                            + " no-op model) on the median steady-window rates (%s) = %.3f  (goal >= %.1f: %s)", th, r,
                            NO_OP_MODEL_GOAL, r >= NO_OP_MODEL_GOAL ? "met" : "MISSED")));
            medianAppCpuMicros(Variant.FULL, threads).ifPresent(us -> lines.add(String.format(Locale.ROOT,
                    "issue 15: (c) application CPU per event (%s, median over the repeats) = %.1f µs  (goal <= %.0f µs:"
                    + " %s)", th, us, APP_CPU_GOAL_MICROS, us <= APP_CPU_GOAL_MICROS ? "met" : "MISSED")));
        }
        for (int threads : options.threads()) {
            for (Variant interests : Variant.withInterestModel()) {
                medianRatio(interests, Variant.FULL, threads, Results.Throughput::medianWindowRate)
                        .ifPresent(r -> lines.add(String.format(Locale.ROOT, "%s/c (%s) ÷ (c) v1 model, steady"
                                + " windows (%d thread%s) = %.3f  (goal >= 0.7: %s)", interests.letter(),
                                interests.label(), threads, threads == 1 ? "" : "s", r,
                                r >= INTEREST_GOAL ? "met" : "MISSED")));
            }
        }
        for (Variant entities : Variant.withEntities()) {
            for (int threads : options.threads()) {
                medianRatio(entities, Variant.FULL, threads, Results.Throughput::medianWindowRate)
                        .ifPresent(r -> lines.add(String.format(Locale.ROOT, "%s/c (%s) ÷ (c) without entities,"
                                + " steady windows (%d thread%s) = %.3f  (goal >= %.1f: %s)", entities.letter(),
                                entities.label(), threads, threads == 1 ? "" : "s", r, ENTITY_GOAL,
                                r >= ENTITY_GOAL ? "met" : "MISSED")));
            }
        }
        Results.Scaling largest = scaling.isEmpty() ? null : scaling.get(scaling.size() - 1);
        scalingRatio().ifPresent(ratio -> lines.add(String.format(Locale.ROOT, "issue 15: (c) at %,d users ÷ (c) at"
                + " %,d users, median steady rates, %d events per user = %.3f  (goal >= %.1f: %s)", largest.users(),
                scaling.get(0).users(), largest.eventsPerUser(), ratio, SCALING_GOAL,
                ratio >= SCALING_GOAL ? "met" : "MISSED")));
        eosP99AtHalf().ifPresent(p -> lines.add(String.format(Locale.ROOT,
                "p99 event-to-prediction, exactly-once, 50 %% of max = %.0f ms  (goal <= %d ms: %s)", p, P99_GOAL_MS,
                p <= P99_GOAL_MS ? "met" : "MISSED")));
        long[] p99s = eosP99sAtHalf();
        if (p99s.length > 0) {
            long met = within(p99s, P99_ISSUE_15_GOAL_MS);
            lines.add(String.format(Locale.ROOT, "issue 15: p99 event-to-prediction, exactly-once, 50 %% of max, every"
                    + " run = %s ms  (goal <= %d ms in three runs out of three: %d of %d, %s)",
                    joined(p99s), P99_ISSUE_15_GOAL_MS,
                    met, p99s.length, p99s.length >= 3 && met == p99s.length ? "met" : "MISSED"));
        }
        for (Variant entities : Variant.withEntities()) {
            for (int threads : latencyThreads(entities)) {
                long[] runs = eosP99sAtHalf(entities, threads);
                if (runs.length > 0) {
                    long met = within(runs, P99_GOAL_MS);
                    lines.add(String.format(Locale.ROOT, "(%s) %s%s: p99 event-to-prediction, exactly-once, 50 %% of"
                            + " its max, every run = %s ms  (goal <= %d ms in every run: %d of %d, %s)",
                            entities.letter(), entities.label(), threads == 1 ? "" : ", " + threads + " stream threads",
                            joined(runs), P99_GOAL_MS, met, runs.length, met == runs.length ? "met" : "MISSED"));
                }
            }
        }
        return lines;
    }

    /** How many of {@code p99s} are at most {@code goalMs}. */
    static long within(long[] p99s, long goalMs) {
        return Arrays.stream(p99s).filter(p -> p <= goalMs).count();
    }

    /** {@code values} as "a, b, c". */
    static String joined(long[] values) {
        return String.join(", ", Arrays.stream(values).mapToObj(Long::toString).toList());
    }
}

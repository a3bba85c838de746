package io.pulse.benchmarks.e2e;

import io.pulse.pipeline.PulseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one benchmark invocation measures. {@link #quickConfig()} is the reduced configuration (under 5 minutes on 2 cores),
 * {@link #fullConfig()} the one behind {@code benchmarks/RESULTS.md}; {@link #parse} applies command-line flags on top.
 *
 * @param users             user counts; the first is the throughput and latency workload, all are scaling points
 * @param throughputEvents  events of the throughput workload (first user count)
 * @param threads           {@code num.stream.threads} values for the throughput table
 * @param repeats           side-by-side repeats of every {@link Variant} per thread count (medians reported)
 * @param latency           the latency settings (guarantee, extra Streams settings, fractions of the max rate)
 * @param latencyWarmup     paced sending before latencies are recorded
 * @param latencyMeasure    paced sending whose latencies are recorded
 * @param eventsPerUser     events per user for the scaling points after the first (capped by {@code maxScalingEvents})
 * @param maxScalingEvents  upper bound of a scaling workload's events
 * @param jfr               whether to profile the full pipeline with JFR (when a goal is missed)
 * @param sections          which tables to produce
 * @param partitions        input (and output) topic partitions
 * @param seed              simulator seed
 * @param runTimeout        bound of one throughput run
 * @param out               where the markdown report goes, or null
 * @param diagnostics       extra runs of the full pipeline (1 thread) with other Pulse or Streams settings, one per
 *                          repeat, rotated with the variants (side by side with (c)), to test where its time goes
 *                          or what a change of setting is worth (e.g. a longer commit interval)
 * @param variants          the {@link Variant}s measured side by side ({@link Variant#standard()} unless told:
 *                          {@code --entities} adds (f), {@code --variants} picks); (c) is always among them, the
 *                          reference of every ratio and of the latency table
 * @param steadyWindows     0: a throughput run reads its whole input; N: it stops once it has N steady windows
 *                          ({@link SteadyWindows#boundNanos}), so every variant is measured over the same length of
 *                          steady state however fast it is ({@code --steady-seconds N})
 * @param inputRecords      records of the throughput input topic: the {@code throughputEvents} events, then the same
 *                          records again in order up to this many (no repetition if not larger), so that the fastest
 *                          variants do not run out of input within their steady windows; variants that read the
 *                          events (Pulse's) stop at the end of the distinct ones, where a repeat would only be a
 *                          duplicate
 * @param latencyInOwnJvm   false: the full pipeline's latency rows run Kafka Streams in the benchmark's JVM, next
 *                          to the broker and the workload, paced against (c)'s maximum from the throughput runs;
 *                          true ({@code --latency-in-own-jvm}): they measure {@code pulse pipeline} in a JVM of its
 *                          own, as deployed, a fresh one per row, paced against its maximum measured with a sender
 *                          running
 * @param latencyPipelineCpus empty: every process runs on any CPU; otherwise ({@code --latency-pipeline-cpus 1}, with
 *                          {@code --latency-in-own-jvm} and only the latency section) the pipeline's JVM runs on these
 *                          CPUs only and the benchmark's JVM (broker, reader, registry, sender) on the others, as the
 *                          pipeline would have the core its manifest requests in a deployment
 * @param entityLatencyThreads {@code num.stream.threads} values for the entity variants' latency rows, each with its
 *                          own maximum measured at that many threads ({@code --entity-latency-threads 1,2}): one
 *                          stream thread runs the user tasks and the entity tasks in turn, two run them side by side
 */
public record E2eOptions(boolean quick, List<Integer> users, int throughputEvents,
        List<Integer> threads, int repeats, List<LatencySetting> latency, Duration latencyWarmup,
        Duration latencyMeasure, double eventsPerUser, int maxScalingEvents, boolean jfr, Set<Section> sections,
        int partitions, long seed, Duration runTimeout, Path out, List<Map<String, String>> diagnostics,
        Set<Variant> variants, int steadyWindows, long inputRecords, boolean latencyInOwnJvm,
        List<Integer> latencyPipelineCpus, List<Integer> entityLatencyThreads) {

    /**
     * Records of the throughput input when {@code --steady-seconds} is given without {@code --input-records}:
     * pass-through at 2 threads reads about 550k records a second on this machine, so 30 s of its steady windows need
     * ~18M.
     */
    static final long STEADY_INPUT_RECORDS = 25_000_000L;

    /** Steady windows of every throughput run in the full configuration. */
    static final int FULL_STEADY_WINDOWS = 30;

    /**
     * Events of the first scaling point when throughput runs are bounded in time: the first this many of the throughput
     * input (the full configuration's whole input until 2026-12-05), read whole by each run.
     */
    public static final int FIRST_SCALING_POINT_EVENTS = 200_000;

    /** The tables. */
    public enum Section { THROUGHPUT, LATENCY, SCALING }

    /**
     * One latency row group: a processing guarantee with extra Kafka Streams settings, at fractions of the maximum.
     *
     * @param name   what the report calls it
     * @param extra  extra Streams settings (e.g. {@code commit.interval.ms})
     */
    public record LatencySetting(String name, String guarantee, Map<String, String> extra, List<Double> fractions) {
    }

    public E2eOptions {
        users = List.copyOf(users);
        threads = List.copyOf(threads);
        latency = List.copyOf(latency);
        diagnostics = List.copyOf(diagnostics);
        sections = sections.isEmpty() ? EnumSet.noneOf(Section.class) : EnumSet.copyOf(sections);
        variants = variants.isEmpty() ? EnumSet.noneOf(Variant.class) : EnumSet.copyOf(variants);
        if (!variants.contains(Variant.FULL)) {
            throw new IllegalArgumentException("the variants must include (c), the reference of every ratio");
        }
        if (users.isEmpty() || threads.isEmpty()) {
            throw new IllegalArgumentException("at least one user count and one thread count are needed");
        }
        if (repeats < 1 || throughputEvents < 1 || partitions < 1) {
            throw new IllegalArgumentException("repeats, events and partitions must be positive");
        }
        if (steadyWindows < 0) {
            throw new IllegalArgumentException("--steady-seconds must be 0 (whole input) or more, was "
                    + steadyWindows);
        }
        inputRecords = Math.max(inputRecords, throughputEvents);
        latencyPipelineCpus = List.copyOf(latencyPipelineCpus);
        entityLatencyThreads = List.copyOf(entityLatencyThreads);
        if (entityLatencyThreads.isEmpty() || entityLatencyThreads.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("--entity-latency-threads takes positive thread counts, was "
                    + entityLatencyThreads);
        }
        if (!latencyPipelineCpus.isEmpty() && (!latencyInOwnJvm || !sections.equals(EnumSet.of(Section.LATENCY)))) {
            throw new IllegalArgumentException("--latency-pipeline-cpus needs --latency-in-own-jvm and --only latency:"
                    + " it confines the benchmark's JVM to the other CPUs for the whole run");
        }
    }

    /** Whether throughput runs are bounded in time ({@link #steadyWindows} windows each) rather than by the input. */
    public boolean boundedInTime() {
        return steadyWindows > 0;
    }

    /**
     * Paced sending before latencies count: a pipeline started in a JVM of its own for a row
     * ({@code --latency-in-own-jvm}) has run nothing yet, and needs traffic before its JIT has compiled the per-event
     * path and the backlog of its first, interpreted seconds is gone; the benchmark's own JVM is warm from the
     * throughput runs' warm-up.
     */
    private static final Duration OWN_JVM_LATENCY_WARMUP = Duration.ofSeconds(20);

    private static final String EOS = "exactly_once_v2";
    private static final String ALOS = "at_least_once";
    /** The judged latency row: exactly-once with Pulse's own settings. */
    private static final String EOS_DEFAULTS = "exactly-once (defaults: commit.interval.ms="
            + PulseConfig.EXACTLY_ONCE_COMMIT_INTERVAL_MS + ")";

    /**
     * About 6 minutes: 10k users, 1 thread, one repeat, one latency point (exactly-once at 50 %); throughput runs
     * bounded to 5 steady windows each (over 400k distinct events, repeated to 5M records for pass-through and (b)):
     * the full run's ratios from shorter windows.
     */
    public static E2eOptions quickConfig() {
        return new E2eOptions(true, List.of(10_000), 400_000, List.of(1), 1,
                List.of(new LatencySetting(EOS_DEFAULTS, EOS, Map.of(),
                        List.of(0.5))),
                Duration.ofSeconds(5), Duration.ofSeconds(10), 1, 200_000, false,
                EnumSet.allOf(Section.class), 4, 42L, Duration.ofMinutes(4), null, List.of(), Variant.standard(), 5,
                5_000_000L, false, List.of(), List.of(1));
    }

    /**
     * The shorter commit interval every full run measures next to Pulse's own (a latency row and a throughput
     * diagnostic): what it gains in latency and what it costs in throughput (benchmarks/README.md, item 9).
     */
    static final String SHORT_COMMIT_INTERVAL_MS = "20";

    /**
     * The configuration behind RESULTS.md (about 50 minutes on 2 quiet cores). Every throughput run stops after
     * {@value #FULL_STEADY_WINDOWS} one-second steady windows (issue 15: at least 30 s of steady state after warm-up for
     * every variant), over 3M distinct events repeated to {@value #STEADY_INPUT_RECORDS} records, so that pass-through
     * at 2 threads has its windows too; the first scaling point reads the first {@value #FIRST_SCALING_POINT_EVENTS}
     * of them; and two events per user for the scaling points after the first, dealt out so that every user gets state
     * and comes back once (the 1M-user point stores 1M user states, and half of its events read one written a million
     * events earlier: a repeat visit, not only inserts).
     */
    public static E2eOptions fullConfig() {
        return new E2eOptions(false, List.of(10_000, 100_000, 1_000_000), 3_000_000, List.of(1, 2), 3,
                List.of(
                        new LatencySetting(EOS_DEFAULTS, EOS, Map.of(),
                                List.of(0.25, 0.5, 0.75)),
                        new LatencySetting("at-least-once (defaults: producer linger.ms=100)", ALOS, Map.of(),
                                List.of(0.25, 0.5, 0.75)),
                        new LatencySetting("exactly-once, commit.interval.ms=" + SHORT_COMMIT_INTERVAL_MS, EOS,
                                Map.of("commit.interval.ms", SHORT_COMMIT_INTERVAL_MS), List.of(0.5)),
                        new LatencySetting("at-least-once, producer.linger.ms=5", ALOS,
                                Map.of("producer.linger.ms", "5"), List.of(0.5))),
                Duration.ofSeconds(5), Duration.ofSeconds(15), 2, 2_000_000, true,
                EnumSet.allOf(Section.class), 4, 42L, Duration.ofMinutes(8), null,
                // a shorter commit interval (its throughput price), Kafka Streams' default, a long one; no waiting for
                // empty co-partitioned inputs
                List.of(Map.of("commit.interval.ms", SHORT_COMMIT_INTERVAL_MS), Map.of("commit.interval.ms", "100"),
                        Map.of("commit.interval.ms", "1000"),
                        Map.of("max.task.idle.ms", "-1")),
                Variant.standard(), FULL_STEADY_WINDOWS, STEADY_INPUT_RECORDS, false, List.of(), List.of(1));
    }

    /**
     * Flags: {@code --quick}, {@code --users 10000,100000}, {@code --threads 1,2}, {@code --repeats N},
     * {@code --events N}, {@code --only throughput,latency,scaling}, {@code --jfr}/{@code --no-jfr},
     * {@code --seed S}, {@code --partitions P}, {@code --out FILE}, {@code --entities} (adds (f), the full pipeline
     * with one entity type, to the variants, and its latency), {@code --variants c,f} (only these variants),
     * {@code --diagnostic key=value[,key=value]} (repeatable: (c) with these settings, side by side in every repeat,
     * instead of the configuration's diagnostic runs), {@code --steady-seconds N} (every throughput run stops after N
     * one-second steady windows, 0 for none; the input then defaults to the quick configuration's records, or to
     * {@value #STEADY_INPUT_RECORDS}: the {@code --events} distinct ones repeated), {@code --input-records N},
     * {@code --latency-in-own-jvm} (the full pipeline's latency in a JVM of its own, not in the benchmark's),
     * {@code --latency-pipeline-cpus 1} (that JVM on these CPUs, the benchmark's on the others),
     * {@code --latency-warmup S} (seconds of paced sending before a latency row's window, instead of the default),
     * {@code --entity-latency-threads 1,2} (the entity variants' latency rows at these stream thread counts).
     */
    public static E2eOptions parse(String... args) {
        E2eOptions base = Arrays.asList(args).contains("--quick") ? quickConfig() : fullConfig();
        // the flags overwrite these; the record is built once, at the end, and checks the result
        List<Integer> users = base.users;
        List<Integer> threads = base.threads;
        int repeats = base.repeats;
        int throughputEvents = base.throughputEvents;
        boolean jfr = base.jfr;
        Set<Section> sections = base.sections;
        int partitions = base.partitions;
        long seed = base.seed;
        Path out = base.out;
        Set<Variant> variants = EnumSet.copyOf(base.variants);
        List<Map<String, String>> diagnostics = new ArrayList<>();
        boolean entities = false;
        int steadyWindows = base.steadyWindows;
        long inputRecords = -1;
        boolean latencyInOwnJvm = base.latencyInOwnJvm;
        List<Integer> latencyPipelineCpus = base.latencyPipelineCpus;
        Duration warmupFlag = null;
        List<Integer> entityLatencyThreads = base.entityLatencyThreads;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--quick" -> { }
                case "--jfr" -> jfr = true;
                case "--no-jfr" -> jfr = false;
                case "--users" -> users = ints(value(args, ++i, flag));
                case "--threads" -> threads = ints(value(args, ++i, flag));
                case "--repeats" -> repeats = Integer.parseInt(value(args, ++i, flag));
                case "--events" -> throughputEvents = Math.toIntExact(count(value(args, ++i, flag)));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, flag));
                case "--partitions" -> partitions = Integer.parseInt(value(args, ++i, flag));
                case "--out" -> out = Path.of(value(args, ++i, flag));
                case "--only" -> sections = sections(value(args, ++i, flag));
                case "--entities" -> entities = true;
                case "--variants" -> variants = variants(value(args, ++i, flag));
                case "--diagnostic" -> diagnostics.add(settings(value(args, ++i, flag)));
                case "--steady-seconds" -> steadyWindows = Integer.parseInt(value(args, ++i, flag));
                case "--input-records" -> inputRecords = count(value(args, ++i, flag));
                case "--latency-in-own-jvm" -> latencyInOwnJvm = true;
                case "--latency-pipeline-cpus" -> latencyPipelineCpus = ints(value(args, ++i, flag));
                case "--latency-warmup" -> warmupFlag = Duration.ofSeconds(count(value(args, ++i, flag)));
                case "--entity-latency-threads" -> entityLatencyThreads = ints(value(args, ++i, flag));
                default -> throw new IllegalArgumentException("unknown flag " + flag + "; flags: --quick --users"
                        + " --threads --repeats --events --only --jfr --no-jfr --seed --partitions --out --entities"
                        + " --variants --diagnostic --steady-seconds --input-records --latency-in-own-jvm"
                        + " --latency-pipeline-cpus --latency-warmup --entity-latency-threads");
            }
        }
        if (entities && variants.stream().noneMatch(Variant::usesEntities)) {
            variants.add(Variant.ENTITIES);
        }
        Duration latencyWarmup = warmupFlag != null ? warmupFlag
                : latencyInOwnJvm && base.latencyWarmup.compareTo(OWN_JVM_LATENCY_WARMUP) < 0
                        ? OWN_JVM_LATENCY_WARMUP : base.latencyWarmup;
        return new E2eOptions(base.quick, users, throughputEvents, threads, repeats, base.latency,
                latencyWarmup, base.latencyMeasure, base.eventsPerUser, base.maxScalingEvents, jfr, sections,
                partitions, seed, base.runTimeout, out, diagnostics.isEmpty() ? base.diagnostics : diagnostics,
                variants, steadyWindows, inputRecords >= 0 ? inputRecords : steadyWindows == 0 ? 0
                        : base.boundedInTime() ? base.inputRecords : STEADY_INPUT_RECORDS, latencyInOwnJvm,
                latencyPipelineCpus, entityLatencyThreads);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    static List<Integer> ints(String csv) {
        List<Integer> values = new ArrayList<>();
        for (String part : csv.split(",")) {
            values.add(Math.toIntExact(count(part)));
        }
        return values;
    }

    /** One count, with an optional {@code k} or {@code m} suffix and underscores: {@code 25m}, {@code 200_000}. */
    static long count(String text) {
        String p = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
        long factor = p.endsWith("k") ? 1_000 : p.endsWith("m") ? 1_000_000 : 1;
        return Long.parseLong(factor == 1 ? p : p.substring(0, p.length() - 1)) * factor;
    }

    /** {@code key=value,key=value}: the settings of one {@code --diagnostic} run, in the order given. */
    static Map<String, String> settings(String csv) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String part : csv.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--diagnostic takes key=value[,key=value], got " + csv);
            }
            settings.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return settings;
    }

    static Set<Section> sections(String csv) {
        Set<Section> set = EnumSet.noneOf(Section.class);
        for (String part : csv.split(",")) {
            set.add(Section.valueOf(part.trim().toUpperCase(Locale.ROOT)));
        }
        return set;
    }

    static Set<Variant> variants(String csv) {
        Set<Variant> set = EnumSet.noneOf(Variant.class);
        for (String part : csv.split(",")) {
            set.add(Variant.ofLetter(part));
        }
        return set;
    }

    /** Whether (f) or (g), the full pipeline with one entity type, is measured (then the events carry terminals). */
    public boolean entities() {
        return variants.stream().anyMatch(Variant::usesEntities);
    }

    /** The events of the scaling workload for {@code userCount} users. */
    int scalingEvents(int userCount) {
        return (int) Math.min(maxScalingEvents, Math.round(userCount * eventsPerUser));
    }
}

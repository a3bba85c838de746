package io.pulse.benchmarks.recovery;

import io.pulse.benchmarks.ResultsBlock;
import io.pulse.benchmarks.child.ChildPipeline;
import io.pulse.benchmarks.child.SimulatedFeed;
import io.pulse.benchmarks.e2e.Machine;
import io.pulse.benchmarks.e2e.Percentiles;
import io.pulse.contracts.Prediction;
import io.pulse.infra.LocalInfra;
import io.pulse.infra.LocalInfraConfig;
import io.pulse.infra.internal.DataDirs;
import io.pulse.pipeline.PulseConfig;
import io.pulse.registry.serde.AvroDeserializer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How long one pipeline instance is gone after a crash, a clean restart and a lost disk (issue #16), measured as a
 * consumer of its predictions sees it. A single instance ({@code pulse pipeline} in a child JVM, 4 partitions) on the
 * local broker and registry first works through a backlog ({@code --users} users' histories, so that its stores hold
 * real state), then is fed open-loop at {@code --rate} events/s while, {@code --repeats} times over, it is
 * <ul>
 * <li><b>crashed</b>: SIGKILL and started again at once on the same state directory;</li>
 * <li><b>restarted cleanly</b>: SIGTERM, wait for the process to exit, start again;</li>
 * <li><b>given a new disk</b>: SIGKILL, its state directory deleted, started again.</li>
 * </ul>
 * A read_committed consumer of the predictions notes when each prediction becomes visible; per incident the report
 * gives the time from the restart to the first prediction of the new process, and to the first one that is live
 * again (visible within 1 s of its event being sent), plus the records the new process restored into its stores.
 * {@code --compare} runs the same incidents with the configurations Pulse had before issue #16 side by side.
 *
 * <p>{@code ./pulse bench --recovery [--repeats 3] [--compare] [--out benchmarks/OPERATIONS.md]}
 */
public final class RecoveryBenchmark {

    private static final int PARTITIONS = 4;
    private static final Duration LIVE = Duration.ofSeconds(1);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration GRACE = Duration.ofSeconds(60);
    private static final String TRANSACTIONAL_STORES = "enable.transactional.statestores";
    private static final Path DEFAULT_OUT = Path.of("benchmarks/OPERATIONS.md");
    /** The README's summary block, rewritten by a run with the default {@code --out}. */
    private static final Path README = Path.of("README.md");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** A pipeline configuration under test: settings on top of Pulse's defaults. */
    record Configuration(String name, String description, Map<String, String> settings) {
    }

    static final Configuration DEFAULTS = new Configuration("defaults",
            "Pulse's defaults: static membership with a `group.instance.id` kept in the state directory, transactional"
                    + " state stores", Map.of());
    static final Configuration STATIC_ONLY = new Configuration("static, stores not transactional",
            "static membership; `" + TRANSACTIONAL_STORES + "=false`", Map.of(TRANSACTIONAL_STORES, "false"));
    static final Configuration BEFORE = new Configuration("before #16",
            "`" + PulseConfig.STATIC_MEMBERSHIP + "=false`, `" + TRANSACTIONAL_STORES + "=false`: dynamic membership"
                    + " and stores wiped after a crash under exactly-once, as Pulse ran before issue #16",
            Map.of(PulseConfig.STATIC_MEMBERSHIP, "false", TRANSACTIONAL_STORES, "false"));

    /** What happens to the instance. */
    enum Incident {
        CRASH("crash", "SIGKILL, started again at once on the same state directory"),
        CLEAN_RESTART("clean restart", "SIGTERM, process exits, started again"),
        LOST_DISK("lost disk", "SIGKILL, state directory deleted, started again");

        final String label;
        final String description;

        Incident(String label, String description) {
            this.label = label;
            this.description = description;
        }
    }

    /** One incident, timed in wall-clock milliseconds. */
    record Outcome(Configuration configuration, Incident incident, int repeat, long shutdownMillis,
            long firstPredictionMillis, long liveMillis, long gapMillis, double restoredRecords) {
    }

    /** The options: by default 3 repeats of each incident, 50,000 users, a 150,000-event backlog, then 300 events/s. */
    record Options(int repeats, int users, long backlog, int rate, Duration settle, boolean compare, Path out,
            String command) {

        static Options parse(String[] args) {
            int repeats = 3;
            int users = 50_000;
            long backlog = 150_000;
            int rate = 300;
            Duration settle = Duration.ofSeconds(15);
            boolean compare = false;
            Path out = DEFAULT_OUT;
            String command = "./pulse bench --recovery";
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                    case "--users" -> users = Integer.parseInt(args[++i]);
                    case "--backlog" -> backlog = Long.parseLong(args[++i]);
                    case "--rate" -> rate = Integer.parseInt(args[++i]);
                    case "--settle" -> settle = Duration.ofSeconds(Long.parseLong(args[++i]));
                    case "--compare" -> compare = true;
                    case "--out" -> out = Path.of(args[++i]);
                    case "--command" -> command = args[++i];
                    default -> throw new IllegalArgumentException("unknown flag " + args[i] + "; flags: --repeats N"
                            + " --users N --backlog EVENTS --rate EVENTS_PER_S --settle SECONDS --compare --out FILE");
                }
            }
            return new Options(repeats, users, backlog, rate, settle, compare, out, command);
        }
    }

    private final Options options;
    private final PrintStream stdout;

    private RecoveryBenchmark(Options options, PrintStream stdout) {
        this.options = options;
        this.stdout = stdout;
    }

    public static int run(String[] args, PrintStream stdout) throws Exception {
        Options options = Options.parse(args);
        new RecoveryBenchmark(options, stdout).run();
        return 0;
    }

    private void run() throws Exception {
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverages();
        List<Configuration> configurations = options.compare() ? List.of(DEFAULTS, STATIC_ONLY, BEFORE)
                : List.of(DEFAULTS);
        List<Outcome> outcomes = new ArrayList<>();
        Path work = Files.createTempDirectory("pulse-recovery-");
        try (LocalInfra infra = LocalInfra.start(LocalInfraConfig.forTests().toBuilder()
                .numPartitions(PARTITIONS).build())) {
            for (int c = 0; c < configurations.size(); c++) {
                outcomes.addAll(measure(infra, work, "c" + c, configurations.get(c)));
            }
        } finally {
            DataDirs.deleteRecursively(work);
        }
        String block = report(options.command(), started, Duration.between(started, Instant.now()), configurations,
                outcomes, loadBefore);
        ResultsBlock.named("recovery").write(options.out(), block);
        stdout.println(block);
        if (options.out().equals(DEFAULT_OUT) && Files.exists(README)
                && Files.readString(README).contains(ResultsBlock.named("recovery-summary").begin())) {
            ResultsBlock.named("recovery-summary").write(README, summary(options.command(), started, outcomes));
        }
    }

    private List<Outcome> measure(LocalInfra infra, Path work, String name, Configuration configuration)
            throws Exception {
        stdout.printf(Locale.ROOT, "# %s: %s%n", configuration.name(), configuration.description());
        List<Outcome> outcomes = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (ChildPipeline pipeline = ChildPipeline.configure(infra, work, name, PARTITIONS,
                configuration.settings());
             SimulatedFeed feed = new SimulatedFeed(infra, pipeline.eventsTopic(), options.users(), 42L)) {
            pipeline.start().awaitReady(Duration.ofMinutes(3)); // creates the topics
            PredictionWatch watch = new PredictionWatch(infra, pipeline.predictionsTopic());
            Thread watcher = new Thread(watch, "prediction-watch");
            watcher.start();
            feed.backlog(options.backlog());
            Thread feeder = new Thread(() -> {
                try {
                    feed.openLoop(options.rate(), Duration.ofDays(1), stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "feeder");
            feeder.start();
            try {
                awaitLive(watch, System.currentTimeMillis(), "the backlog");
                for (int repeat = 1; repeat <= options.repeats(); repeat++) {
                    for (Incident incident : Incident.values()) {
                        TimeUnit.MILLISECONDS.sleep(options.settle().toMillis()); // steady traffic between incidents
                        Outcome outcome = incident(pipeline, watch, configuration, incident, repeat);
                        outcomes.add(outcome);
                        stdout.printf(Locale.ROOT, "  %-13s #%d: shutdown %5.1f s, restart -> first prediction"
                                + " %5.1f s, -> live %5.1f s, gap %5.1f s, restored %,.0f records%n",
                                incident.label, repeat, outcome.shutdownMillis() / 1e3,
                                outcome.firstPredictionMillis() / 1e3, outcome.liveMillis() / 1e3,
                                outcome.gapMillis() / 1e3, outcome.restoredRecords());
                    }
                }
            } finally {
                stop.set(true);
                feeder.join();
                watch.stop();
                watcher.join();
            }
        }
        return outcomes;
    }

    private Outcome incident(ChildPipeline pipeline, PredictionWatch watch, Configuration configuration,
            Incident incident, int repeat) throws Exception {
        long stopped = System.currentTimeMillis();
        if (incident == Incident.CLEAN_RESTART) {
            if (!pipeline.stop(GRACE)) {
                throw new IllegalStateException("the pipeline did not exit within " + GRACE + " of SIGTERM; see "
                        + pipeline.log());
            }
        } else {
            pipeline.kill();
        }
        if (incident == Incident.LOST_DISK) {
            DataDirs.deleteRecursively(pipeline.stateDir());
        }
        long restarted = System.currentTimeMillis();
        pipeline.start();
        long live = awaitLive(watch, restarted, configuration.name() + " " + incident.label + " #" + repeat);
        long first = watch.firstVisibleAfter(restarted, Long.MAX_VALUE);
        return new Outcome(configuration, incident, repeat, restarted - stopped, first - restarted, live - restarted,
                first - stopped, pipeline.metric("pulse_state_restored_records_total"));
    }

    /** Waits for the first prediction made at or after {@code since} that is visible within {@link #LIVE}. */
    private long awaitLive(PredictionWatch watch, long since, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + RECOVERY_TIMEOUT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            long live = watch.firstVisibleAfter(since, LIVE.toMillis());
            if (live > 0) {
                return live;
            }
            TimeUnit.MILLISECONDS.sleep(100); // polling the watcher's record
        }
        throw new IllegalStateException("no live prediction within " + RECOVERY_TIMEOUT + " after " + what);
    }

    /**
     * Reads the predictions topic read_committed from its end and notes, per prediction, when it became visible, when
     * its event was sent and when it was made.
     */
    static final class PredictionWatch implements Runnable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final AvroDeserializer<Prediction> values = new AvroDeserializer<>(Prediction.class);
        private final String topic;
        private final AtomicBoolean stop = new AtomicBoolean();
        /** (visible, event sent, predicted) in milliseconds, three longs per prediction. */
        private long[] seen = new long[3 * 65_536];
        private int size;

        PredictionWatch(LocalInfra infra, String topic) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.topic = topic;
            values.configure(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl()), false);
        }

        @Override
        public void run() {
            try (consumer; values) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        long visible = System.currentTimeMillis();
                        Prediction prediction = values.deserialize(topic, record.value());
                        add(visible, prediction.getEventTime().toEpochMilli(),
                                prediction.getPredictedAt().toEpochMilli());
                    }
                }
            }
        }

        private synchronized void add(long visible, long sent, long predicted) {
            if (size + 3 > seen.length) {
                seen = Arrays.copyOf(seen, seen.length * 2);
            }
            seen[size++] = visible;
            seen[size++] = sent;
            seen[size++] = predicted;
        }

        /**
         * When the first prediction made at or after {@code since} and visible within {@code withinMillis} of its
         * event being sent became visible; 0 if none yet.
         */
        synchronized long firstVisibleAfter(long since, long withinMillis) {
            long first = 0;
            for (int i = 0; i < size; i += 3) {
                if (seen[i + 2] >= since && seen[i] - seen[i + 1] <= withinMillis
                        && (first == 0 || seen[i] < first)) {
                    first = seen[i];
                }
            }
            return first;
        }

        void stop() {
            stop.set(true);
        }
    }

    static String report(String command, Instant started, Duration took, List<Configuration> configurations, List<Outcome> outcomes,
            String loadBefore) {
        StringBuilder md = new StringBuilder();
        md.append("## Recovery of a single instance (issue #16)\n\n");
        md.append("Generated by `RecoveryBenchmark`; regenerate with the command below.\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| command | `").append(command).append("` |\n");
        md.append("| date | ").append(UTC.format(started)).append(" |\n");
        md.append("| run time | ").append(String.format(Locale.ROOT, "%.1f min", took.toSeconds() / 60.0))
                .append(" |\n");
        md.append("| machine | ").append(String.join("; ", Machine.describe())).append("; load before: ")
                .append(loadBefore).append(" |\n");
        md.append("| setup | one `pulse pipeline` in a child JVM (512 MiB heap), 4 partitions, exactly-once, the local"
                + " in-process KRaft broker and Schema Registry on 127.0.0.1; a backlog first, then simulated events"
                + " open-loop at a fixed rate through every incident |\n");
        md.append("| measured | by a read_committed consumer of the predictions: **first prediction** = restart to the"
                + " first prediction the new process made becoming visible; **live** = restart to the first one"
                + " visible within 1 s of its event being sent; **gap** = stop (SIGKILL or SIGTERM) to the first"
                + " prediction; **restored** = records the new process restored into its stores"
                + " (`pulse_state_restored_records_total`). The restart includes the JVM's start and the model's"
                + " warm-up |\n\n");
        for (Incident incident : Incident.values()) {
            md.append("- **").append(incident.label).append("**: ").append(incident.description).append('\n');
        }
        md.append('\n');
        md.append("Medians over the repeats, (min–max) beside them.\n\n");
        md.append("| configuration | incident | n | shutdown s | restart → first prediction s | restart → live s"
                + " | gap s | restored records |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Configuration configuration : configurations) {
            for (Incident incident : Incident.values()) {
                List<Outcome> runs = outcomes.stream().filter(o -> o.configuration().equals(configuration)
                        && o.incident() == incident).toList();
                if (runs.isEmpty()) {
                    continue;
                }
                md.append("| ").append(configuration.name()).append(" | ").append(incident.label).append(" | ")
                        .append(runs.size()).append(" | ")
                        .append(incident == Incident.CLEAN_RESTART ? seconds(runs, Outcome::shutdownMillis) : "–")
                        .append(" | ").append(seconds(runs, Outcome::firstPredictionMillis))
                        .append(" | ").append(seconds(runs, Outcome::liveMillis))
                        .append(" | ").append(seconds(runs, Outcome::gapMillis))
                        .append(" | ").append(count(runs)).append(" |\n");
            }
        }
        md.append('\n');
        for (Configuration configuration : configurations) {
            md.append("- **").append(configuration.name()).append("**: ").append(configuration.description())
                    .append('\n');
        }
        return md.toString();
    }

    /** The README's table: what an operator should expect with Pulse's defaults. */
    static String summary(String command, Instant started, List<Outcome> outcomes) {
        StringBuilder md = new StringBuilder();
        md.append("| with Pulse's defaults | shutdown s | restart → first prediction s | restart → live s"
                + " | records restored |\n|---|---|---|---|---|\n");
        for (Incident incident : Incident.values()) {
            List<Outcome> runs = outcomes.stream().filter(o -> o.configuration().equals(DEFAULTS)
                    && o.incident() == incident).toList();
            if (runs.isEmpty()) {
                continue;
            }
            md.append("| **").append(incident.label).append("**: ").append(incident.description).append(" | ")
                    .append(incident == Incident.CLEAN_RESTART ? seconds(runs, Outcome::shutdownMillis) : "–")
                    .append(" | ").append(seconds(runs, Outcome::firstPredictionMillis)).append(" | ")
                    .append(seconds(runs, Outcome::liveMillis)).append(" | ").append(count(runs)).append(" |\n");
        }
        md.append("\nMedians (min–max) of ").append(outcomes.stream().filter(o -> o.configuration().equals(DEFAULTS)
                && o.incident() == Incident.CRASH).count()).append(" runs each, measured by `").append(command)
                .append("` on ").append(UTC.format(started)).append(" (2 cores, one instance, 4 partitions; details and"
                        + " the configurations before issue #16 in [benchmarks/OPERATIONS.md](benchmarks/OPERATIONS.md)).\n");
        return md.toString();
    }

    private static String seconds(List<Outcome> runs, ToDoubleFunction<Outcome> millis) {
        double[] values = runs.stream().mapToDouble(millis).map(v -> v / 1e3).sorted().toArray();
        return String.format(Locale.ROOT, "%.1f (%.1f–%.1f)", Percentiles.median(values), values[0],
                values[values.length - 1]);
    }

    private static String count(List<Outcome> runs) {
        double[] values = runs.stream().mapToDouble(Outcome::restoredRecords).sorted().toArray();
        return String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f)", Percentiles.median(values), values[0],
                values[values.length - 1]);
    }
}

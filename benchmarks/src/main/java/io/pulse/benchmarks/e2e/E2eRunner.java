package io.pulse.benchmarks.e2e;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulse.benchmarks.BenchCatalogue;
import io.pulse.benchmarks.child.ChildJvm;
import io.pulse.benchmarks.child.ChildPipeline;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.schema.Topic;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.LstmModel;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.processing.ModelHolder;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.simulator.publish.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Runs one topology at a time against the local cluster: fresh application id, fresh output topics, fresh state
 * directory, and cleans all of them up afterwards so runs do not see each other's data.
 */
final class E2eRunner implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(120);

    private final BenchCluster cluster;
    private final Path stateRoot;
    private final int partitions;
    private final int stateBytes;
    private final Duration runTimeout;
    private final PrintStream log;
    private int runCounter;
    private String kernelName = "unknown";
    /** The CPUs a child pipeline runs on ({@code --latency-pipeline-cpus}); empty: any. */
    private List<Integer> pipelineCpus = List.of();
    /** The interest model of variants (d) and (e), built once: immutable and thread-safe like the pipeline's models. */
    private LstmModel interestModel;
    /** The load of every paced run, one JVM for the whole run (its JIT warm after the first): {@link #sender()}. */
    private PacedSender.Jvm sender;

    E2eRunner(BenchCluster cluster, Path stateRoot, int partitions, int stateBytes, Duration runTimeout,
            PrintStream log) {
        this.cluster = cluster;
        this.stateRoot = stateRoot;
        this.partitions = partitions;
        this.stateBytes = stateBytes;
        this.runTimeout = runTimeout;
        this.log = log;
    }

    /** Starts every later child pipeline on {@code cpus} only ({@link ChildPipeline#onCpus}). */
    void pinPipelinesTo(List<Integer> cpus) {
        this.pipelineCpus = List.copyOf(cpus);
    }

    String kernelName() {
        return kernelName;
    }

    /** A running (or ready to start) application and what belongs to it. */
    private final class App implements AutoCloseable {
        final String appId;
        final Variant variant;
        final KafkaStreams streams;
        final String output;
        final Map<String, String> sideOutputs;
        final Path stateDir;
        /** Its {@code num.stream.threads}, as its settings (extra ones included) have it. */
        final int streamThreads;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        App(String appId, Variant variant, KafkaStreams streams, String output, Map<String, String> sideOutputs,
                Path stateDir, int streamThreads) {
            this.appId = appId;
            this.variant = variant;
            this.streams = streams;
            this.output = output;
            this.sideOutputs = sideOutputs;
            this.stateDir = stateDir;
            this.streamThreads = streamThreads;
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
        }

        boolean failed() {
            KafkaStreams.State state = streams.state();
            return failure.get() != null || state == KafkaStreams.State.ERROR
                    || state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.NOT_RUNNING;
        }

        /** CPU seconds of the application's threads so far (their names carry the application id). */
        double appCpuSeconds() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long nanos = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().contains(appId)) {
                    long cpu = threads.getThreadCpuTime(t.getId());
                    nanos += Math.max(cpu, 0);
                }
            }
            return nanos / 1e9;
        }

        @Override
        public void close() {
            if (!streams.close(CLOSE_TIMEOUT)) {
                log.println("  warning: " + appId + " did not close within " + CLOSE_TIMEOUT);
            }
        }

        void cleanUp() {
            deleteRecursively(stateDir);
            cluster.deleteTopicsStartingWith(appId);
        }
    }

    private App create(Variant variant, String inputTopic, int threads, String guarantee,
            Map<String, String> extra) {
        String appId = "bench-" + variant.letter() + "-" + (++runCounter) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        Path stateDir = stateRoot.resolve(appId);
        Map<String, Object> settings = new HashMap<>();
        settings.put(PulseConfig.APPLICATION_ID, appId);
        settings.put(PulseConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        settings.put(PulseConfig.SCHEMA_REGISTRY_URL, cluster.schemaRegistryUrl());
        settings.put(PulseConfig.STATE_DIR, stateDir.toString());
        settings.put(PulseConfig.PROCESSING_GUARANTEE, guarantee);
        settings.put(PulseConfig.CREATE_TOPICS, "false");
        settings.put("num.stream.threads", Integer.toString(threads));
        // the entity round trip's repartition topics must be partitioned as the input is (unused without entities)
        settings.put(PulseConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
        String output;
        Map<String, String> sideOutputs = new LinkedHashMap<>();
        if (variant.isPulse()) {
            Map<String, String> topicNames = pulseTopicNames(appId, inputTopic);
            settings.putAll(topicNames);
            output = topicNames.get(PulseConfig.TOPIC_PREDICTIONS);
            sideOutputs.put("fraud alerts", topicNames.get(PulseConfig.TOPIC_FRAUD_ALERTS));
            sideOutputs.put("churn alerts", topicNames.get(PulseConfig.TOPIC_CHURN_ALERTS));
            sideOutputs.put("dead letters", topicNames.get(PulseConfig.TOPIC_DLQ));
            if (variant.usesInterestModel()) {
                sideOutputs.put(USER_INTERESTS_OUTPUT, topicNames.get(PulseConfig.TOPIC_USER_INTERESTS));
            }
        } else {
            output = appId + "-out";
        }
        settings.putAll(variant.settings());
        settings.putAll(extra);
        PulseConfig config = new PulseConfig(settings);
        Topology topology;
        switch (variant) {
            case PASS_THROUGH -> topology = BenchTopologies.passThrough(inputTopic, output);
            case STATEFUL -> topology = BenchTopologies.statefulModelFree(inputTopic, output, stateBytes);
            case FULL, NO_OP_MODEL, INTERESTS, INTERESTS_ON_REQUEST, ENTITIES, ENTITIES_BROADCAST -> {
                ModelHolder models = variant.usesInterestModel()
                        ? new ModelHolder(interestModel(config.getString(PulseConfig.MODEL_NAME)))
                        : variant.usesEntities() ? new ModelHolder(Variant.entityModel(config))
                        : variant == Variant.NO_OP_MODEL
                        ? new ModelHolder(NoOpKernel.of(PulseTopology.fallbackModel(config).current()))
                        : PulseTopology.fallbackModel(config);
                if (variant != Variant.NO_OP_MODEL) {
                    kernelName = models.current().kernelName();
                }
                // as PulsePipeline.start() does before Kafka Streams starts (not timed, like the rest of start-up)
                models.current().warmUp(config.getInt(PulseConfig.MODEL_WARMUP_STEPS));
                // the registry PulsePipeline uses: the per-step timer's histogram is part of the real cost
                PipelineMetrics metrics = new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        config.liveFeed());
                topology = PulseTopology.build(config, models, metrics);
            }
            default -> throw new IllegalStateException("unknown variant " + variant);
        }
        TopicPlan topics = variant.isPulse() ? pulseTopicsToCreate(config, inputTopic, partitions)
                : new TopicPlan(Map.of(output, partitions), Set.of());
        cluster.createTopics(topics.partitions(), topics.compacted());
        return new App(appId, variant, new KafkaStreams(topology, config.streamsProperties()), output, sideOutputs,
                stateDir, config.streamThreads());
    }

    /** The side output under which the {@code user-interests} records of a run are counted. */
    static final String USER_INTERESTS_OUTPUT = "user interests";

    /**
     * Every topic setting of a Pulse run: the shared input, and each other topic under the run's application id, so
     * that runs never see each other's output (and every topic a run writes exists: the broker creates none).
     */
    static Map<String, String> pulseTopicNames(String appId, String inputTopic) {
        Map<String, String> names = new LinkedHashMap<>();
        // from Pulse's own list of topic settings, so that a topic added to Pulse is never left at its shared name
        PulseConfig.topicSettings().forEach((setting, topic) -> names.put(setting,
                setting.equals(PulseConfig.TOPIC_USER_EVENTS) ? inputTopic : appId + "-" + topic.name()));
        return names;
    }

    /** Topics to create before a run: partition count by name, and which of them are compacted. */
    record TopicPlan(Map<String, Integer> partitions, Set<String> compacted) {
    }

    /**
     * Every topic of {@code config} but the (already produced) input, with the partitions and cleanup policy Pulse's
     * own provisioning gives it ({@code userPartitions} for the user-keyed ones).
     */
    static TopicPlan pulseTopicsToCreate(PulseConfig config, String inputTopic, int userPartitions) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        Set<String> compacted = new HashSet<>();
        for (Topic<?, ?> topic : config.topics()) {
            if (topic.name().equals(inputTopic)) {
                continue;
            }
            Topic.TopicSpec spec = topic.spec(userPartitions);
            partitions.put(spec.name(), spec.partitions());
            if ("compact".equals(spec.configs().get("cleanup.policy"))) {
                compacted.add(spec.name());
            }
        }
        if (config.entitiesBroadcast()) {
            // as PulsePipeline provisions them: the global stores' sources exist before Kafka Streams starts
            for (EntityWindowSpec entity : config.entities()) {
                partitions.put(config.entityChangelogTopic(entity.type()), userPartitions);
                compacted.add(config.entityChangelogTopic(entity.type()));
            }
        }
        return new TopicPlan(partitions, Set.copyOf(compacted));
    }

    private LstmModel interestModel(String name) {
        if (interestModel == null || !interestModel.name().equals(name)) {
            interestModel = BenchCatalogue.model(name);
        }
        return interestModel;
    }

    /**
     * Runs {@code variant} over the whole of {@code inputTopic} ({@code events} records) and times it until the
     * read_committed output count reaches {@code events}.
     *
     * @param inspectState whether to read the user-state store (key count, value sizes) and its disk size
     */
    Results.Throughput throughput(Variant variant, int threads, String inputTopic, long events, int repeat,
            boolean inspectState, Map<String, String> extra) {
        return throughput(variant, threads, inputTopic, events, 0, repeat, inspectState, extra, () -> { });
    }

    /**
     * As above, bounded in time when {@code steadyWindows > 0}: the run stops once it has that many steady windows
     * ({@link SteadyWindows#boundNanos}) or its output reaches {@code events}, whichever comes first, and its result
     * counts the events output by then.
     */
    Results.Throughput throughput(Variant variant, int threads, String inputTopic, long events, int steadyWindows,
            int repeat, boolean inspectState, Map<String, String> extra) {
        return throughput(variant, threads, inputTopic, events, steadyWindows, repeat, inspectState, extra, () -> { });
    }

    /** As above; {@code onCompleted} runs once the output is complete, before the application closes. */
    Results.Throughput throughput(Variant variant, int threads, String inputTopic, long events, int steadyWindows,
            int repeat, boolean inspectState, Map<String, String> extra, Runnable onCompleted) {
        App app = create(variant, inputTopic, threads, "exactly_once_v2", extra);
        try {
            long count = 0;
            long firstNanos = -1;
            long firstCount = 0;
            SteadyWindows windows = new SteadyWindows();
            String loadBefore;
            double cpuBefore;
            double jitBefore;
            long start;
            long end;
            double appCpu;
            FrameworkWork framework;
            try (KafkaConsumer<byte[], byte[]> reader = cluster.committedReader(app.output, 100)) {
                reader.poll(Duration.ZERO); // resolve the seek to the beginning before the clock starts
                loadBefore = Machine.loadAverages();
                cpuBefore = Machine.processCpuSeconds();
                jitBefore = Machine.compilationSeconds();
                start = System.nanoTime();
                app.streams.start();
                long deadline = start + runTimeout.toNanos();
                long bound = Long.MAX_VALUE;
                while (count < events && System.nanoTime() < deadline && !app.failed()) {
                    int n = reader.poll(Duration.ofMillis(20)).count();
                    long now = System.nanoTime();
                    if (n > 0 && firstNanos < 0) {
                        firstNanos = now;
                        firstCount = n;
                        bound = steadyWindows > 0 ? SteadyWindows.boundNanos(firstNanos, steadyWindows)
                                : Long.MAX_VALUE;
                    }
                    count += n;
                    // bounded in time, every poll records (an empty one too): the count at the bound closes the
                    // last window
                    if (n > 0 || (steadyWindows > 0 && firstNanos > 0)) {
                        windows.record(now, count);
                    }
                    if (now >= bound) {
                        break;
                    }
                }
                end = System.nanoTime();
                appCpu = app.appCpuSeconds();
                framework = FrameworkWork.from(app.streams.metrics(), app.appId);
                onCompleted.run();
            }
            double jvmCpu = Machine.processCpuSeconds() - cpuBefore;
            double jit = Machine.compilationSeconds() - jitBefore;
            String loadAfter = Machine.loadAverages();
            if (app.failure.get() != null) {
                log.println("  " + app.appId + " failed: " + app.failure.get());
            }
            List<Double> windowRates = windows.steadyRates(firstNanos, steadyWindows);
            boolean completed = count >= events || (steadyWindows > 0 && windowRates.size() >= steadyWindows);
            double seconds = (end - start) / 1e9;
            double steady = firstNanos > 0 && end > firstNanos ? (count - firstCount) / ((end - firstNanos) / 1e9)
                    : Double.NaN;
            Results.StateStats state = null;
            if (inspectState && completed && variant != Variant.PASS_THROUGH) {
                state = storeContents(app);
            }
            Map<String, Long> side = new LinkedHashMap<>();
            app.close();
            if (state != null) {
                state = withDisk(state, app.stateDir);
            }
            app.sideOutputs.forEach((role, topic) -> side.put(role, cluster.countCommitted(List.of(topic))));
            // bounded in time, the run's events are those it output by the end (the rest of the input was never read)
            return new Results.Throughput(variant, threads, repeat, steadyWindows > 0 ? count : events, count,
                    seconds, count / seconds, steady, firstNanos > 0 ? (firstNanos - start) / 1e9 : Double.NaN,
                    appCpu, jvmCpu, jit, loadBefore, loadAfter, completed, side, state, Map.copyOf(extra), windowRates,
                    framework);
        } finally {
            app.close();
            app.cleanUp();
        }
    }

    private Results.StateStats storeContents(App app) {
        String store = app.variant.isPulse() ? StateStores.USER_STATE : BenchTopologies.STATE_STORE;
        ReadOnlyKeyValueStore<String, byte[]> view = app.streams.store(
                StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        long keys = 0;
        long bytes = 0;
        long max = 0;
        try (KeyValueIterator<String, byte[]> all = view.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (entry.key.startsWith("\u0000")) {
                    continue; // Pulse's reserved per-task clock entry, not a user
                }
                keys++;
                bytes += entry.value.length;
                max = Math.max(max, entry.value.length);
            }
        }
        return new Results.StateStats(keys, keys == 0 ? Double.NaN : (double) bytes / keys, max, 0, Map.of());
    }

    private static Results.StateStats withDisk(Results.StateStats state, Path stateDir) {
        List<String> stores = List.of(StateStores.USER_STATE, StateStores.SCORED_EVENTS,
                StateStores.INACTIVITY_INDEX,
                StateStores.MODEL_WEIGHTS, StateStores.entity(BenchTerminals.TYPE), BenchTopologies.STATE_STORE);
        Map<String, Long> byStore = new LinkedHashMap<>();
        long total = 0;
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                long size = Files.size(file);
                total += size;
                String owner = "other (checkpoints, locks)";
                for (Path element : stateDir.relativize(file)) {
                    String name = element.toString();
                    for (String store : stores) {
                        if (name.equals(store) || name.startsWith(store + ".")) {
                            owner = store;
                        }
                    }
                }
                byStore.merge(owner, size, Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + stateDir, e);
        }
        return new Results.StateStats(state.keys(), state.meanValueBytes(), state.maxValueBytes(), total, byStore);
    }

    /**
     * A paced run of a Pulse variant with 1 stream thread in this JVM (next to the broker and the benchmark's own
     * data): events of {@code workload} produced at {@code rate} per second for {@code warmup + measure}, latencies of
     * the events sent after the warm-up.
     */
    Results.Latency latency(Variant variant, Workload workload, String setting, String guarantee,
            Map<String, String> extra, double fraction, double rate, Duration warmup, Duration measure) {
        return latency(variant, 1, workload, setting, guarantee, extra, fraction, rate, warmup, measure);
    }

    /**
     * As {@link #latency(Variant, Workload, String, String, Map, double, double, Duration, Duration)}, with
     * {@code threads} stream threads.
     */
    Results.Latency latency(Variant variant, int threads, Workload workload, String setting, String guarantee,
            Map<String, String> extra, double fraction, double rate, Duration warmup, Duration measure) {
        String inputTopic = "bench-latency-in-" + (runCounter + 1) + "-" + UUID.randomUUID().toString().substring(0, 8);
        cluster.createTopics(Map.of(inputTopic, partitions), Set.of());
        App app = create(variant, inputTopic, threads, guarantee, extra);
        PipelineUnderTest pipeline = new PipelineUnderTest() {
            @Override
            public String input() {
                return inputTopic;
            }

            @Override
            public String output() {
                return app.output;
            }

            @Override
            public String failure() {
                return app.failure.get() != null ? String.valueOf(app.failure.get())
                        : app.failed() ? "Kafka Streams " + app.streams.state() : null;
            }

            @Override
            public double[] gcPauses() {
                return Machine.gcPauses();
            }

            @Override
            public RunQueue.Snapshot runQueue() {
                return RunQueue.take();
            }

            @Override
            public double[] clientWaits() {
                FrameworkWork work = FrameworkWork.from(app.streams.metrics(), app.appId);
                return new double[] {work.blockedSeconds() * 1000, work.bufferWaitSeconds() * 1000};
            }

            @Override
            public String threadNamePrefix() {
                return app.appId;
            }

            @Override
            public void close() {
                app.close();
                app.cleanUp();
                cluster.deleteTopicsStartingWith(inputTopic);
            }
        };
        try (pipeline) {
            app.streams.start();
            awaitRunning(app);
            return paced(pipeline, variant, app.streamThreads, workload, setting, guarantee, fraction, rate, warmup,
                    measure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * As {@link #latency}, for the full pipeline as it is deployed: {@code pulse pipeline} in a JVM of its own
     * ({@link ChildPipeline}: the deployed heap, {@code collector}), 1 stream thread, its own topics, {@code extra} as
     * its settings.
     */
    Results.Latency latencyOwnJvm(String collector, Workload workload, String setting, String guarantee,
            Map<String, String> extra, double fraction, double rate, Duration warmup, Duration measure) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(PulseConfig.PROCESSING_GUARANTEE, guarantee);
        settings.put("num.stream.threads", "1");
        settings.putAll(extra);
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(childPipeline("latency", settings, collector))) {
            return paced(pipeline, Variant.FULL, PulseConfig.load(null, Map.of(), settings).streamThreads(), workload,
                    setting, guarantee, fraction, rate, warmup, measure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The maximum rate of the full pipeline in a JVM of its own ({@code pulse pipeline}, {@code collector}, 1 stream
     * thread), with a sender running as in the paced rows. First a fresh instance drains a backlog of the workload's
     * first events (its JIT warms up; the rate it reaches alone sets the first offer); then a {@link PacedSender}
     * offers {@link #MAX_RATE_OFFER} times that rate with the next events, and what the pipeline predicted per second
     * while it did (from {@link #MAX_RATE_SETTLE} after the sender's start to its end, read from its own
     * {@code pulse_predictions_total}) is a measurement of its maximum. If the pipeline kept up with that offer
     * ({@link LiveMax#senderBound}: its JIT was still cold while it drained, so 1.5 times the drained rate can be
     * less than it takes once warm), the sender offers {@link #MAX_RATE_OFFER} times what it took, up to
     * {@link #MAX_RATE_OFFERS} offers or the end of the workload; the maximum is the most it took
     * ({@link MaxRate#best}). On two cores the
     * sender and the broker's produce path take part of the machine: a maximum measured without them (the drained
     * rate, reported too) overstates what a paced row can get.
     */
    MaxRate maxRateOwnJvm(String collector, Workload workload) {
        int backlog = Math.min(MAX_RATE_BACKLOG, workload.events() / 3);
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(childPipeline("max-rate",
                Map.of("num.stream.threads", "1"), collector))) {
            cluster.produce(workload, backlog, pipeline.input());
            Thread.sleep(MAX_RATE_SETTLE.toMillis()); // past the start of draining, whatever producing left behind
            long fromCount = pipeline.child.predictedTotal();
            long from = System.nanoTime();
            long count = fromCount;
            while (count < 0.95 * backlog && System.nanoTime() - from < MAX_RATE_WINDOW.toNanos()
                    && pipeline.failure() == null) {
                Thread.sleep(1_000); // sampling a running process at a fixed period
                count = pipeline.child.predictedTotal();
            }
            double drained = rate(pipeline, fromCount, count, from, "draining " + backlog + " events");
            // more than it can take, so that what it predicts is its limit, not the offer
            double offered = MAX_RATE_OFFER * drained;
            int next = backlog;
            List<OwnJvmOffer> offers = new ArrayList<>();
            for (int offer = 0; offer < MAX_RATE_OFFERS; offer++) {
                // the settling and the window's worth at the offered rate, not the whole rest of the workload: a
                // sender that cannot keep up (sharing one core with the broker under --latency-pipeline-cpus) still
                // ends in time
                int toSend = (int) Math.min(workload.events() - next,
                        Math.ceil(offered * MAX_RATE_SETTLE.plus(MAX_RATE_WINDOW).toSeconds()));
                if (toSend < offered * MAX_RATE_WINDOW.toSeconds()) {
                    break; // not enough of the workload left for a full window at this offer
                }
                OwnJvmOffer taken = takenWhileSending(pipeline, workload, next, toSend, offered);
                next += toSend;
                log.printf(Locale.ROOT, "  max rate in its own JVM (%s): %,.0f events/s draining a backlog alone,"
                        + " %,.0f events/s with a sender offering %,.0f (it sent %,.0f a second; JIT %.0f ms/s)%n",
                        collector, drained, taken.taken().predicted(), offered, taken.taken().sent(),
                        taken.jitCpuMsPerSecond());
                offers.add(taken);
                if (!taken.taken().senderBound()) {
                    break; // it fell behind the offer: what it took is its limit
                }
                offered = MAX_RATE_OFFER * taken.taken().predicted();
            }
            if (offers.isEmpty()) {
                throw new IllegalStateException("the workload has too few events left after the backlog of " + backlog
                        + " for a maximum-rate window at " + Math.round(offered) + " events/s; give more --events");
            }
            return new MaxRate(drained, offers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One of {@link #maxRateOwnJvm}'s offers: events {@code from … from + count} of the workload at {@code offered}. */
    private OwnJvmOffer takenWhileSending(ChildProcessPipeline pipeline, Workload workload, int from, int count,
            double offered) throws InterruptedException {
        Path records = writeSenderRecords(workload, from, count);
        SendingWindow window;
        RunQueue.Snapshot before = pipeline.runQueue();
        long sendingFrom = System.nanoTime();
        try {
            // the same settling as the drained rate's, from the sender's start
            window = countWhileSending(pipeline.input(), records, offered, MAX_RATE_SETTLE,
                    pipeline.child::predictedTotal);
        } finally {
            deleteQuietly(records);
        }
        // whether its JIT was still compiling meanwhile (then the maximum understates the warm pipeline's)
        double jit = RunQueue.between(before, pipeline.runQueue(), (System.nanoTime() - sendingFrom) / 1e9,
                pipeline.threadNamePrefix()).jitCpuMsPerSecond();
        double live = rate(pipeline, window.fromCount(), window.toCount(), window.fromNanos(),
                "offered " + Math.round(offered) + " events/s by a sender");
        return new OwnJvmOffer(offered, new LiveMax(live, window.sender().sent() / window.sender().seconds(),
                (window.toNanos() - window.fromNanos()) / 1e9), jit);
    }

    /** How many offers {@link #maxRateOwnJvm} makes at most, each {@link #MAX_RATE_OFFER} times what the last took. */
    static final int MAX_RATE_OFFERS = 3;

    /**
     * The maximum rate of {@code variant} in the benchmark's JVM (1 stream thread, exactly-once) with a sender running,
     * as in its paced rows: a fresh instance on an input topic of its own, a {@link PacedSender} offering
     * {@code offered} events/s (more than it can take) from the workload's first events, {@link #MAX_RATE_SEND_IN_JVM}
     * of them at that rate, and the maximum is the predictions a
     * read_committed reader received per second from {@link #MAX_RATE_SETTLE_IN_JVM} after the sender's start until
     * the sender had sent everything. A throughput run's rate, over an input produced beforehand, leaves out the
     * sender's and the broker's produce path that a paced row shares the two cores with; once the JIT had settled
     * (benchmarks/README item 12) half of it was more than the pipeline took with a sender running.
     */
    LiveMax maxRateWithSender(Variant variant, Workload workload, double offered) {
        return maxRateWithSender(variant, 1, workload, offered);
    }

    /** As {@link #maxRateWithSender(Variant, Workload, double)}, with {@code threads} stream threads. */
    LiveMax maxRateWithSender(Variant variant, int threads, Workload workload, double offered) {
        String inputTopic = "bench-max-rate-in-" + (runCounter + 1) + "-" + UUID.randomUUID().toString().substring(0, 8);
        cluster.createTopics(Map.of(inputTopic, partitions), Set.of());
        App app = create(variant, inputTopic, threads, "exactly_once_v2", Map.of());
        // enough records for the settling and the window at the offered rate, not the whole (possibly 3M) workload
        int count = (int) Math.min(workload.events(), Math.ceil(offered * MAX_RATE_SEND_IN_JVM.toSeconds()));
        Path records = writeSenderRecords(workload, count);
        AtomicLong received = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = cluster.committedReader(app.output, 5)) {
                while (!stop.get()) {
                    received.addAndGet(consumer.poll(Duration.ofMillis(5)).count());
                }
            }
        }, "bench-max-rate-reader");
        reader.setDaemon(true);
        try {
            app.streams.start();
            awaitRunning(app);
            reader.start();
            // past the sender's and the pipeline's start
            SendingWindow window = countWhileSending(inputTopic, records, offered, MAX_RATE_SETTLE_IN_JVM,
                    received::get);
            if (window.fromNanos() == 0 || window.toCount() <= window.fromCount() || app.failure.get() != null) {
                throw new IllegalStateException("(" + variant.letter() + ") predicted nothing while a sender offered "
                        + Math.round(offered) + " events/s (" + app.failure.get() + "); its " + count
                        + " events may be too few for this rate");
            }
            double seconds = (window.toNanos() - window.fromNanos()) / 1e9;
            LiveMax max = new LiveMax((window.toCount() - window.fromCount()) / seconds,
                    window.sender().sent() / window.sender().seconds(), seconds);
            log.printf(Locale.ROOT, "  max rate of (%s) in the benchmark's JVM at %d stream thread%s: %,.0f events/s with"
                    + " a sender offering %,.0f and sending %,.0f (over %.1f s)%s%n", variant.letter(), threads,
                    threads == 1 ? "" : "s", max.predicted(), offered,
                    max.sent(), seconds, max.senderBound() ? "; the sender, not the pipeline, may have set it" : "");
            return max;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            stop.set(true);
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            app.close();
            app.cleanUp();
            cluster.deleteTopicsStartingWith(inputTopic);
            deleteQuietly(records);
        }
    }

    /**
     * Runs a {@link PacedSender} offering {@code offered} events/s of {@code records} to {@code input}, and reads
     * {@code predictions} (the pipeline's count so far) {@code settle} after the sender's start and again once it has
     * sent everything: the two maximum-rate measurements' common part.
     */
    private SendingWindow countWhileSending(String input, Path records, double offered, Duration settle,
            LongSupplier predictions) throws InterruptedException {
        AtomicLong from = new AtomicLong();
        AtomicLong fromCount = new AtomicLong();
        Thread sampler = new Thread(() -> {
            try {
                Thread.sleep(settle.toMillis());
                fromCount.set(predictions.getAsLong());
                from.set(System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-max-rate-sampler");
        PacedSender.Outcome sender = sender().send(input, records, offered, Duration.ZERO,
                MAX_RATE_WINDOW.plus(SENDER_GRACE), startMillis -> sampler.start());
        sampler.join();
        return new SendingWindow(fromCount.get(), predictions.getAsLong(), from.get(), System.nanoTime(), sender);
    }

    /**
     * {@link #countWhileSending}'s readings: the prediction counts at the window's start and end, their times
     * ({@code fromNanos} 0 if the window never started) and what the sender reported.
     */
    private record SendingWindow(long fromCount, long toCount, long fromNanos, long toNanos,
            PacedSender.Outcome sender) {
    }

    /**
     * What {@link #maxRateWithSender} measured: the pipeline's predictions per second (the maximum) over
     * {@code seconds}, and what the sender sent per second over its whole run.
     */
    record LiveMax(double predicted, double sent, double seconds) {

        /**
         * Whether the sender sent less than {@link #SENDER_MARGIN} times what the pipeline predicted: then no backlog
         * need have built up, and the figure may be the sender's limit rather than the pipeline's.
         */
        boolean senderBound() {
            return sent < SENDER_MARGIN * predicted;
        }

        static final double SENDER_MARGIN = 1.1;
    }

    /** {@link #maxRateWithSender}'s wait from the sender's start before it counts. */
    private static final Duration MAX_RATE_SETTLE_IN_JVM = Duration.ofSeconds(2);
    /**
     * How long {@link #maxRateWithSender}'s sender sends at the offered rate, at most (the workload may end sooner, as
     * the quick run's does): every full run counts over about 33 s. A window of a few seconds had given a lower
     * maximum (benchmarks/README item 12); the ramp of offers of item 13 shows that, past its limit, what the pipeline
     * takes hardly depends on the offer.
     */
    private static final Duration MAX_RATE_SEND_IN_JVM = Duration.ofSeconds(35);

    /**
     * What {@link #maxRateOwnJvm} measured: the rate the pipeline reached draining a backlog alone, then each offer
     * with a sender running, in order.
     */
    record MaxRate(double drained, List<OwnJvmOffer> offers) {

        /** The offer the pipeline took the most of: its maximum with a sender running. */
        OwnJvmOffer best() {
            return offers.stream().max(Comparator.comparingDouble(o -> o.taken().predicted())).orElseThrow();
        }
    }

    /**
     * One offer of {@link #maxRateOwnJvm}: what the sender offered, what the pipeline took of it (the maximum, if it fell
     * behind the offer), and its JVM's JIT compilers' time on a core per second meanwhile ({@link RunQueue}; NaN if
     * unread).
     */
    record OwnJvmOffer(double offered, LiveMax taken, double jitCpuMsPerSecond) {
    }

    private static double rate(ChildProcessPipeline pipeline, long fromCount, long toCount, long fromNanos,
            String what) {
        double seconds = (System.nanoTime() - fromNanos) / 1e9;
        if (pipeline.failure() != null || toCount <= fromCount || fromNanos == 0) {
            throw new IllegalStateException("the pipeline in its own JVM predicted nothing while " + what + " ("
                    + pipeline.failure() + ")");
        }
        return (toCount - fromCount) / seconds;
    }

    private static final int MAX_RATE_BACKLOG = 400_000;
    /**
     * The sender offers this multiple of the drained rate: above what the pipeline can take with a sender running.
     * The sender then works a little harder than at the limit, so the maximum is a slight underestimate.
     */
    static final double MAX_RATE_OFFER = 1.5;
    private static final Duration MAX_RATE_SETTLE = Duration.ofSeconds(5);
    private static final Duration MAX_RATE_WINDOW = Duration.ofSeconds(40);

    private ChildPipeline childPipeline(String name, Map<String, String> settings, String collector)
            throws InterruptedException {
        ChildPipeline child = ChildPipeline.configure(cluster.infra(), stateRoot, name + "-" + (++runCounter),
                partitions, settings, ChildJvm.DEPLOYED_PIPELINE_HEAP, collector).onCpus(pipelineCpus).start();
        try {
            return child.awaitReady(RUNNING_TIMEOUT);
        } catch (RuntimeException | InterruptedException e) {
            child.close();
            throw e;
        }
    }

    /** The pipeline a paced run measures: where its input goes, where its predictions come out, whether it failed. */
    private interface PipelineUnderTest extends AutoCloseable {

        String input();

        String output();

        /** Why it stopped, or {@code null} while it runs. */
        String failure();

        /** Its JVM's stop-the-world pauses so far: {count, total milliseconds}; NaNs if unknown. */
        double[] gcPauses();

        /** Its JVM's threads' scheduler counters now ({@link RunQueue}); empty if they cannot be read. */
        default RunQueue.Snapshot runQueue() {
            return RunQueue.Snapshot.EMPTY;
        }

        /**
         * Its Kafka clients' waiting so far, in milliseconds: {the stream threads' time blocked in them, the producers'
         * time waiting for buffer memory} ({@link Results.ClientWaits}); null if they cannot be read.
         */
        default double[] clientWaits() {
            return null;
        }

        /** The start of its stream threads' names (the application id), to find them in {@link #runQueue}. */
        default String threadNamePrefix() {
            return "";
        }

        @Override
        void close();
    }

    /** {@code pulse pipeline} in its own JVM; closing stops it (SIGTERM) and deletes its topics and state. */
    private final class ChildProcessPipeline implements PipelineUnderTest {
        private final ChildPipeline child;

        ChildProcessPipeline(ChildPipeline child) {
            this.child = child;
        }

        @Override
        public String input() {
            return child.eventsTopic();
        }

        @Override
        public String output() {
            return child.predictionsTopic();
        }

        @Override
        public String failure() {
            return child.isAlive() ? null : "the pipeline's JVM exited; see " + child.log();
        }

        /** From its {@code /metrics} (Micrometer's {@code JvmGcMetrics}: pauses only, not concurrent phases). */
        @Override
        public double[] gcPauses() {
            double[] pauses = child.metrics(0, "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum");
            return new double[] {pauses[0], pauses[1] * 1000};
        }

        /** From its {@code /metrics}: Micrometer's binding of Kafka Streams' and its producers' own metrics. */
        @Override
        public double[] clientWaits() {
            double[] nanos = child.metrics(Double.NaN, "kafka_stream_thread_blocked_time_ns_total",
                    "kafka_producer_bufferpool_wait_time_ns_total");
            return new double[] {nanos[0] / 1e6, nanos[1] / 1e6};
        }

        /** Its JVM's threads, read from the kernel ({@code /proc/<its pid>/task}). */
        @Override
        public RunQueue.Snapshot runQueue() {
            return child.isAlive() ? RunQueue.take(child.pid()) : RunQueue.Snapshot.EMPTY;
        }

        @Override
        public String threadNamePrefix() {
            return child.applicationId();
        }

        @Override
        public void close() {
            try {
                child.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cluster.deleteTopicsStartingWith(child.applicationId());
            deleteRecursively(child.stateDir());
        }
    }

    private Results.Latency paced(PipelineUnderTest pipeline, Variant variant, int threads, Workload workload,
            String setting, String guarantee, double fraction, double rate, Duration warmup, Duration measure)
            throws InterruptedException {
        long total = Math.min(workload.events(), (long) Math.ceil(rate * (warmup.toMillis() + measure.toMillis())
                / 1000.0));
        int capacity = (int) total;
        long[] visible = new long[capacity];
        long[] processed = new long[capacity];
        Path records = writeSenderRecords(workload, capacity);
        AtomicLong samples = new AtomicLong();
        AtomicLong seen = new AtomicLong();
        AtomicLong measureFromMillis = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean stop = new AtomicBoolean();
        try {
            Thread reader = new Thread(() -> readPredictions(pipeline.output(), visible, processed, samples, seen,
                    measureFromMillis, stop), "bench-latency-reader");
            reader.setDaemon(true);
            reader.start();
            String loadBefore = Machine.loadAverages();
            // the load comes from a JVM of its own (PacedSender): paced open-loop, each record stamped with the
            // time it was due, its own lag reported
            AtomicReference<double[]> gcAtMeasureStart = new AtomicReference<>();
            AtomicReference<RunQueue.Snapshot> runQueueAtMeasureStart = new AtomicReference<>(RunQueue.Snapshot.EMPTY);
            AtomicReference<double[]> clientWaitsAtMeasureStart = new AtomicReference<>();
            AtomicLong measureStartNanos = new AtomicLong();
            Thread gcReader = new Thread(() -> {
                try {
                    Thread.sleep(warmup.toMillis()); // the pauses of the measured window only
                    measureStartNanos.set(System.nanoTime());
                    gcAtMeasureStart.set(pipeline.gcPauses());
                    runQueueAtMeasureStart.set(pipeline.runQueue());
                    clientWaitsAtMeasureStart.set(pipeline.clientWaits());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-latency-gc");
            gcReader.setDaemon(true);
            PacedSender.Outcome sender = sender().send(pipeline.input(), records, rate, warmup,
                    warmup.plus(measure).plus(SENDER_GRACE), startMillis -> {
                        measureFromMillis.set(startMillis + warmup.toMillis());
                        gcReader.start();
                    });
            gcReader.join();
            double measuredSeconds = (System.nanoTime() - measureStartNanos.get()) / 1e9;
            Results.GcPauses gc = Results.GcPauses.between(gcAtMeasureStart.get(), pipeline.gcPauses(),
                    measuredSeconds);
            Results.RunDelay runDelay = RunQueue.between(runQueueAtMeasureStart.get(), pipeline.runQueue(),
                    measuredSeconds, pipeline.threadNamePrefix());
            Results.ClientWaits clientWaits = Results.ClientWaits.between(clientWaitsAtMeasureStart.get(),
                    pipeline.clientWaits(), measuredSeconds);
            long sent = sender.sent();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.get() < sent && System.nanoTime() < deadline && pipeline.failure() == null) {
                LockSupport.parkNanos(10_000_000);
            }
            stop.set(true);
            reader.join(10_000);
            String loadAfter = Machine.loadAverages();
            if (pipeline.failure() != null) {
                log.println("  " + setting + " failed: " + pipeline.failure());
            }
            int n = (int) Math.min(samples.get(), capacity);
            Percentiles v = Percentiles.of(visible, n);
            Percentiles p = Percentiles.of(processed, n);
            double achieved = sent / sender.seconds();
            boolean any = n > 0;
            return new Results.Latency(variant, setting, guarantee, fraction, rate, achieved, sent, n,
                    Math.max(0, sent - seen.get()), any ? v.percentile(50) : -1, any ? v.percentile(95) : -1,
                    any ? v.percentile(99) : -1, any ? v.max() : -1, any ? p.percentile(50) : -1,
                    any ? p.percentile(95) : -1, any ? p.percentile(99) : -1, loadBefore, loadAfter,
                    sender.lagP99Micros(), sender.lagMaxMicros(), sender.jitMsPerSecond(), gc, runDelay, clientWaits,
                    threads);
        } finally {
            stop.set(true);
            deleteQuietly(records);
        }
    }

    /** The sender JVM of this run, started on first use (the maximum's measurement, before the paced rows). */
    private PacedSender.Jvm sender() {
        if (sender == null) {
            sender = new PacedSender.Jvm(cluster.bootstrapServers());
        }
        return sender;
    }

    /** Ends the sender JVM, if one was started. */
    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
    }

    /** The sender JVM's time beyond its paced sending: start-up, reading its records, the last acknowledgements. */
    private static final Duration SENDER_GRACE = Duration.ofSeconds(60);

    /** Events {@code [0, count)} of the workload in a temporary file, for the sender JVM. */
    private static Path writeSenderRecords(Workload workload, int count) {
        return writeSenderRecords(workload, 0, count);
    }

    /** Events {@code [from, from + count)} of the workload in a temporary file, for the sender JVM. */
    private static Path writeSenderRecords(Workload workload, int from, int count) {
        try {
            Path file = Files.createTempFile("pulse-bench-sender-", ".bin");
            PacedSender.writeRecords(file, count, i -> workload.key(from + i), i -> workload.value(from + i));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sender's record file", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind; nothing to measure depends on it
        }
    }

    private void readPredictions(String topic, long[] visible, long[] processed, AtomicLong samples, AtomicLong seen,
            AtomicLong measureFromMillis, AtomicBoolean stop) {
        try (KafkaConsumer<byte[], byte[]> reader = cluster.committedReader(topic, 5);
             AvroDeserializer<Prediction> decoder = new AvroDeserializer<>(Prediction.class)) {
            decoder.configure(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, cluster.schemaRegistryUrl()), false);
            while (!stop.get()) {
                ConsumerRecords<byte[], byte[]> records = reader.poll(Duration.ofMillis(5));
                long visibleAt = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    seen.incrementAndGet();
                    if (record.timestamp() < measureFromMillis.get()) {
                        continue; // sent during the warm-up
                    }
                    Prediction prediction = decoder.deserialize(topic, record.value());
                    int i = (int) samples.get();
                    if (i < visible.length) {
                        visible[i] = visibleAt - record.timestamp();
                        processed[i] = prediction.getPredictedAt().toEpochMilli() - record.timestamp();
                        samples.incrementAndGet();
                    }
                }
            }
        }
    }

    private void awaitRunning(App app) throws InterruptedException {
        long deadline = System.nanoTime() + RUNNING_TIMEOUT.toNanos();
        while (app.streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || app.failed() && app.streams.state() != KafkaStreams.State.CREATED) {
                throw new IllegalStateException(app.appId + " did not reach RUNNING: " + app.streams.state(),
                        app.failure.get());
            }
            Thread.sleep(50);
        }
        Thread.sleep(500); // let the first poll assign partitions and register the transactional producer
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

package io.pulse.pipeline;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulse.contracts.schema.Contracts;
import io.pulse.contracts.schema.Topic.TopicSpec;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.FeatureSpec;
import io.pulse.pipeline.erasure.ErasureRequests;
import io.pulse.pipeline.http.AdminGuard;
import io.pulse.pipeline.http.PulseHttpServer;
import io.pulse.pipeline.processing.InterestSettings;
import io.pulse.pipeline.processing.ModelHolder;
import io.pulse.pipeline.processing.Recommender;
import io.pulse.pipeline.state.UserStateCodec;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.pipeline.telemetry.RestoreLog;
import io.pulse.pipeline.telemetry.StoreMetricTags;
import io.pulse.pipeline.telemetry.ThreadConfinedMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Pulse pipeline instance: the HTTP server, then Kafka Streams with the {@link PulseTopology}. The app
 * describes, {@link #start()} runs, {@link #close()} stops; nothing here calls {@code System.exit}.
 *
 * <p>A failed stream thread is replaced and its tasks retried (with exactly-once nothing is lost or duplicated): a
 * Schema Registry outage or a broker restart must not end the instance.
 */
public final class PulsePipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PulsePipeline.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final PulseConfig config;
    private final PrometheusMeterRegistry registry = prometheusRegistry();
    private final PipelineMetrics metrics;
    private final ModelHolder models;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private PulseHttpServer http;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private boolean closing;
    private ErasureRequests erasureRequests;

    public PulsePipeline(PulseConfig config) {
        this.config = config;
        this.metrics = new PipelineMetrics(registry, config.liveFeed());
        this.models = PulseTopology.fallbackModel(config);
        Contracts.trustGeneratedClasses();
    }

    /** Creates missing topics (when allowed), binds HTTP, starts Kafka Streams; returns once started. */
    public PulsePipeline start() {
        provisionTopics();
        TopicProvisioner.requireCoPartitioned(clientConfig(), config.topic(PulseConfig.TOPIC_USER_EVENTS),
                List.of(config.topic(PulseConfig.TOPIC_LABELS), config.topic(PulseConfig.TOPIC_ERASURES)));
        warmUpModel();
        try {
            http = PulseHttpServer.start(config.getString(PulseConfig.HTTP_HOST), config.getInt(PulseConfig.HTTP_PORT),
                    registry, metrics, models, new UserStateCodec(FeatureSpec.v1()), AdminGuard.of(config.adminToken()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the HTTP server to " + config.getString(PulseConfig.HTTP_HOST)
                    + ":" + config.getInt(PulseConfig.HTTP_PORT) + " (set http.port, or PULSE_HTTP_PORT)", e);
        }
        // with http.port=0 the real port is known only now, and other instances must be told the real one
        PulseConfig effective = config.getInt(PulseConfig.HTTP_PORT) == 0 && advertisedIsDefault()
                ? withOverride(config, PulseConfig.HTTP_PORT, Integer.toString(http.port()))
                : config;
        Optional<String> instanceId = StaticMembership.defaultInstanceId(effective);
        if (instanceId.isPresent()) {
            effective = withOverride(effective, StaticMembership.GROUP_INSTANCE_ID, instanceId.get());
            LOG.info("static group member {} (id kept in {}): restarted after a crash or a stop, this instance takes"
                    + " its tasks back without a rebalance", instanceId.get(), config.getString(PulseConfig.STATE_DIR));
        }
        streams = new KafkaStreams(PulseTopology.build(effective, models, metrics), effective.streamsProperties());
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("a stream thread failed; replacing it and retrying its tasks", exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setGlobalStateRestoreListener(new RestoreLog(registry));
        streams.setStateListener((newState, oldState) -> {
            LOG.info("pipeline state {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.RUNNING) {
                bindStreamsMetrics(); // the new tasks' store metrics, now rather than at the binder's next minute
            }
            if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        bindStreamsMetrics();
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        http.showThresholds(config.getDouble(PulseConfig.FRAUD_ALERT_THRESHOLD),
                config.getDouble(PulseConfig.CHURN_ALERT_THRESHOLD),
                config.getDouble(PulseConfig.INTEREST_ALERT_THRESHOLD));
        http.recommendWith(new Recommender(InterestSettings.from(config), metrics));
        http.showEntities(config.entities(), config.entitiesBroadcast());
        http.serve(streams, HostInfo.buildFromEndpoint(effective.advertisedHostPort()));
        erasureRequests = new ErasureRequests(clientConfig(), config.topic(PulseConfig.TOPIC_ERASURES));
        http.acceptErasures(erasureRequests::submit);
        if (config.adminToken().isEmpty()) {
            LOG.info("no http.admin.token: HTTP requests that change state (DELETE /users/{{id}}) are refused;"
                    + " set PULSE_HTTP_ADMIN_TOKEN to allow them");
        }
        if (!config.entities().isEmpty() && config.streamThreads() == 1) {
            LOG.info("entity types {} with one stream thread, which runs the users' and the entities' tasks in turn:"
                    + " set num.stream.threads=2 or more (PULSE_NUM_STREAM_THREADS) for a shorter tail"
                    + " (benchmarks/README.md item 42)",
                    config.entities().stream().map(EntityWindowSpec::type).toList());
        }
        streams.start();
        LOG.info("pipeline {} started: reading {}, model {}", config.getString(PulseConfig.APPLICATION_ID),
                config.topic(PulseConfig.TOPIC_USER_EVENTS), models.current().version());
        return this;
    }

    /**
     * Exports Kafka Streams' metrics as they are now: Micrometer's binder looks for new ones only once a minute, so
     * the metrics of tasks assigned since (their stores' above all) are bound again whenever the instance reaches
     * RUNNING.
     */
    private synchronized void bindStreamsMetrics() {
        if (closing) {
            return;
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    /**
     * Pulse's registry: every Kafka Streams store metric under the same tag keys ({@link StoreMetricTags}), without
     * the gauges a scrape must not evaluate ({@link ThreadConfinedMetrics}).
     */
    private static PrometheusMeterRegistry prometheusRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new StoreMetricTags()).meterFilter(new ThreadConfinedMetrics());
        return registry;
    }

    /** Compiles the kernel before the first event, so that the first minute after a (re)start is not slow. */
    private void warmUpModel() {
        int steps = config.getInt(PulseConfig.MODEL_WARMUP_STEPS);
        if (steps == 0) {
            return;
        }
        long started = System.nanoTime();
        double nanosPerStep = models.current().warmUp(steps);
        LOG.info("LSTM kernel {} warmed up: {} steps in {} ms, now {} µs per step", models.current().kernelName(),
                steps, (System.nanoTime() - started) / 1_000_000, String.format(Locale.ROOT, "%.1f",
                        nanosPerStep / 1000));
    }

    /** Blocks until the pipeline stops (closed, or failed for good). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams != null && streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (stopped.await(100, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return false;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int httpPort() {
        return http.port();
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public ModelHolder models() {
        return models;
    }

    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        if (streams != null) {
            boolean clean = streams.close(CLOSE_TIMEOUT);
            if (clean) {
                LOG.info("pipeline closed");
            } else {
                LOG.warn("pipeline did not close within {}", CLOSE_TIMEOUT);
            }
        }
        synchronized (this) {
            if (streamsMetrics != null) {
                streamsMetrics.close();
                streamsMetrics = null;
            }
        }
        if (http != null) {
            http.close();
        }
        if (erasureRequests != null) {
            erasureRequests.close();
        }
        stopped.countDown();
    }

    /** Kafka client settings (security included) plus the registry's, for the clients Pulse makes itself. */
    private Map<String, Object> clientConfig() {
        Map<String, Object> clients = new HashMap<>(config.originals());
        clients.put(PulseConfig.BOOTSTRAP_SERVERS, String.join(",", config.getList(PulseConfig.BOOTSTRAP_SERVERS)));
        clients.remove(PulseConfig.HTTP_ADMIN_TOKEN);
        clients.putAll(config.serdeConfig());
        return clients;
    }

    private boolean advertisedIsDefault() {
        return config.getString(PulseConfig.HTTP_ADVERTISED_URL).isBlank();
    }

    private static PulseConfig withOverride(PulseConfig config, String key, String value) {
        Map<String, Object> originals = new HashMap<>(config.originals());
        originals.put(key, value);
        return new PulseConfig(originals);
    }

    private void provisionTopics() {
        if (!config.getBoolean(PulseConfig.CREATE_TOPICS)) {
            return;
        }
        int partitions = config.getInt(PulseConfig.TOPIC_PARTITIONS);
        // the catalogue's creation settings under the configured names
        List<TopicSpec> specs = new ArrayList<>(config.topics().stream().map(topic -> topic.spec(partitions))
                .toList());
        if (config.entitiesBroadcast()) {
            // the entity stores' changelogs, which the snapshots' global stores read: a global store's source must
            // exist before Kafka Streams starts, so they are created here as Kafka Streams would create them
            for (EntityWindowSpec entity : config.entities()) {
                specs.add(new TopicSpec(config.entityChangelogTopic(entity.type()), partitions,
                        Map.of("cleanup.policy", "compact")));
            }
        }
        Map<String, Object> admin = new HashMap<>(config.originals());
        admin.put("bootstrap.servers", String.join(",", config.getList(PulseConfig.BOOTSTRAP_SERVERS)));
        List<String> created = TopicProvisioner.ensureTopics(admin, specs);
        if (!created.isEmpty()) {
            LOG.info("created topics {}", created);
        }
    }
}

package io.pulse.pipeline.processing;

import io.pulse.pipeline.PulseConfig;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Commits often while a task keeps up with live traffic, and leaves commits to {@code commit.interval.ms} while it
 * works through a backlog. Under exactly-once a prediction becomes visible to {@code read_committed} consumers only
 * when its transaction commits, so a live pipeline wants short commit intervals (latency); but every commit costs a
 * transaction, a flush of the record caches and the changelogs, and an offset commit, so a pipeline catching up on a
 * backlog wants long ones (throughput: the end-to-end benchmark runs the pipeline with and without the pacing side by
 * side, variants (c) and (h) in {@code benchmarks/RESULTS.md}). Kafka Streams has one fixed interval; this keeps that
 * interval long
 * ({@code commit.interval.ms}, which Pulse sets to {@link PulseConfig#DEFAULT_EOS_COMMIT_INTERVAL_MS} under
 * exactly-once unless configured) and, every {@link Settings#interval()} of wall-clock time, requests a commit
 * ({@link ProcessorContext#commit()}) when the task has processed something since the last request and either the
 * newest record it processed was written at most {@link Settings#maxLag()} before now (it is keeping up) or nothing
 * reached it for a whole interval (it has drained its backlog: what it did is not held back until the long interval
 * ends). Record timestamps are the producers' (Pulse keeps Kafka's timestamps; the bench and the replay tools stamp
 * records when they send them), so a backlog — or a replay of old records — has old timestamps and gets the long
 * interval while it lasts.
 *
 * <p>With exactly-once v2 one request commits every task of the stream thread (one transaction per thread), so
 * attaching a pacer to the processors that see every record of their sub-topology (scoring, the entity steps) is
 * enough. Exactly-once is unchanged: only when commits happen changes, not what they contain. One instance per
 * processor instance, used by its stream thread only.
 */
public final class CommitPacer {

    /**
     * How a task paces its commits.
     *
     * @param interval how often, while keeping up, a commit is requested; zero: never (commits only at
     *                 {@code commit.interval.ms})
     * @param maxLag   how old (wall clock minus record timestamp) the newest processed record may be for the task to
     *                 count as keeping up
     */
    public record Settings(Duration interval, Duration maxLag) {

        /** No pacing: Kafka Streams' own interval alone. */
        public static final Settings OFF = new Settings(Duration.ZERO, Duration.ZERO);

        /**
         * From {@link PulseConfig#COMMIT_LIVE_INTERVAL_MS} and {@link PulseConfig#COMMIT_LIVE_MAX_LAG_MS}; off unless
         * the guarantee is exactly-once (at-least-once commits do not gate visibility).
         */
        public static Settings from(PulseConfig config) {
            if (!config.exactlyOnce()) {
                return OFF;
            }
            return new Settings(Duration.ofMillis(config.getLong(PulseConfig.COMMIT_LIVE_INTERVAL_MS)),
                    Duration.ofMillis(config.getLong(PulseConfig.COMMIT_LIVE_MAX_LAG_MS)));
        }

        boolean enabled() {
            return !interval.isZero();
        }
    }

    private final Settings settings;
    private final ProcessorContext<?, ?> context;
    private long newestRecordMillis = Long.MIN_VALUE;
    private boolean processedSinceRequest;
    private boolean processedSincePunctuation;

    private CommitPacer(Settings settings, ProcessorContext<?, ?> context) {
        this.settings = settings;
        this.context = context;
    }

    /**
     * A pacer for the task of {@code context}; schedules its wall-clock punctuation when {@code settings} are
     * enabled. Call from the processor's {@code init}.
     */
    public static CommitPacer attach(ProcessorContext<?, ?> context, Settings settings) {
        CommitPacer pacer = new CommitPacer(settings, context);
        if (settings.enabled()) {
            context.schedule(settings.interval(), PunctuationType.WALL_CLOCK_TIME, pacer::punctuate);
        }
        return pacer;
    }

    /** Notes a processed record's timestamp (its producer's clock). Call for every record the processor takes. */
    public void processed(long recordTimestampMillis) {
        newestRecordMillis = Math.max(newestRecordMillis, recordTimestampMillis);
        processedSinceRequest = true;
        processedSincePunctuation = true;
    }

    private void punctuate(long wallClockMillis) {
        boolean drained = !processedSincePunctuation;
        processedSincePunctuation = false;
        if (processedSinceRequest
                && (drained || wallClockMillis - newestRecordMillis <= settings.maxLag().toMillis())) {
            context.commit();
            processedSinceRequest = false;
        }
    }
}

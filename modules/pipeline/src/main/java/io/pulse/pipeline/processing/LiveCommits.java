package io.pulse.pipeline.processing;

import io.pulse.pipeline.PulseConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Commits often while the pipeline keeps up with live traffic, and leaves commits to {@code commit.interval.ms} while it
 * works through a backlog. Under exactly-once a prediction becomes visible to {@code read_committed} consumers only when
 * its transaction commits, so a live pipeline wants commits close together; but every commit costs a producer flush, an
 * offset commit and a transaction with its markers, and a pipeline catching up wants them further apart (measured in
 * issue 15: committing every 20 ms instead of 50 ms cost 7-24 % of the maximum rate on a backlog, and took 20-80 ms off
 * the p99 at half of it).
 *
 * <p>Kafka Streams has one fixed interval. This keeps it ({@code commit.interval.ms}) for the backlog and, for each
 * scored event whose record is at most {@link Settings#maxLagMillis()} old (this instance's clock minus the record's
 * timestamp, which its producer set when it sent it: a backlog, or a replay of old records, has old timestamps), asks
 * for a commit ({@link ProcessorContext#commit()}) if the last request is at least {@link Settings#intervalMillis()}
 * ago. Kafka Streams honours a request after the batch of records it is processing, without moving its own interval.
 * Nothing is scheduled (no punctuation): with no traffic there is nothing to commit. Exactly-once is unchanged: only
 * when commits happen changes, not what they contain; with exactly-once v2 one request commits every task of the
 * stream thread. A producer whose clock is far behind this instance's only loses the early commits (its events count
 * as a backlog). One instance per processor instance, used by its stream thread only.
 */
public final class LiveCommits {

    /**
     * @param intervalMillis how often, while live, a commit is requested; 0: never
     * @param maxLagMillis   how old a scored event's record may be for the pipeline to count as live
     */
    public record Settings(long intervalMillis, long maxLagMillis) {

        public static final Settings OFF = new Settings(0, 0);

        /** From {@code commit.live.*}; off unless exactly-once (at-least-once visibility waits for no commit). */
        public static Settings from(PulseConfig config) {
            if (!StreamsConfig.EXACTLY_ONCE_V2.equals(config.getString(PulseConfig.PROCESSING_GUARANTEE))) {
                return OFF;
            }
            return new Settings(config.getLong(PulseConfig.COMMIT_LIVE_INTERVAL_MS),
                    config.getLong(PulseConfig.COMMIT_LIVE_MAX_LAG_MS));
        }
    }

    private final Settings settings;
    private long lastRequestMillis = Long.MIN_VALUE / 2;

    LiveCommits(Settings settings) {
        this.settings = settings;
    }

    /** Called for every scored event: its record's timestamp and the task's wall clock now. */
    void scored(ProcessorContext<?, ?> context, long recordTimestampMillis, long nowMillis) {
        if (settings.intervalMillis() > 0 && nowMillis - recordTimestampMillis <= settings.maxLagMillis()
                && nowMillis - lastRequestMillis >= settings.intervalMillis()) {
            context.commit();
            lastRequestMillis = nowMillis;
        }
    }
}

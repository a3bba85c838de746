package io.pulse.benchmarks.e2e;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * What Kafka Streams and its producers did during one throughput run, read from their own metrics when the output is
 * complete (before the application closes; start-up included, like the run's clock): summed over the stream threads
 * and their producers ({@code KafkaStreams.metrics()} holds the embedded clients' metrics too). This is where the
 * framework's share of an event goes — commits, transactions, records and bytes produced, changelog writes — measured
 * per run rather than guessed from a profile (issue 15, "measure first").
 *
 * @param commits              commits of all stream threads ({@code stream-thread-metrics commit-total})
 * @param commitSeconds        time spent committing: per thread {@code commit-latency-avg × commit-total}, summed (the
 *                             average covers the metric's sample window, so this is an estimate when it is older)
 * @param commitMaxMs          the longest commit of any thread ({@code commit-latency-max}, over the sample window)
 * @param transactionSeconds   producers' time in {@code commitTransaction} ({@code txn-commit-time-ns-total})
 * @param blockedSeconds       stream threads' time blocked on Kafka: polls, commits, flushes
 *                             ({@code blocked-time-ns-total})
 * @param recordsSent          records the producers sent, every topic ({@code record-send-total})
 * @param bytesSent            bytes the producers sent on the wire ({@code outgoing-byte-total})
 * @param requests             produce and other requests the producers sent ({@code request-total})
 * @param changelogRecords     records sent to changelog topics ({@code producer-topic-metrics record-send-total} of
 *                             topics ending in {@code -changelog})
 * @param retries              record retries ({@code record-retry-total})
 * @param bufferWaitSeconds    producers' time waiting for buffer memory ({@code bufferpool-wait-time-ns-total})
 * @param retriesByTopic       record retries per topic with any ({@code producer-topic-metrics record-retry-total};
 *                             the application id's prefix taken off the name), most first
 * @param punctuations         punctuations of all stream threads ({@code punctuate-total}: one per task and schedule
 *                             that fired)
 * @param punctuateSeconds     time spent in punctuations: per thread {@code punctuate-latency-avg × punctuate-total},
 *                             summed (an estimate like {@code commitSeconds})
 * @param punctuateMaxMs       the longest punctuation of any thread ({@code punctuate-latency-max}, over the sample
 *                             window). Kafka Streams records a loop's punctuating time divided by the punctuations
 *                             that ran in it, so this is per punctuation: tasks whose schedules fire in the same
 *                             loop stall the thread for the sum of theirs
 */
public record FrameworkWork(double commits, double commitSeconds, double commitMaxMs, double transactionSeconds,
        double blockedSeconds, double recordsSent, double bytesSent, double requests, double changelogRecords,
        double retries, double bufferWaitSeconds, Map<String, Double> retriesByTopic, double punctuations,
        double punctuateSeconds, double punctuateMaxMs) {

    public FrameworkWork {
        Map<String, Double> sorted = new LinkedHashMap<>();
        retriesByTopic.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        retriesByTopic = Collections.unmodifiableMap(sorted);
    }

    static final String THREAD_GROUP = "stream-thread-metrics";
    static final String PRODUCER_GROUP = "producer-metrics";
    static final String PRODUCER_TOPIC_GROUP = "producer-topic-metrics";
    /** The only metric groups whose values are read. */
    private static final Set<String> READ_GROUPS = Set.of(THREAD_GROUP, PRODUCER_GROUP, PRODUCER_TOPIC_GROUP);

    /**
     * Reads the work from a running application's metrics ({@code KafkaStreams.metrics()}); {@code applicationId}
     * is taken off the front of topic names.
     */
    public static FrameworkWork from(Map<MetricName, ? extends Metric> metrics, String applicationId) {
        double commitMaxMs = 0;
        double transactionNanos = 0;
        double blockedNanos = 0;
        double records = 0;
        double bytes = 0;
        double requests = 0;
        double changelog = 0;
        double retries = 0;
        double bufferNanos = 0;
        Map<String, Double> retriesByTopic = new HashMap<>();
        // per thread: commit-total and commit-latency-avg share the thread's tags
        Map<Map<String, String>, double[]> commitByThread = new HashMap<>();
        Map<Map<String, String>, double[]> punctuateByThread = new HashMap<>();
        double punctuateMaxMs = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (!READ_GROUPS.contains(name.group())) {
                // never evaluate another group's gauges from this thread: the state stores' uncommitted-bytes gauge
                // reads the stream thread's RocksDB write batch, and evaluated while a commit replaced it, it
                // crashed the benchmark's JVM (SIGSEGV in WriteBatch.getDataSize; benchmarks/README item 15)
                continue;
            }
            double value = number(entry.getValue());
            if (Double.isNaN(value)) {
                continue;
            }
            switch (name.group()) {
                case THREAD_GROUP -> {
                    switch (name.name()) {
                        case "commit-total" -> commitByThread.computeIfAbsent(name.tags(), t -> new double[2])[0] =
                                value;
                        case "commit-latency-avg" -> commitByThread.computeIfAbsent(name.tags(),
                                t -> new double[2])[1] = value;
                        case "commit-latency-max" -> commitMaxMs = Math.max(commitMaxMs, value);
                        case "blocked-time-ns-total" -> blockedNanos += value;
                        case "punctuate-total" -> punctuateByThread.computeIfAbsent(name.tags(),
                                t -> new double[2])[0] = value;
                        case "punctuate-latency-avg" -> punctuateByThread.computeIfAbsent(name.tags(),
                                t -> new double[2])[1] = value;
                        case "punctuate-latency-max" -> punctuateMaxMs = Math.max(punctuateMaxMs, value);
                        default -> { }
                    }
                }
                case PRODUCER_GROUP -> {
                    switch (name.name()) {
                        case "txn-commit-time-ns-total" -> transactionNanos += value;
                        case "record-send-total" -> records += value;
                        case "outgoing-byte-total" -> bytes += value;
                        case "request-total" -> requests += value;
                        case "record-retry-total" -> retries += value;
                        case "bufferpool-wait-time-ns-total" -> bufferNanos += value;
                        default -> { }
                    }
                }
                case PRODUCER_TOPIC_GROUP -> {
                    String topic = name.tags().getOrDefault("topic", "");
                    if (name.name().equals("record-send-total") && topic.endsWith("-changelog")) {
                        changelog += value;
                    } else if (name.name().equals("record-retry-total") && value > 0) {
                        retriesByTopic.merge(topic.startsWith(applicationId + "-")
                                ? topic.substring(applicationId.length() + 1) : topic, value, Double::sum);
                    }
                }
                default -> { }
            }
        }
        double[] commitsAndSeconds = countAndSeconds(commitByThread);
        double[] punctuationsAndSeconds = countAndSeconds(punctuateByThread);
        return new FrameworkWork(commitsAndSeconds[0], commitsAndSeconds[1], commitMaxMs, transactionNanos / 1e9,
                blockedNanos / 1e9, records, bytes, requests, changelog, retries, bufferNanos / 1e9, retriesByTopic,
                punctuationsAndSeconds[0], punctuationsAndSeconds[1], punctuateMaxMs);
    }

    /**
     * Per-thread {total, average latency in ms} pairs summed into {total, seconds}: each thread's total times its
     * average.
     */
    private static double[] countAndSeconds(Map<Map<String, String>, double[]> byThread) {
        double count = 0;
        double seconds = 0;
        for (double[] thread : byThread.values()) {
            count += thread[0];
            seconds += thread[0] * thread[1] / 1e3;
        }
        return new double[] {count, seconds};
    }

    private static double number(Metric metric) {
        return metric.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Records sent per input event (predictions, alerts, changelogs, repartitions, snapshots). */
    public double recordsPerEvent(long events) {
        return recordsSent / events;
    }

    /** Bytes sent on the wire per input event. */
    public double bytesPerEvent(long events) {
        return bytesSent / events;
    }

    /** Changelog records per input event. */
    public double changelogPerEvent(long events) {
        return changelogRecords / events;
    }

    /** Records sent per commit: what one transaction carries on average. */
    public double recordsPerCommit() {
        return commits == 0 ? Double.NaN : recordsSent / commits;
    }
}

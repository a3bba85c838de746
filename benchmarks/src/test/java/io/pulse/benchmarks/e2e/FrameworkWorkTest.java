package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

/** Kafka Streams' and the producers' metrics summed into one run's framework work, checked by hand. */
class FrameworkWorkTest {

    private final Map<MetricName, Metric> metrics = new HashMap<>();

    private void put(String group, String name, Map<String, String> tags, Object value) {
        MetricName metricName = new MetricName(name, group, "", tags);
        metrics.put(metricName, new Metric() {
            @Override
            public MetricName metricName() {
                return metricName;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    @Test
    void shouldSumCommitsTransactionsAndRecordsOverThreadsAndProducers() {
        Map<String, String> t1 = Map.of("thread-id", "app-StreamThread-1");
        Map<String, String> t2 = Map.of("thread-id", "app-StreamThread-2");
        // thread 1: 10 commits of 20 ms on average, thread 2: 30 commits of 5 ms -> 0.2 s + 0.15 s
        put(FrameworkWork.THREAD_GROUP, "commit-total", t1, 10.0);
        put(FrameworkWork.THREAD_GROUP, "commit-latency-avg", t1, 20.0);
        put(FrameworkWork.THREAD_GROUP, "commit-latency-max", t1, 45.0);
        put(FrameworkWork.THREAD_GROUP, "commit-total", t2, 30.0);
        put(FrameworkWork.THREAD_GROUP, "commit-latency-avg", t2, 5.0);
        put(FrameworkWork.THREAD_GROUP, "commit-latency-max", t2, 12.0);
        put(FrameworkWork.THREAD_GROUP, "blocked-time-ns-total", t1, 1.5e9);
        put(FrameworkWork.THREAD_GROUP, "blocked-time-ns-total", t2, 0.5e9);
        // thread 1: 8 punctuations of 2.5 ms on average, thread 2: 4 of 5 ms -> 0.02 s + 0.02 s
        put(FrameworkWork.THREAD_GROUP, "punctuate-total", t1, 8.0);
        put(FrameworkWork.THREAD_GROUP, "punctuate-latency-avg", t1, 2.5);
        put(FrameworkWork.THREAD_GROUP, "punctuate-latency-max", t1, 9.0);
        put(FrameworkWork.THREAD_GROUP, "punctuate-total", t2, 4.0);
        put(FrameworkWork.THREAD_GROUP, "punctuate-latency-avg", t2, 5.0);
        put(FrameworkWork.THREAD_GROUP, "punctuate-latency-max", t2, 7.0);
        put(FrameworkWork.THREAD_GROUP, "thread-start-time", t1, 1_700_000_000_000L); // not work: ignored
        Map<String, String> p1 = Map.of("client-id", "app-StreamThread-1-producer");
        Map<String, String> p2 = Map.of("client-id", "app-StreamThread-2-producer");
        put(FrameworkWork.PRODUCER_GROUP, "record-send-total", p1, 1_000.0);
        put(FrameworkWork.PRODUCER_GROUP, "record-send-total", p2, 3_000.0);
        put(FrameworkWork.PRODUCER_GROUP, "outgoing-byte-total", p1, 100_000.0);
        put(FrameworkWork.PRODUCER_GROUP, "outgoing-byte-total", p2, 300_000.0);
        put(FrameworkWork.PRODUCER_GROUP, "request-total", p1, 50.0);
        put(FrameworkWork.PRODUCER_GROUP, "txn-commit-time-ns-total", p1, 0.25e9);
        put(FrameworkWork.PRODUCER_GROUP, "txn-commit-time-ns-total", p2, 0.05e9);
        put(FrameworkWork.PRODUCER_GROUP, "record-retry-total", p2, 2.0);
        put(FrameworkWork.PRODUCER_TOPIC_GROUP, "record-retry-total",
                Map.of("client-id", "p2", "topic", "app-user-predictions"), 2.0);
        put(FrameworkWork.PRODUCER_TOPIC_GROUP, "record-retry-total",
                Map.of("client-id", "p1", "topic", "app-user-state-changelog"), 0.0);
        put(FrameworkWork.PRODUCER_GROUP, "bufferpool-wait-time-ns-total", p1, 1e6);
        put(FrameworkWork.PRODUCER_GROUP, "record-send-rate", p1, 123.0); // a rate, not a total: ignored
        put(FrameworkWork.PRODUCER_TOPIC_GROUP, "record-send-total",
                Map.of("client-id", "p1", "topic", "app-user-state-changelog"), 900.0);
        put(FrameworkWork.PRODUCER_TOPIC_GROUP, "record-send-total",
                Map.of("client-id", "p2", "topic", "app-user-state-changelog"), 1_100.0);
        put(FrameworkWork.PRODUCER_TOPIC_GROUP, "record-send-total",
                Map.of("client-id", "p1", "topic", "app-user-predictions"), 2_000.0);
        put("consumer-metrics", "request-total", Map.of("client-id", "c"), 99.0); // another client: ignored
        put(FrameworkWork.THREAD_GROUP, "state", t1, "RUNNING"); // not a number: ignored

        FrameworkWork work = FrameworkWork.from(metrics, "app");

        assertThat(work.commits()).isEqualTo(40.0);
        assertThat(work.commitSeconds()).isCloseTo(0.35, within(1e-12));
        assertThat(work.commitMaxMs()).isEqualTo(45.0);
        assertThat(work.blockedSeconds()).isCloseTo(2.0, within(1e-12));
        assertThat(work.punctuations()).isEqualTo(12.0);
        assertThat(work.punctuateSeconds()).isCloseTo(0.04, within(1e-12));
        assertThat(work.punctuateMaxMs()).isEqualTo(9.0);
        assertThat(work.transactionSeconds()).isCloseTo(0.3, within(1e-12));
        assertThat(work.recordsSent()).isEqualTo(4_000.0);
        assertThat(work.bytesSent()).isEqualTo(400_000.0);
        assertThat(work.requests()).isEqualTo(50.0);
        assertThat(work.changelogRecords()).isEqualTo(2_000.0);
        assertThat(work.retries()).isEqualTo(2.0);
        assertThat(work.retriesByTopic()).containsExactly(Map.entry("user-predictions", 2.0));
        assertThat(work.bufferWaitSeconds()).isCloseTo(0.001, within(1e-12));
        assertThat(work.recordsPerEvent(2_000)).isEqualTo(2.0);
        assertThat(work.bytesPerEvent(2_000)).isEqualTo(200.0);
        assertThat(work.changelogPerEvent(2_000)).isEqualTo(1.0);
        assertThat(work.recordsPerCommit()).isEqualTo(100.0);
    }

    @Test
    void shouldReportNoCommitsAsUnknownRecordsPerCommit() {
        assertThat(FrameworkWork.from(Map.of(), "app").recordsPerCommit()).isNaN();
    }
}

package io.pulse.benchmarks.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ChildPipelineMetricsTest {

    private static final String EXPOSITION = """
            # HELP kafka_producer_bufferpool_wait_time_ns_total The total time in nanoseconds a producer waits
            # TYPE kafka_producer_bufferpool_wait_time_ns_total counter
            kafka_producer_bufferpool_wait_time_ns_total{client_id="app-1-producer",kafka_version="4.4.0"} 1500.0
            kafka_producer_bufferpool_wait_time_ns_total{client_id="app-2-producer",kafka_version="4.4.0"} 2.5E3
            kafka_stream_thread_blocked_time_ns_total{thread_id="app-StreamThread-1"} 7.0E8
            kafka_stream_thread_blocked_time_ns_total_extra{thread_id="app-StreamThread-1"} 1.0
            pulse_predictions_total 42.0
            """;

    @Test
    void shouldSumEachMetricsSamplesOverTheirLabelsAndNothingElse() {
        double[] sums = ChildPipeline.sums(EXPOSITION, Double.NaN, "kafka_producer_bufferpool_wait_time_ns_total",
                "kafka_stream_thread_blocked_time_ns_total", "pulse_predictions_total");

        assertThat(sums[0]).isCloseTo(4_000, within(1e-9));
        assertThat(sums[1]).as("a longer name that starts the same is another metric").isCloseTo(7.0e8, within(1e-3));
        assertThat(sums[2]).isCloseTo(42, within(1e-9));
    }

    @Test
    void shouldGiveTheCallersValueForAMetricWithoutSamples() {
        assertThat(ChildPipeline.sums(EXPOSITION, Double.NaN, "jvm_gc_pause_seconds_count")[0]).isNaN();
        assertThat(ChildPipeline.sums(EXPOSITION, 0, "jvm_gc_pause_seconds_count")[0]).isZero();
    }
}

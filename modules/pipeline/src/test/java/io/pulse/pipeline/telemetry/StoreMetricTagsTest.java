package io.pulse.pipeline.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** One metric of a key-value and of a window store ends up under the same tag keys, and Prometheus exports both. */
class StoreMetricTagsTest {

    @Test
    void shouldNameEveryKindOfStoreUnderTheSameTagKeys() {
        Meter.Id keyValue = id(Tags.of("rocksdb.state.id", "user-state", "task.id", "0_1"));
        Meter.Id window = id(Tags.of("rocksdb.window.state.id", "scored-events", "task.id", "0_1"));

        assertThat(new StoreMetricTags().map(keyValue).getTags()).containsExactly(Tag.of("store", "user-state"),
                Tag.of("task.id", "0_1"));
        assertThat(new StoreMetricTags().map(window).getTags()).containsExactly(Tag.of("store", "scored-events"),
                Tag.of("task.id", "0_1"));
    }

    @Test
    void shouldLeaveMetricsWithoutAStoreTagAlone() {
        Meter.Id thread = id(Tags.of("thread.id", "t-1"));

        assertThat(new StoreMetricTags().map(thread)).isSameAs(thread);
    }

    @Test
    void shouldLetPrometheusExportTheMetricOfBothStores() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new StoreMetricTags());

        registry.gauge("kafka.stream.state.put.rate", Tags.of("rocksdb.state.id", "user-state"), 1.0);
        registry.gauge("kafka.stream.state.put.rate", Tags.of("in-memory.window.state.id", "recent"), 2.0);

        assertThat(registry.scrape()).contains("kafka_stream_state_put_rate{store=\"user-state\"} 1.0")
                .contains("kafka_stream_state_put_rate{store=\"recent\"} 2.0");
    }

    private static Meter.Id id(Tags tags) {
        return new Meter.Id("kafka.stream.state.put.rate", tags, null, null, Meter.Type.GAUGE);
    }
}

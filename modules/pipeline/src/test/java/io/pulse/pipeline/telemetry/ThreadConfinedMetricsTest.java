package io.pulse.pipeline.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadConfinedMetricsTest {

    @Test
    void shouldNeverEvaluateTheUncommittedBytesGaugeOnAScrapeButKeepTheOtherStoreGauges() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new ThreadConfinedMetrics());
        AtomicInteger evaluated = new AtomicInteger();
        Gauge.builder("kafka.stream.state.uncommitted.bytes", () -> evaluated.incrementAndGet())
                .tag("store", "user-state").register(registry);
        Gauge.builder("kafka.stream.state.num.keys", () -> 42).tag("store", "user-state").register(registry);

        String scraped = registry.scrape();

        assertThat(evaluated).hasValue(0);
        assertThat(scraped).doesNotContain("uncommitted").contains("kafka_stream_state_num_keys{store=\"user-state\"} 42");
    }
}

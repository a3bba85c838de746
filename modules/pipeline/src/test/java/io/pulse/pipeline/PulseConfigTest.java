package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.model.EntityWindowSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PulseConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldLayerDefaultsFileEnvironmentAndOverrides() throws IOException {
        Path file = dir.resolve("pulse.properties");
        Files.writeString(file, """
                churn.alert.threshold=0.6
                fraud.alert.threshold=0.7
                http.port=9000
                """);
        Map<String, String> env = Map.of("PULSE_FRAUD_ALERT_THRESHOLD", "0.75", "PULSE_HTTP_PORT", "9100",
                "PULSE_DEBUG", "1", "HOME", "/root");
        Map<String, String> flags = Map.of("http.port", "9200");

        PulseConfig config = PulseConfig.load(file, env, flags);

        assertThat(config.getDouble(PulseConfig.CHURN_ALERT_THRESHOLD)).isEqualTo(0.6);   // file
        assertThat(config.getDouble(PulseConfig.FRAUD_ALERT_THRESHOLD)).isEqualTo(0.75);  // env beats file
        assertThat(config.getInt(PulseConfig.HTTP_PORT)).isEqualTo(9200);                 // flag beats env
        assertThat(config.getLong(PulseConfig.DEDUP_RETENTION_MS)).isEqualTo(86_400_000L); // default
        assertThat(config.originals()).doesNotContainKey("debug");
    }

    @Test
    void shouldSizeTheDashboardsLiveFeedFromItsSettings() {
        PulseConfig defaults = PulseConfig.load(null, Map.of(), Map.of());
        PulseConfig configured = PulseConfig.load(null, Map.of("PULSE_DASHBOARD_TIMELINE_USERS", "300"),
                Map.of("dashboard.timeline.points", "20"));

        assertThat(defaults.liveFeed().timelineUsers()).isEqualTo(500);
        assertThat(defaults.liveFeed().timelinePoints()).isEqualTo(50);
        assertThat(configured.liveFeed().timelineUsers()).isEqualTo(300);
        assertThat(configured.liveFeed().timelinePoints()).isEqualTo(20);
    }

    @Test
    void shouldRunExactlyOnceByDefaultAndPassClientSettingsThrough() {
        PulseConfig config = PulseConfig.load(null, Map.of("PULSE_SECURITY_PROTOCOL", "SSL"),
                Map.of("producer.linger.ms", "20", "churn.alert.threshold", "0.9"));

        Properties streams = config.streamsProperties();

        assertThat(streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(streams.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG)).isEqualTo(true);
        assertThat(streams.get("security.protocol")).isEqualTo("SSL");
        assertThat(streams.get("producer.linger.ms")).isEqualTo("20");
        assertThat(streams.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("127.0.0.1:8080");
        assertThat(streams).doesNotContainKey(PulseConfig.CHURN_ALERT_THRESHOLD);
    }

    @Test
    void shouldRetryTransactionalRequestsAfterTenMillisecondsUnderExactlyOnceUnlessConfigured() {
        String producerBackoff = "producer.retry.backoff.ms";
        Properties defaults = PulseConfig.load(null, Map.of(), Map.of()).streamsProperties();
        Properties forTheProducer = PulseConfig.load(null, Map.of(), Map.of(producerBackoff, "50")).streamsProperties();
        Properties forEveryClient = PulseConfig.load(null, Map.of(), Map.of("retry.backoff.ms", "200"))
                .streamsProperties();
        Properties atLeastOnce = PulseConfig.load(null, Map.of(),
                Map.of(PulseConfig.PROCESSING_GUARANTEE, StreamsConfig.AT_LEAST_ONCE)).streamsProperties();

        assertThat(defaults.get(producerBackoff)).isEqualTo(PulseConfig.EXACTLY_ONCE_PRODUCER_RETRY_BACKOFF_MS)
                .isEqualTo(10L);
        assertThat(forTheProducer.get(producerBackoff)).isEqualTo("50");
        // a value for every client is the operator's choice for the producer too: Pulse adds nothing over it
        assertThat(forEveryClient).doesNotContainKey(producerBackoff).containsEntry("retry.backoff.ms", "200");
        assertThat(atLeastOnce).doesNotContainKey(producerBackoff);
        // what Kafka Streams hands its producer
        assertThat(new StreamsConfig(defaults).getProducerConfigs("client")).containsEntry("retry.backoff.ms", 10L);
    }

    @Test
    void shouldReportTheStreamThreadsAsConfiguredOrKafkaStreamsDefaultOfOne() {
        assertThat(PulseConfig.load(null, Map.of(), Map.of()).streamThreads()).isEqualTo(1);
        assertThat(PulseConfig.load(null, Map.of("PULSE_NUM_STREAM_THREADS", "2"), Map.of()).streamThreads())
                .isEqualTo(2);
        assertThat(PulseConfig.load(null, Map.of(), Map.of("num.stream.threads", "3")).streamsProperties())
                .containsEntry("num.stream.threads", "3");
    }

    @Test
    void shouldCommitEveryFiftyMillisecondsUnderExactlyOnceUnlessConfigured() {
        Properties defaults = PulseConfig.load(null, Map.of(), Map.of()).streamsProperties();
        Properties configured = PulseConfig.load(null, Map.of(), Map.of("commit.interval.ms", "1000"))
                .streamsProperties();
        Properties atLeastOnce = PulseConfig.load(null, Map.of(),
                Map.of(PulseConfig.PROCESSING_GUARANTEE, StreamsConfig.AT_LEAST_ONCE)).streamsProperties();

        assertThat(defaults.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
                .isEqualTo(PulseConfig.EXACTLY_ONCE_COMMIT_INTERVAL_MS).isEqualTo(50L);
        assertThat(configured.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("1000");
        // at-least-once keeps Kafka Streams' own default (30 s): nothing becomes visible at commits there
        assertThat(atLeastOnce).doesNotContainKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    }

    @Test
    void shouldRejectAThresholdOutsideZeroToOneWithTheRule() {
        assertThatThrownBy(() -> PulseConfig.load(null, Map.of(), Map.of("fraud.alert.threshold", "1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fraud.alert.threshold");
    }

    @Test
    void shouldRefuseRocksDbMemtablesLargerThanTheBlockCacheTheyAreChargedTo() {
        assertThatThrownBy(() -> PulseConfig.load(null, Map.of(),
                Map.of("rocksdb.write.buffer.bytes", "268435456", "rocksdb.block.cache.bytes", "67108864")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rocksdb.write.buffer.bytes")
                .hasMessageContaining("must not exceed rocksdb.block.cache.bytes (67108864)");

        PulseConfig equal = PulseConfig.load(null, Map.of(),
                Map.of("rocksdb.write.buffer.bytes", "268435456", "rocksdb.block.cache.bytes", "268435456"));
        assertThat(equal.streamsProperties()).containsEntry(BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, 268435456L);
    }

    @Test
    void shouldTakeTheAdminTokenFromTheEnvironmentAndKeepItOutOfStreamsAndMessages() {
        String token = "s3cret-token-0123456789";
        PulseConfig config = PulseConfig.load(null, Map.of("PULSE_HTTP_ADMIN_TOKEN", token), Map.of());

        assertThat(config.adminToken()).contains(token);
        assertThat(config.streamsProperties()).doesNotContainKey(PulseConfig.HTTP_ADMIN_TOKEN);
        assertThat(config.toString()).doesNotContain(token);
    }

    @Test
    void shouldHaveNoAdminTokenByDefaultOrWhenTheVariableIsEmpty() {
        assertThat(PulseConfig.load(null, Map.of(), Map.of()).adminToken()).isEmpty();
        assertThat(PulseConfig.load(null, Map.of("PULSE_HTTP_ADMIN_TOKEN", ""), Map.of()).adminToken()).isEmpty();
    }

    @Test
    void shouldRefuseAShortAdminTokenWithoutEchoingIt() {
        assertThatThrownBy(() -> PulseConfig.load(null, Map.of("PULSE_HTTP_ADMIN_TOKEN", "letmein"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("at least 16 characters")
                .hasMessageNotContaining("letmein");
    }

    @Test
    void shouldDeclareNoEntitiesByDefaultAndParseConfiguredOnesInOrder() {
        assertThat(new PulseConfig(Map.of()).entities()).isEmpty();

        PulseConfig config = new PulseConfig(Map.of(PulseConfig.ENTITIES_TYPES, "terminal,product=item",
                PulseConfig.ENTITIES_HORIZONS, "PT12H,P7D", PulseConfig.ENTITIES_LABEL_DELAY, "P3D"));

        assertThat(config.entities()).containsExactly(
                new EntityWindowSpec("terminal", "attr.terminal", List.of(Duration.ofHours(12), Duration.ofDays(7)),
                        Duration.ofDays(3), Duration.ofDays(1)),
                new EntityWindowSpec("product", "item", List.of(Duration.ofHours(12), Duration.ofDays(7)),
                        Duration.ofDays(3), Duration.ofDays(1)));
        // the streams configuration does not receive Pulse's own keys
        assertThat(config.streamsProperties()).doesNotContainKey(PulseConfig.ENTITIES_TYPES);
    }

    @Test
    void shouldRefuseADuplicatedOrMalformedEntityDeclaration() {
        assertThatThrownBy(() -> new PulseConfig(Map.of(PulseConfig.ENTITIES_TYPES, "terminal,terminal=item")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> new PulseConfig(Map.of(PulseConfig.ENTITIES_TYPES, "Terminal")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("entity type must match");
        assertThatThrownBy(() -> new PulseConfig(Map.of(PulseConfig.ENTITIES_TYPES, "terminal=terminal_id")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("entity key");
        assertThatThrownBy(() -> new PulseConfig(Map.of(PulseConfig.ENTITIES_TYPES, "terminal",
                PulseConfig.ENTITIES_HORIZONS, "7 days"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ISO-8601");
    }
}

package io.pulse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.HostileInputCorpus;
import io.pulse.pipeline.HostileInputCorpus.Fate;
import io.pulse.pipeline.HostileInputCorpus.Input;
import io.pulse.pipeline.HostileInputCorpus.Kind;
import io.pulse.pipeline.LogCapture;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.pipeline.validate.DeadLetters;
import io.pulse.pipeline.validate.RejectReason;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.testsupport.PulseIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole hostile-input corpus in one topic of a real broker, with a real Schema Registry: every dead letter carries
 * its kind's reason, the predictions are exactly the accepted events, the pipeline stays RUNNING, the Prometheus
 * endpoint counts what happened, and no log line at INFO+ names a user, an event or an amount.
 */
@PulseIntegrationTest
class HostileInputIntegrationTest {

    private static final Pattern DLQ_METRIC =
            Pattern.compile("^pulse_dlq_records_total\\{[^}]*reason=\"([A-Z0-9_]+)\"[^}]*} ([0-9.E]+)$",
                    Pattern.MULTILINE);

    @TempDir
    Path stateDir;

    @Test
    void shouldRouteTheWholeCorpusOnARealBrokerAndRegistry(LocalInfra infra) throws Exception {
        PipelineHarness harness = new PipelineHarness(infra);
        try (LogCapture logs = new LogCapture();
             PulsePipeline pipeline = harness.start(stateDir, Map.of());
             AvroSerializer<UserEvent> events = harness.eventSerializer();
             AvroSerializer<GenericRecord> generic = new AvroSerializer<>()) {
            generic.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
            // Given every kind of hostile input, tagged with its kind, in one topic
            List<Kind> kinds = HostileInputCorpus.build(new HostileInputCorpus.Env() {
                @Override
                public Instant now() {
                    return Instant.now();
                }

                @Override
                public byte[] serialize(UserEvent event) {
                    return events.serialize(harness.eventsTopic, event);
                }

                @Override
                public byte[] serialize(GenericRecord record, String subject) {
                    return generic.serialize(subject + "-" + harness.suffix, record);
                }
            }, 20261124L);
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (Kind kind : kinds) {
                for (Input input : kind.inputs()) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(HostileInputCorpus.KIND_HEADER, kind.name().getBytes(StandardCharsets.UTF_8));
                    records.add(new ProducerRecord<>(harness.eventsTopic, null, input.key(), input.value(), headers));
                }
            }

            // When they are produced to the running pipeline
            harness.produce(records);

            // Then the dead letters and predictions are exactly what the rules say
            long accepted = HostileInputCorpus.count(kinds, Fate.ACCEPTED);
            long deadLetters = HostileInputCorpus.count(kinds, Fate.DEAD_LETTER);
            await().alias("every record predicted or dead-lettered").atMost(Duration.ofSeconds(90))
                    .until(() -> harness.readAllRaw(harness.dlqTopic).size() >= deadLetters
                            && harness.readAll(harness.predictionsTopic, Prediction.class).size() >= accepted);
            Map<String, List<String>> deadByKind = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> dead : harness.readAllRaw(harness.dlqTopic)) {
                deadByKind.computeIfAbsent(DeadLetters.header(dead.headers(), HostileInputCorpus.KIND_HEADER),
                        k -> new ArrayList<>()).add(DeadLetters.header(dead.headers(), DeadLetters.REASON));
            }
            for (Kind kind : kinds) {
                List<String> expected = kind.inputs().stream().filter(i -> i.fate() == Fate.DEAD_LETTER)
                        .map(i -> i.reason().name()).toList();
                assertThat(deadByKind.getOrDefault(kind.name(), List.of())).as("dead letters of %s", kind.name())
                        .isEqualTo(expected);
            }
            List<ConsumerRecord<String, Prediction>> predictions =
                    harness.readAll(harness.predictionsTopic, Prediction.class);
            Set<String> acceptedIds = new HashSet<>();
            HostileInputCorpus.inputs(kinds).stream().filter(i -> i.fate() == Fate.ACCEPTED)
                    .forEach(i -> acceptedIds.add(i.eventId()));
            assertThat(predictions).hasSize((int) accepted);
            assertThat(predictions).extracting(r -> r.value().getEventId())
                    .containsExactlyInAnyOrderElementsOf(acceptedIds);

            // and the pipeline is still running, and its metrics count every outcome
            assertThat(pipeline.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(pipeline.metrics().predictionCount()).isEqualTo((double) accepted);
            assertThat(pipeline.metrics().duplicateCount())
                    .isEqualTo((double) HostileInputCorpus.count(kinds, Fate.DROPPED_DUPLICATE));
            assertThat(pipeline.metrics().receivedCount()).isEqualTo((double) records.size());
            Map<RejectReason, Long> expectedByReason = HostileInputCorpus.deadLettersByReason(kinds);
            Map<String, Double> scraped = dlqMetrics(pipeline.httpPort());
            for (RejectReason reason : RejectReason.values()) {
                assertThat(scraped.get(reason.name())).as("pulse_dlq_records_total{reason=%s} on /metrics", reason)
                        .isEqualTo((double) expectedByReason.getOrDefault(reason, 0L));
            }

            // and no log line at INFO+ names a user, an event or an amount of the corpus
            Set<String> secrets = new HashSet<>(acceptedIds);
            HostileInputCorpus.inputs(kinds).stream().filter(i -> i.key() != null && i.key().length >= 8)
                    .forEach(i -> secrets.add(new String(i.key(), StandardCharsets.UTF_8)));
            assertThat(logs.linesContainingAny(secrets)).isEmpty();
        }
    }

    private static Map<String, Double> dlqMetrics(int port) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> byReason = new LinkedHashMap<>();
        Matcher matcher = DLQ_METRIC.matcher(body);
        while (matcher.find()) {
            byReason.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return byReason;
    }
}

package io.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.testsupport.PulseIntegrationTest;
import io.pulse.testsupport.TestTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pulse erase --user ID --wait} against a running pipeline: the user is gone and the audit record printed. */
@PulseIntegrationTest
class EraseCommandIntegrationTest {

    private static final String USER = "user-to-forget";

    @TempDir
    Path stateDir;

    @Test
    void shouldEraseTheUserAndPrintTheAuditRecord(LocalInfra infra) throws Exception {
        String suffix = TestTopics.unique("erase");
        String events = "events-" + suffix;
        String erasures = "erasures-" + suffix;
        String audit = "audit-" + suffix;
        Map<String, Object> settings = new HashMap<>();
        settings.put(PulseConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers());
        settings.put(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl());
        settings.put(PulseConfig.APPLICATION_ID, "pulse-erase-" + suffix);
        settings.put(PulseConfig.STATE_DIR, stateDir.toString());
        settings.put(PulseConfig.HTTP_PORT, "0");
        settings.put(PulseConfig.TOPIC_PARTITIONS, "2");
        settings.put(PulseConfig.TOPIC_USER_EVENTS, events);
        settings.put(PulseConfig.TOPIC_ERASURES, erasures);
        settings.put(PulseConfig.TOPIC_AUDIT, audit);
        for (String key : new String[] {PulseConfig.TOPIC_DLQ, PulseConfig.TOPIC_PREDICTIONS,
                PulseConfig.TOPIC_CHURN_ALERTS, PulseConfig.TOPIC_FRAUD_ALERTS, PulseConfig.TOPIC_MODEL_WEIGHTS,
                PulseConfig.TOPIC_LABELS}) {
            settings.put(key, key.replace('.', '-') + "-" + suffix);
        }
        settings.put("commit.interval.ms", "100");
        try (PulsePipeline pipeline = new PulsePipeline(new PulseConfig(settings)).start()) {
            // Given a user the pipeline knows
            produceEvents(infra, events);
            URI user = URI.create("http://127.0.0.1:" + pipeline.httpPort() + "/users/" + USER);
            HttpClient http = HttpClient.newHttpClient();
            await().alias("the user's state is queryable").atMost(Duration.ofSeconds(90))
                    .until(() -> get(http, user) == 200);

            // When `pulse erase --wait` asks for the user's erasure
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Pulse.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                    .execute("erase", "--user", USER, "--wait", "--timeout", "60s", "--requested-by", "dpo-ticket-7",
                            "--bootstrap-servers", infra.bootstrapServers(),
                            "--schema-registry-url", infra.schemaRegistryUrl(),
                            "--erasures-topic", erasures, "--audit-topic", audit);

            // Then it prints the audit record, and the user is unknown to the pipeline
            assertThat(exit).as("exit code; stderr: %s", err).isZero();
            assertThat(out.toString())
                    .contains("erasure request ", "for user " + USER + " written to " + erasures)
                    .contains("erased user " + USER, "user-state 1", "inactivity-index 1", "scored-events 3")
                    .contains("\"requestedBy\": \"dpo-ticket-7\"", "\"origin\": \"cli\"", "USER_ERASED");
            assertThat(get(http, user)).isEqualTo(404);
        }
    }

    private static int get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static void produceEvents(LocalInfra infra, String topic) throws Exception {
        Map<String, Object> config = Map.of("bootstrap.servers", infra.bootstrapServers(), "acks", "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer());
             AvroSerializer<UserEvent> serializer = new AvroSerializer<>()) {
            serializer.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
            Instant start = Instant.now().minus(Duration.ofHours(3));
            for (int i = 0; i < 3; i++) {
                UserEvent event = UserEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setUserId(USER)
                        .setType(EventType.VIEW).setEventTime(start.plus(Duration.ofHours(i))).build();
                producer.send(new ProducerRecord<>(topic, USER, serializer.serialize(topic, event))).get();
            }
        }
    }
}

package io.pulse.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.infra.LocalSchemaRegistry;
import io.pulse.infra.internal.FreePorts;
import io.pulse.pipeline.PulseConfig;
import io.pulse.reliability.Deployment;
import io.pulse.reliability.PipelineProcess;
import io.pulse.reliability.Traffic;
import io.pulse.simulator.publish.Workload;
import io.pulse.testsupport.PulseIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Schema Registry goes away for a while. Events whose schema the pipeline has cached keep flowing; an event with a
 * schema it has never seen waits (retried with backoff, never dead-lettered) until the registry is back.
 */
@PulseIntegrationTest
class RegistryOutageTest {

    private static final int FIRST = 600;
    private static final int DURING = 600;
    private static final int NEW_SCHEMA = 30;
    private static final int AFTER_NEW = 100;

    @TempDir
    Path dir;

    @Test
    void shouldKeepFlowingOnCachedSchemasAndRetryNewOnesUntilTheRegistryIsBack(LocalInfra infra) throws Exception {
        int port = FreePorts.findFreePort();
        Path registryData = dir.resolve("registry");
        LocalSchemaRegistry registry = newRegistry(port, registryData).start();
        String url = registry.confluentUrl();
        Deployment deployment = Deployment.create(infra.bootstrapServers(), url, "registry");
        Map<String, Object> serde = Map.of(PulseConfig.SCHEMA_REGISTRY_URL, url);
        Traffic known = Traffic.of(Workload.generate(200, FIRST + DURING, 21L, serde), url, 0, 0, 1L);
        Traffic later = Traffic.of(Workload.generate(200, NEW_SCHEMA + AFTER_NEW, 22L, serde), url, 0, 0, 2L);
        // a compatible next version of UserEvent, registered before the outage but never seen by the pipeline
        int newSchemaId = register(url, deployment.eventsTopic() + "-value", withExtraOptionalField());

        // alerts off: their schemas would otherwise be registered on first use, possibly during the outage
        Map<String, String> settings = deployment.settings(dir.resolve("state"), Map.of(
                PulseConfig.CHURN_ALERT_THRESHOLD, "1.0", PulseConfig.FRAUD_ALERT_THRESHOLD, "1.0"));
        try (PipelineProcess pipeline = new PipelineProcess("registry-a", settings)) {
            pipeline.start().awaitReady();
            known.produce(deployment, 0, FIRST);
            await("first events predicted").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> deployment.committedPredictions().size() >= FIRST);

            // When the registry stops
            registry.close();

            // Then events with a cached schema keep flowing
            known.produce(deployment, FIRST, FIRST + DURING);
            await("cached schemas flow during the outage").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> deployment.committedPredictions().size() >= FIRST + DURING);

            // and an event with an unseen schema is retried, not dead-lettered, and nothing crashes
            produceWithSchema(deployment, later, newSchemaId);
            await("retrying while the registry is away").during(Duration.ofSeconds(10))
                    .atMost(Duration.ofSeconds(15)).until(pipeline::isAlive);
            assertThat(deployment.committedDeadLetters()).isEmpty();

            // and once the registry is back (same address, same stored schemas), everything is predicted once
            registry = newRegistry(port, registryData).start();
            int all = FIRST + DURING + NEW_SCHEMA + AFTER_NEW;
            await("all predicted after the registry is back").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> deployment.committedPredictions().size() >= all);
            Set<String> expected = new HashSet<>(known.acceptedEventIds());
            expected.addAll(later.acceptedEventIds());
            assertThat(deployment.committedPredictions().keySet()).isEqualTo(expected);
            assertThat(deployment.committedDeadLetters()).isEmpty();
            assertThat(pipeline.isAlive()).isTrue();
            assertThat(pipeline.lastLogText()).as("the wait was visible in the log").contains("unavailable");
        } finally {
            registry.close();
        }
    }

    private static LocalSchemaRegistry newRegistry(int port, Path data) {
        return LocalSchemaRegistry.builder().port(port).dataDir(data).startupTimeout(Duration.ofMinutes(3)).build();
    }

    /** UserEvent plus one optional field at the end: its binary encoding is v1's followed by one 0 byte (null). */
    private static Schema withExtraOptionalField() {
        Schema v1 = UserEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : v1.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field("channel", Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), "Where the event came from.", JsonProperties.NULL_VALUE));
        return Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
    }

    /** Registers {@code schema} under {@code subject} with the Confluent REST API; returns its id. */
    private static int register(String url, String subject, Schema schema) throws Exception {
        String body = "{\"schema\":" + quote(schema.toString()) + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofString());
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(response.body());
        assertThat(id.find()).as("registered: %s %s", response.statusCode(), response.body()).isTrue();
        return Integer.parseInt(id.group(1));
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The first NEW_SCHEMA events re-written with the new schema id (payload + a null channel), then the rest. */
    private static void produceWithSchema(Deployment deployment, Traffic traffic, int schemaId) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Traffic.producer(deployment.bootstrapServers())) {
            for (int i = 0; i < traffic.size(); i++) {
                ProducerRecord<byte[], byte[]> record = traffic.record(i);
                byte[] value = record.value();
                if (i < NEW_SCHEMA) {
                    ByteBuffer rewritten = ByteBuffer.allocate(value.length + 1);
                    rewritten.put((byte) 0).putInt(schemaId).put(value, 5, value.length - 5).put((byte) 0);
                    value = rewritten.array();
                }
                producer.send(new ProducerRecord<>(deployment.eventsTopic(), record.key(), value)).get();
            }
        }
    }
}

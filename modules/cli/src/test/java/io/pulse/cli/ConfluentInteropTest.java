package io.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.infra.LocalInfra;
import io.pulse.model.FeatureSpec;
import io.pulse.model.InterestCatalogues;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.TopicProvisioner;
import io.pulse.registry.serde.SpecificAvroSerde;
import io.pulse.testsupport.PulseIntegrationTest;
import io.pulse.testsupport.TestTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Pulse's Avro on Kafka is readable and writable by Confluent's own serdes outside the JVM (JavaScript, against the
 * same real broker and real Schema Registry), which is what teams producing events and consuming predictions in
 * other languages rely on.
 */
@PulseIntegrationTest
class ConfluentInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldLetAConsumerOutsideTheJvmDecodeSimulatedEvents(LocalInfra infra) throws Exception {
        // Given a fresh topic and 100 events produced by `pulse simulate` with Pulse's own serializer
        String topic = TestTopics.unique(PulseTopics.USER_EVENTS.name());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Pulse.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute("simulate", "--events", "100", "--users", "10", "--topic", topic,
                        "--bootstrap-servers", infra.bootstrapServers(),
                        "--schema-registry-url", infra.schemaRegistryUrl());
        assertThat(exit).as("pulse simulate exit code; output: %s%nerrors: %s", out, err).isZero();
        assertThat(out.toString()).contains("produced 100 events");

        // When Confluent's JavaScript deserializer reads the topic
        NodeInterop.Result consumed = NodeInterop.node("consume.js",
                "--bootstrap", infra.bootstrapServers(), "--registry", infra.schemaRegistryUrl(),
                "--topic", topic, "--count", "100", "--timeout-ms", "90000");

        // Then it decodes all 100, keyed by the user id they carry, with valid contents
        assertThat(consumed.exitCode()).as("consume.js stderr: %s", consumed.stderr()).isZero();
        assertThat(consumed.stdout()).hasSize(100);
        Set<String> eventIds = new HashSet<>();
        for (String line : consumed.stdout()) {
            JsonNode record = JSON.readTree(line);
            JsonNode value = record.get("value");
            assertThat(value.get("userId").asText()).isEqualTo(record.get("key").asText());
            assertThat(EventType.valueOf(value.get("type").asText())).isNotEqualTo(EventType.UNKNOWN);
            assertThat(value.get("eventTime").asLong()).isPositive();
            eventIds.add(value.get("eventId").asText());
        }
        assertThat(eventIds).as("distinct event ids").hasSize(100);
    }

    @Test
    void shouldDecodeEventsProducedByConfluentsJavaScriptSerializer(LocalInfra infra) {
        // Given 20 events produced by Confluent's JavaScript serializer, registering the contract file itself
        String topic = TestTopics.unique(PulseTopics.USER_EVENTS.name());
        TopicProvisioner.ensureTopics(Map.of("bootstrap.servers", infra.bootstrapServers()),
                List.of(PulseTopics.USER_EVENTS.withName(topic).spec(3)));
        Path schema = Path.of("..", "..", "schemas", "UserEvent.avsc").toAbsolutePath().normalize();
        NodeInterop.Result produced = NodeInterop.node("produce.js",
                "--bootstrap", infra.bootstrapServers(), "--registry", infra.schemaRegistryUrl(),
                "--topic", topic, "--schema", schema.toString(), "--count", "20");
        assertThat(produced.exitCode()).as("produce.js stderr: %s", produced.stderr()).isZero();

        // When Pulse's deserializer reads them into the generated UserEvent class
        List<UserEvent> events = consumeAll(infra, topic, 20);

        // Then every field arrives intact
        assertThat(events).extracting(UserEvent::getEventId)
                .containsExactlyInAnyOrderElementsOf(produced.stdout());
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getUserId()).startsWith("js-user-");
            assertThat(e.getAttributes()).containsEntry("producer", "node");
        });
        assertThat(events).filteredOn(e -> e.getType() == EventType.PAYMENT)
                .allSatisfy(e -> assertThat(e.getAmount()).isNotNull().isPositive());
    }

    @Test
    void shouldLetJavaScriptClientsFeedThePipelineAndReadItsPredictions(LocalInfra infra,
            @org.junit.jupiter.api.io.TempDir Path stateDir) throws Exception {
        // Given a running pipeline on topics of its own, serving a model with interest heads
        String suffix = TestTopics.unique("js");
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", infra.bootstrapServers());
        settings.put("schema.registry.url", infra.schemaRegistryUrl());
        settings.put("application.id", "pulse-" + suffix);
        settings.put("state.dir", stateDir.toString());
        settings.put("http.port", "0");
        String events = "events-" + suffix;
        String predictions = "predictions-" + suffix;
        settings.put("topic.user.events", events);
        settings.put("topic.user.predictions", predictions);
        String interests = "interests-" + suffix;
        settings.put("topic.user.interests", interests);
        settings.put("topic.user.events.dlq", "dlq-" + suffix);
        settings.put("topic.churn.alerts", "churn-" + suffix);
        settings.put("topic.fraud.alerts", "fraud-" + suffix);
        settings.put("topic.user.labels", "labels-" + suffix);
        settings.put("topic.model.weights", "weights-" + suffix);
        try (io.pulse.pipeline.PulsePipeline pipeline =
                     new io.pulse.pipeline.PulsePipeline(new io.pulse.pipeline.PulseConfig(settings)).start()) {
            assertThat(pipeline.awaitRunning(Duration.ofSeconds(60))).isTrue();
            ModelBundle bundle = ModelBundles.seededRandom(pipeline.models().current().name(), 13L, 16,
                    FeatureSpec.v2(6, 3, 2), InterestCatalogues.catalogue(ITEMS, 4));
            publish(infra, "weights-" + suffix, bundle);
            await().alias("the interest model adopted").atMost(Duration.ofSeconds(60))
                    .until(() -> pipeline.models().current().version().equals(bundle.getVersion()));

            // When Confluent's JavaScript serializer produces events into it
            Path schema = Path.of("..", "..", "schemas", "UserEvent.avsc").toAbsolutePath().normalize();
            NodeInterop.Result produced = NodeInterop.node("produce.js",
                    "--bootstrap", infra.bootstrapServers(), "--registry", infra.schemaRegistryUrl(),
                    "--topic", events, "--schema", schema.toString(), "--count", "20");
            assertThat(produced.exitCode()).as("produce.js stderr: %s", produced.stderr()).isZero();

            // Then Confluent's JavaScript deserializer reads one committed prediction per event
            NodeInterop.Result consumed = NodeInterop.node("consume.js",
                    "--bootstrap", infra.bootstrapServers(), "--registry", infra.schemaRegistryUrl(),
                    "--topic", predictions, "--count", "20", "--timeout-ms", "90000");
            assertThat(consumed.exitCode()).as("consume.js stderr: %s", consumed.stderr()).isZero();
            List<String> predictedEvents = new ArrayList<>();
            Map<String, JsonNode> lastPrediction = new HashMap<>();
            for (String line : consumed.stdout()) {
                JsonNode value = JSON.readTree(line).get("value");
                assertThat(value.get("churnProbability").asDouble()).isBetween(0.0, 1.0);
                assertThat(value.get("nextAction")).hasSize(8);
                predictedEvents.add(value.get("eventId").asText());
                // and the interest fields, as a JavaScript client sees them
                assertInterests(value);
                lastPrediction.put(value.get("userId").asText(), value);
            }
            assertThat(predictedEvents).containsExactlyInAnyOrderElementsOf(produced.stdout());

            // and a consumer built against the first released Prediction schema still reads every prediction
            Path v1 = Path.of("..", "..", "schemas", "released", "v1", "Prediction.avsc").toAbsolutePath().normalize();
            NodeInterop.Result old = NodeInterop.node("consume.js",
                    "--bootstrap", infra.bootstrapServers(), "--registry", infra.schemaRegistryUrl(),
                    "--topic", predictions, "--count", "20", "--timeout-ms", "90000", "--reader-schema", v1.toString());
            assertThat(old.exitCode()).as("consume.js with the v1 reader schema, stderr: %s", old.stderr()).isZero();
            List<String> oldReaderEvents = new ArrayList<>();
            for (String line : old.stdout()) {
                JsonNode value = JSON.readTree(line).get("value");
                assertThat(value.get("nextAction")).hasSize(8);
                assertThat(value.has("nextCategories")).as("a v1 reader knows no interest fields").isFalse();
                oldReaderEvents.add(value.get("eventId").asText());
            }
            assertThat(oldReaderEvents).containsExactlyInAnyOrderElementsOf(produced.stdout());

            // and it reads one UserInterests per prediction, keyed by user; each user's latest equals their latest
            // prediction's interest fields
            NodeInterop.Result latest = NodeInterop.node("consume.js",
                    "--bootstrap", infra.bootstrapServers(), "--registry", infra.schemaRegistryUrl(),
                    "--topic", interests, "--count", "20", "--timeout-ms", "90000");
            assertThat(latest.exitCode()).as("consume.js user-interests stderr: %s", latest.stderr()).isZero();
            assertThat(latest.stdout()).hasSize(20);
            Map<String, JsonNode> lastInterests = new HashMap<>();
            for (String line : latest.stdout()) {
                JsonNode record = JSON.readTree(line);
                JsonNode value = record.get("value");
                assertThat(value.get("userId").asText()).isEqualTo(record.get("key").asText());
                assertThat(value.get("updatedAt").asLong()).isPositive();
                assertThat(value.get("modelVersion").asText()).isEqualTo(bundle.getVersion());
                assertInterests(value);
                lastInterests.put(value.get("userId").asText(), value);
            }
            assertThat(lastInterests).hasSize(5).containsOnlyKeys(lastPrediction.keySet());
            lastInterests.forEach((user, value) -> {
                JsonNode prediction = lastPrediction.get(user);
                assertThat(value.get("nextCategories")).isEqualTo(prediction.get("nextCategories"));
                assertThat(value.get("recommendations")).isEqualTo(prediction.get("recommendations"));
                assertThat(value.get("interestShift")).isEqualTo(prediction.get("interestShift"));
            });
        }
    }

    private static final int ITEMS = 30;

    /** The interest fields of a Prediction or UserInterests as decoded by Confluent's JavaScript deserializer. */
    private static void assertInterests(JsonNode value) {
        JsonNode categories = value.get("nextCategories");
        assertThat(categories).as("nextCategories of %s", value).hasSize(3);
        for (JsonNode category : categories) {
            assertThat(category.get("category").asText()).startsWith("1>");
            assertThat(category.get("probability").isNumber()).isTrue();
            assertThat(category.get("probability").asDouble()).isBetween(0.0, 1.0);
        }
        JsonNode items = value.get("recommendations");
        assertThat(items).as("recommendations of %s", value).hasSize(10);
        for (JsonNode item : items) {
            assertThat(item.get("itemId").asText()).startsWith("item-");
            assertThat(item.get("score").isNumber()).isTrue();
        }
        assertThat(value.get("interestShift").isNumber()).as("interestShift of %s", value).isTrue();
        assertThat(value.get("interestShift").asDouble()).isBetween(0.0, 1.0);
    }

    private static void publish(LocalInfra infra, String topic, ModelBundle bundle) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put("schema.registry.url", infra.schemaRegistryUrl());
        try (SpecificAvroSerde<ModelBundle> serde = new SpecificAvroSerde<>(ModelBundle.class)) {
            serde.configure(config, false);
            try (KafkaProducer<String, ModelBundle> producer =
                         new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
                producer.send(new ProducerRecord<>(topic, bundle.getName(), bundle)).get();
            }
        }
    }

    private static List<UserEvent> consumeAll(LocalInfra infra, String topic, int expected) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, TestTopics.unique("interop-reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put("schema.registry.url", infra.schemaRegistryUrl());
        List<UserEvent> events = new ArrayList<>();
        try (SpecificAvroSerde<UserEvent> serde = new SpecificAvroSerde<>(UserEvent.class)) {
            serde.configure(config, false);
            try (KafkaConsumer<String, UserEvent> consumer =
                         new KafkaConsumer<>(config, new StringDeserializer(), serde.deserializer())) {
                consumer.subscribe(List.of(topic));
                await().alias("all " + expected + " JavaScript-produced events consumed")
                        .atMost(Duration.ofSeconds(60))
                        .pollDelay(Duration.ZERO)
                        .until(() -> {
                            for (ConsumerRecord<String, UserEvent> record : consumer.poll(Duration.ofMillis(500))) {
                                events.add(record.value());
                            }
                            return events.size() >= expected;
                        });
            }
        }
        return events;
    }
}

package io.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.testsupport.PulseIntegrationTest;
import io.pulse.testsupport.TestTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pulse replay} turns an event log it has never seen into UserEvents on Kafka, through a column mapping. */
@PulseIntegrationTest
class ReplayIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void shouldReplayARatingsLogThroughAColumnMapping(LocalInfra infra) throws Exception {
        // Given a MovieLens-style ratings log: user, item, rating and epoch seconds only
        Path csv = dir.resolve("ratings.csv");
        Files.writeString(csv, """
                userId,movieId,rating,timestamp
                1,31,2.5,1260759144
                1,1029,3.0,1260759179
                2,10,4.0,835355493
                2,17,5.0,835355681
                3,60,3.0,1298861675
                """);
        String topic = TestTopics.unique("ratings");

        // When it is replayed
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Pulse.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
                "replay", "--csv", csv.toString(),
                "--map", "user=userId,item=movieId,rating=rating,time=timestamp:epoch-s,type=const:RATING",
                "--topic", topic, "--labels-topic", TestTopics.unique("labels"),
                "--bootstrap-servers", infra.bootstrapServers(), "--schema-registry-url", infra.schemaRegistryUrl());

        // Then every row is a RATING UserEvent keyed by user, with its original time
        assertThat(exit).as("exit code; out: %s err: %s", out, err).isZero();
        assertThat(out.toString()).contains("replayed 5 events");
        List<UserEvent> events = consume(infra, topic, 5);
        assertThat(events).extracting(UserEvent::getType).containsOnly(EventType.RATING);
        assertThat(events).extracting(UserEvent::getUserId).containsExactlyInAnyOrder("1", "1", "2", "2", "3");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getItemId()).isEqualTo("1029");
            assertThat(e.getRating()).isEqualTo(3.0f);
            assertThat(e.getEventTime()).isEqualTo(Instant.ofEpochSecond(1260759179));
        });
    }

    private static List<UserEvent> consume(LocalInfra infra, String topic, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TestTopics.unique("replay-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<UserEvent> events = new ArrayList<>();
        try (AvroDeserializer<UserEvent> values = new AvroDeserializer<>(UserEvent.class)) {
            values.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
            try (KafkaConsumer<String, UserEvent> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                    values)) {
                consumer.subscribe(List.of(topic));
                await().alias(expected + " replayed events").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                        .until(() -> {
                            consumer.poll(Duration.ofMillis(500)).forEach(r -> events.add(r.value()));
                            return events.size() >= expected;
                        });
            }
        }
        return events;
    }
}

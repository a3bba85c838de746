package io.pulse.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.Label;
import io.pulse.contracts.UserEvent;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.simulator.publish.FakeClock;
import io.pulse.simulator.publish.PublishResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayerTest {

    /** Five transactions over three days; two frauds, labelled a day later. */
    private static final String LOG = """
            tx,time,customer,terminal,amount,fraud
            t1,2020-01-01 00:00:00,c1,T1,10.0,0
            t2,2020-01-01 06:00:00,c2,T2,900.0,1
            t3,2020-01-02 12:00:00,c1,T1,12.5,0
            t4,2020-01-03 00:00:00,c3,T3,20.0,0
            t5,2020-01-03 01:00:00,c2,T9,950.0,1
            """;
    private static final ColumnMapping MAPPING = ColumnMapping.parse("id=tx,user=customer,"
            + "time=time:yyyy-MM-dd HH:mm:ss,type=const:PAYMENT,item=terminal,amount=amount,label=fraud");

    @TempDir
    Path dir;

    private final MockProducer<String, SpecificRecord> producer = new MockProducer<>(true, null,
            new StringSerializer(), serializer());

    private static AvroSerializer<SpecificRecord> serializer() {
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", "mock://replayer-test"), false);
        return serializer;
    }

    private CsvReplaySource source() throws IOException {
        Path file = dir.resolve("log.csv");
        Files.writeString(file, LOG);
        return CsvReplaySource.open(file, MAPPING, ReplayOptions.defaults().withLabelDelay(Duration.ofDays(1)));
    }

    /** Topic and id (event id, or "label:" + event id) of every record, in sending order. */
    private List<String> sent() {
        List<String> sent = new ArrayList<>();
        for (ProducerRecord<String, SpecificRecord> record : producer.history()) {
            if (record.value() instanceof UserEvent e) {
                assertThat(record.key()).isEqualTo(e.getUserId());
                sent.add(record.topic() + ":" + e.getEventId());
            } else {
                Label l = (Label) record.value();
                assertThat(record.key()).isEqualTo(l.getUserId());
                sent.add(record.topic() + ":label:" + l.getEventId());
            }
        }
        return sent;
    }

    @Test
    void shouldReplayAsFastAsPossibleWithLabelsWhenTheirTimeComes() throws IOException {
        FakeClock clock = new FakeClock(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
        PublishResult result;
        try (CsvReplaySource source = source();
             Replayer replayer = new Replayer(producer, "events", "labels", clock)) {
            result = replayer.replay(source, Double.POSITIVE_INFINITY, Long.MAX_VALUE, n -> { });
            assertThat(replayer.labelsNotYetDue()).isZero();
        }

        assertThat(result.events()).isEqualTo(5);
        assertThat(result.labels()).isEqualTo(2);
        assertThat(clock.sleeps()).isZero();
        // t2's label (observed 01-02 06:00) goes out before t3 (01-02 12:00); t5's at the end: 2030 is after it
        assertThat(sent()).containsExactly("events:t1", "events:t2", "labels:label:t2", "events:t3", "events:t4",
                "events:t5", "labels:label:t5");
        UserEvent first = (UserEvent) producer.history().get(0).value();
        assertThat(first.getEventTime()).as("original event time").isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void shouldKeepEventTimeGapsDividedByTheSpeedup() throws IOException {
        FakeClock clock = new FakeClock(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
        PublishResult result;
        try (CsvReplaySource source = source();
             Replayer replayer = new Replayer(producer, "events", "labels", clock)) {
            result = replayer.replay(source, 3600, Long.MAX_VALUE, n -> { });
        }

        // 49 hours of event time at an hour per second
        assertThat(clock.nanoTime() / 1e9).isCloseTo(49.0, within(0.01));
        assertThat(result.events()).isEqualTo(5);
    }

    @Test
    void shouldHoldBackLabelsWhoseObservationIsStillInTheFuture() throws IOException {
        FakeClock clock = new FakeClock(Instant.parse("2020-01-03T12:00:00Z").toEpochMilli());
        try (Replayer replayer = new Replayer(producer, "events", "labels", clock)) {
            try (CsvReplaySource source = source()) {
                PublishResult result = replayer.replay(source, Double.POSITIVE_INFINITY, 4, n -> { });

                assertThat(result.events()).isEqualTo(4);
                assertThat(result.labels()).isEqualTo(1);
                assertThat(replayer.labelsNotYetDue()).isZero();
            }
            try (CsvReplaySource source = source()) {
                PublishResult result = replayer.replay(source, Double.POSITIVE_INFINITY, Long.MAX_VALUE, n -> { });

                assertThat(result.labels()).isEqualTo(1);
                assertThat(replayer.labelsNotYetDue()).as("t5's label is observed on 01-04").isEqualTo(1);
            }
        }
    }
}

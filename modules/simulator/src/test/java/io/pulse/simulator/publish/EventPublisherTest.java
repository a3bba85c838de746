package io.pulse.simulator.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.simulator.EventSimulator;
import io.pulse.simulator.SimulationConfig;
import io.pulse.simulator.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EventPublisherTest {

    private static final String EVENTS = "events";
    private static final String LABELS = "labels";
    private static final long NOW = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    /** Frequent churn labels and fraud: a short horizon, many compromised accounts. */
    private static final SimulationConfig CONFIG = SimulationConfig.defaults().withCompromisedUserShare(0.5)
            .withChurnHorizon(Duration.ofHours(12));

    private final MockProducer<String, SpecificRecord> producer = new MockProducer<>(true, null,
            new StringSerializer(), serializer());

    private static AvroSerializer<SpecificRecord> serializer() {
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", "mock://event-publisher-test"), false);
        return serializer;
    }

    private List<UserEvent> events() {
        List<UserEvent> events = new ArrayList<>();
        for (ProducerRecord<String, SpecificRecord> record : producer.history()) {
            if (record.topic().equals(EVENTS)) {
                assertThat(record.key()).isEqualTo(((UserEvent) record.value()).getUserId());
                events.add((UserEvent) record.value());
            }
        }
        return events;
    }

    @Test
    void shouldPublishPlainEventsKeyedByUser() {
        try (EventPublisher publisher = new EventPublisher(producer, EVENTS, LABELS, new FakeClock(NOW))) {
            List<Long> progress = new ArrayList<>();
            assertThat(publisher.publish(new EventSimulator(CONFIG), 100, progress::add)).isEqualTo(100);
            assertThat(progress).hasSize(100).endsWith(100L);
        }
        assertThat(events()).hasSize(100);
    }

    @Test
    void shouldPublishATimelineWithLabelsOnlyOnceTheyAreObserved() {
        PublishResult result;
        try (EventPublisher publisher = new EventPublisher(producer, EVENTS, LABELS, new FakeClock(NOW))) {
            result = publisher.publishTimeline(new Timeline(CONFIG), 20_000, n -> { });
        }

        assertThat(result.events()).isEqualTo(20_000);
        assertThat(result.labels()).isGreaterThan(10_000);
        List<ProducerRecord<String, SpecificRecord>> history = producer.history();
        Set<String> published = new HashSet<>();
        Instant nextEventTime = Instant.MAX;
        // backwards, so that each label is checked against the first event sent after it
        for (int i = history.size() - 1; i >= 0; i--) {
            ProducerRecord<String, SpecificRecord> record = history.get(i);
            if (record.value() instanceof UserEvent event) {
                nextEventTime = event.getEventTime();
                published.add(event.getEventId());
                continue;
            }
            Label label = (Label) record.value();
            assertThat(record.topic()).isEqualTo(LABELS);
            assertThat(record.key()).isEqualTo(label.getUserId());
            assertThat(label.getObservedAt()).as("not sent before it is observed").isBeforeOrEqualTo(nextEventTime);
            assertThat(label.getObservedAt()).isAfter(label.getAppliesAt());
        }
        Set<String> sentBefore = new HashSet<>();
        for (ProducerRecord<String, SpecificRecord> record : history) {
            if (record.value() instanceof UserEvent event) {
                sentBefore.add(event.getEventId());
            } else if (((Label) record.value()).getKind() == LabelKind.FRAUD) {
                assertThat(sentBefore.contains(((Label) record.value()).getEventId())).as("after its event").isTrue();
            }
        }
        assertThat(published).hasSize(20_000);
    }

    @Test
    void shouldPaceEventsToTheWallClockAndStampThemWithIt() {
        FakeClock clock = new FakeClock(NOW);
        List<Long> progress = new ArrayList<>();
        PublishResult result;
        try (EventPublisher publisher = new EventPublisher(producer, EVENTS, LABELS, clock)) {
            result = publisher.publishPaced(new Timeline(CONFIG), 50, 1_000, null, progress::add);
        }

        assertThat(result.events()).isEqualTo(1_000);
        assertThat(result.interrupted()).isFalse();
        assertThat(result.elapsed().toMillis()).as("1000 events at 50/s").isCloseTo(19_980, within(50L));
        assertThat(progress).hasSize(1_000).endsWith(1_000L);
        List<UserEvent> events = events();
        assertThat(events.get(0).getEventTime()).isEqualTo(Instant.ofEpochMilli(NOW));
        assertThat(events.get(999).getEventTime()).isEqualTo(Instant.ofEpochMilli(NOW + 19_980));
        assertThat(events).isSortedAccordingTo((a, b) -> a.getEventTime().compareTo(b.getEventTime()));
        // labels refer to the re-stamped events and are stamped with the wall clock when released
        Map<String, Instant> publishedTimes = new HashMap<>();
        Set<String> userTimes = new HashSet<>();
        events.forEach(e -> {
            publishedTimes.put(e.getEventId(), e.getEventTime());
            userTimes.add(e.getUserId() + "@" + e.getEventTime());
        });
        List<Label> labels = producer.history().stream().filter(r -> r.topic().equals(LABELS))
                .map(r -> (Label) r.value()).toList();
        assertThat(labels).isNotEmpty().allSatisfy(label -> {
            assertThat(label.getObservedAt()).isAfter(label.getAppliesAt())
                    .isBetween(Instant.ofEpochMilli(NOW), Instant.ofEpochMilli(NOW + 20_000));
            if (label.getKind() == LabelKind.FRAUD) {
                assertThat(label.getAppliesAt()).isEqualTo(publishedTimes.get(label.getEventId()));
            } else {
                assertThat(userTimes).contains(label.getUserId() + "@" + label.getAppliesAt());
            }
        });
    }

    @Test
    void shouldStopPacingAfterTheDuration() {
        FakeClock clock = new FakeClock(NOW);
        PublishResult result;
        try (EventPublisher publisher = new EventPublisher(producer, EVENTS, LABELS, clock)) {
            result = publisher.publishPaced(new Timeline(CONFIG), 100, Long.MAX_VALUE, Duration.ofSeconds(3), n -> { });
        }

        assertThat(result.events()).isEqualTo(300);
        assertThat(events()).hasSize(300);
    }

    @Test
    void shouldStopCleanlyWhenInterrupted() {
        FakeClock clock = new FakeClock(NOW).interruptAtSleep(40);
        PublishResult result;
        try (EventPublisher publisher = new EventPublisher(producer, EVENTS, LABELS, clock)) {
            result = publisher.publishPaced(new Timeline(CONFIG), 10, Long.MAX_VALUE, null, n -> { });
            assertThat(Thread.interrupted()).as("the interrupt flag is restored (and cleared here)").isTrue();
        }

        assertThat(result.interrupted()).isTrue();
        assertThat(result.events()).isEqualTo(40); // the first event goes out at once, 39 after sleeps
        assertThat(events()).hasSize(40);
    }
}

package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.AuditAction;
import io.pulse.contracts.AuditRecord;
import io.pulse.contracts.ErasureRequest;
import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.StoreErasure;
import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.erasure.ErasureProcessor;
import io.pulse.pipeline.state.InactivityIndex;
import io.pulse.pipeline.state.ScoredEvent;
import io.pulse.pipeline.state.StateStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An erasure request removes the user from every store, leaves everyone else alone, and is audited. */
class ErasureTopologyTest {

    private static final String ERASED = "user-erased";
    private static final String KEPT = "user-kept";
    private static final int EVENTS = 6;

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    @BeforeEach
    void start() {
        // every event raises a fraud alert (threshold 0) with no cooldown, so the live feed holds alerts of both users
        fixture = new TopologyFixture(stateDir, Map.of("fraud.alert.threshold", "0", "fraud.alert.cooldown.ms", "0",
                "statestore.cache.max.bytes", "0"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldDeleteTheUserFromEveryStoreAndAuditIt() {
        // Given two users with events, and a label joined for one of the erased user's events
        List<UserEvent> erasedEvents = history(ERASED);
        List<UserEvent> keptEvents = history(KEPT);
        fixture.labels.pipeInput(ERASED, Label.newBuilder().setUserId(ERASED).setKind(LabelKind.FRAUD)
                .setPositive(true).setEventId(erasedEvents.get(0).getEventId())
                .setAppliesAt(erasedEvents.get(0).getEventTime()).setObservedAt(TopologyFixture.START).build());
        assertThat(fixture.metrics.feed().timeline(ERASED).points()).hasSize(EVENTS);
        assertThat(fixture.metrics.feed().alerts(100)).extracting(a -> a.getUserId()).contains(ERASED);
        long dueAt = fixture.stateOf(ERASED).inactivityDueAtMillis();

        // When the user is erased
        ErasureRequest request = fixture.erase(ERASED);

        // Then nothing of the user is left in any store
        assertThat(fixture.<String, byte[]>keyValueStore(StateStores.USER_STATE).get(ERASED)).isNull();
        assertThat(indexUsers()).doesNotContain(ERASED).contains(KEPT);
        assertThat(fixture.<Bytes, byte[]>keyValueStore(StateStores.INACTIVITY_INDEX)
                .get(InactivityIndex.key(dueAt, ERASED))).isNull();
        assertThat(predictionLogKeys()).noneMatch(key -> key.startsWith(ERASED))
                .filteredOn(key -> key.startsWith(KEPT)).hasSize(EVENTS);
        assertThat(eventIdsPresent(erasedEvents)).isEmpty();
        assertThat(eventIdsPresent(keptEvents)).hasSize(EVENTS);
        assertThat(fixture.metrics.feed().timeline(ERASED).isEmpty()).isTrue();
        assertThat(fixture.metrics.feed().recentUsers()).doesNotContain(ERASED).contains(KEPT);
        assertThat(fixture.metrics.feed().alerts(100)).extracting(a -> a.getUserId()).doesNotContain(ERASED)
                .contains(KEPT);
        // and the other user is untouched
        assertThat(fixture.stateOf(KEPT).windows().eventsSeen()).isEqualTo(EVENTS);

        // and one audit record says what was deleted where, by whom, for which request
        TestRecord<String, AuditRecord> audited = fixture.audit.readRecord();
        AuditRecord audit = audited.value();
        assertThat(audited.key()).isEqualTo(ERASED);
        assertThat(audit.getAction()).isEqualTo(AuditAction.USER_ERASED);
        assertThat(audit.getRequestId()).isEqualTo(request.getRequestId());
        assertThat(audit.getUserId()).isEqualTo(ERASED);
        assertThat(audit.getRequestedBy()).isEqualTo("test");
        assertThat(audit.getOrigin()).isEqualTo("test");
        assertThat(audit.getInstance()).startsWith("pulse-test@127.0.0.1:8080/task 0_0");
        assertThat(entriesByStore(audit)).containsExactly(
                Map.entry(StateStores.USER_STATE, 1L),
                Map.entry(StateStores.INACTIVITY_INDEX, 1L),
                Map.entry(StateStores.SCORED_EVENTS, (long) EVENTS),
                // timeline points + fraud alerts + the recent-users entry
                Map.entry(ErasureProcessor.LIVE_FEED, EVENTS + EVENTS + 1L));
        assertThat(fixture.audit.isEmpty()).isTrue();
        assertThat(fixture.metrics.erasedCount()).isEqualTo(1.0);

        // and a tombstone removes the user from the compacted user-interests topic, and only that user
        assertThat(fixture.userInterests.readRecordsToList()).singleElement().satisfies(tombstone -> {
            assertThat(tombstone.key()).isEqualTo(ERASED);
            assertThat(tombstone.value()).isNull();
        });
    }

    @Test
    void shouldWriteTombstonesForTheUserToTheChangelogs() {
        history(ERASED);
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        String userStateChangelog = "pulse-test-" + StateStores.USER_STATE + "-changelog";
        String predictionLogChangelog = "pulse-test-" + StateStores.SCORED_EVENTS + "-changelog";
        var userState = fixture.driver.createOutputTopic(userStateChangelog, bytes, bytes);
        var predictionLog = fixture.driver.createOutputTopic(predictionLogChangelog, bytes, bytes);
        userState.readRecordsToList();
        predictionLog.readRecordsToList();

        fixture.erase(ERASED);

        assertThat(userState.readRecordsToList())
                .anySatisfy(r -> {
                    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(ERASED);
                    assertThat(r.value()).isNull();
                });
        // a window store's changelog key is the store key followed by the window's timestamp and a sequence number
        byte[] prefix = ScoredEvent.firstKeyOf(ERASED).getBytes(StandardCharsets.UTF_8);
        assertThat(predictionLog.readRecordsToList())
                .filteredOn(r -> r.key().length > prefix.length
                        && Arrays.equals(Arrays.copyOf(r.key(), prefix.length), prefix))
                .hasSize(EVENTS)
                .allSatisfy(r -> assertThat(r.value()).isNull());
    }

    @Test
    void shouldStartAFreshStateForEventsAfterTheErasure() {
        history(ERASED);
        fixture.erase(ERASED);
        fixture.predictions.readRecordsToList();

        fixture.send(TopologyFixture.event(ERASED, EventType.VIEW, Duration.ofHours(1)).build());

        Prediction fresh = fixture.predictions.readValue();
        assertThat(fresh.getEventsSeen()).isEqualTo(1);
        assertThat(fixture.stateOf(ERASED).windows().eventsSeen()).isEqualTo(1);
    }

    @Test
    void shouldAuditAnErasureOfAnUnknownUserWithNothingDeleted() {
        fixture.erase("nobody");

        AuditRecord audit = fixture.audit.readValue();
        assertThat(audit.getUserId()).isEqualTo("nobody");
        assertThat(audit.getStores()).hasSize(4).allSatisfy(store -> assertThat(store.getEntries()).isZero());
    }

    @Test
    void shouldIgnoreARequestWhoseKeyIsNotItsUserOrThatDoesNotDecode() {
        history(ERASED);
        ErasureRequest misrouted = ErasureRequest.newBuilder().setRequestId("r-1").setUserId(ERASED)
                .setRequestedBy("test").setRequestedAt(Instant.EPOCH).build();

        fixture.erasures.pipeInput("someone-else", misrouted);
        fixture.driver.createInputTopic(fixture.config.topic(PulseConfig.TOPIC_ERASURES),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())
                .pipeInput(ERASED, "not avro".getBytes(StandardCharsets.UTF_8));

        assertThat(fixture.audit.isEmpty()).isTrue();
        assertThat(fixture.metrics.erasureRejectedCount()).isEqualTo(2.0);
        assertThat(fixture.stateOf(ERASED).windows().eventsSeen()).isEqualTo(EVENTS);
    }

    /** {@value #EVENTS} payments of {@code userId}, an hour apart, all scored. */
    private List<UserEvent> history(String userId) {
        List<UserEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            UserEvent event = TopologyFixture.event(userId, EventType.PAYMENT, Duration.ofHours(i - EVENTS))
                    .setAmount(10.0 + i).build();
            fixture.send(event);
            events.add(event);
        }
        return events;
    }

    private List<String> indexUsers() {
        List<String> users = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = fixture.<Bytes, byte[]>keyValueStore(
                StateStores.INACTIVITY_INDEX).all()) {
            all.forEachRemaining(entry -> {
                if (InactivityIndex.isCheck(entry.key)) { // the store also holds the task clock
                    users.add(InactivityIndex.userId(entry.key));
                }
            });
        }
        return users;
    }

    private List<String> predictionLogKeys() {
        WindowStore<String, byte[]> log = fixture.windowStore(StateStores.SCORED_EVENTS);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, byte[]> all = log.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key.key()));
        }
        return keys;
    }

    /** The events of {@code events} the scored-events store still remembers (keys end with NUL eventId). */
    private List<String> eventIdsPresent(List<UserEvent> events) {
        List<String> wanted = events.stream().map(UserEvent::getEventId).toList();
        return predictionLogKeys().stream()
                .map(key -> key.substring(key.indexOf(ScoredEvent.SEPARATOR) + 1))
                .filter(wanted::contains).toList();
    }

    private static Map<String, Long> entriesByStore(AuditRecord audit) {
        return audit.getStores().stream().collect(Collectors.toMap(StoreErasure::getStore, StoreErasure::getEntries,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }
}

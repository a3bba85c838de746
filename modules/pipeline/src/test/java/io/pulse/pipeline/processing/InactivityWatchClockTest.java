package io.pulse.pipeline.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.state.InactivityIndex;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.registry.MockSchemaRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the inactivity watch keeps the task clock its checks are due against, and that state written by earlier
 * versions (the clock under a reserved key of {@code user-state}) is still read after an upgrade. The scoring
 * processor runs on a {@link MockProcessorContext} over in-memory stores that outlive it, as a restored task's do.
 */
class InactivityWatchClockTest {

    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final long WALL = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();

    private final String scope = "inactivity-clock-" + UUID.randomUUID();
    private final PulseConfig config = new PulseConfig(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, "mock://" + scope));
    private final ModelHolder models = PulseTopology.fallbackModel(config);
    private KeyValueStore<String, byte[]> users;
    private WindowStore<String, byte[]> scoredEvents;
    private KeyValueStore<Bytes, byte[]> index;

    @BeforeEach
    void createStores() {
        users = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StateStores.USER_STATE), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        scoredEvents = Stores.windowStoreBuilder(Stores.inMemoryWindowStore(StateStores.SCORED_EVENTS,
                Duration.ofDays(30), Duration.ofMillis(1), false), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        index = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StateStores.INACTIVITY_INDEX),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
        users.init(context.getStateStoreContext(), users);
        scoredEvents.init(context.getStateStoreContext(), scoredEvents);
        index.init(context.getStateStoreContext(), index);
    }

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    /** A scoring processor on its own context (which holds its punctuator). */
    private record Task(ScoreProcessor processor, MockProcessorContext<String, SpecificRecord> context) {

        void score(UserEvent event) {
            processor.process(new Record<>(event.getUserId(), new InputRecord.Accepted(event),
                    event.getEventTime().toEpochMilli()));
        }

        void punctuate() {
            context.scheduledPunctuators().get(0).getPunctuator().punctuate(context.currentSystemTimeMs());
        }
    }

    /** A scoring processor started on the stores, as a task is (re)started. */
    private Task start(PipelineMetrics metrics) {
        MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(WALL);
        context.addStateStore(users);
        context.addStateStore(scoredEvents);
        context.addStateStore(index);
        ScoreProcessor processor = new ScoreProcessor(models, ScoringSettings.from(config), metrics,
                config.topic(PulseConfig.TOPIC_LABELS), config.serdeConfig());
        processor.init(context);
        return new Task(processor, context);
    }

    private static UserEvent login(String userId, Instant at) {
        return UserEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setUserId(userId)
                .setType(EventType.LOGIN).setEventTime(at).build();
    }

    private static byte[] savedClock(long maxEventTime, long wallAtMax) {
        return ByteBuffer.allocate(2 * Long.BYTES).putLong(maxEventTime).putLong(wallAtMax).array();
    }

    private List<Bytes> indexKeys() {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = index.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    private List<String> userStateKeys() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = users.all()) {
            all.forEachRemaining((KeyValue<String, byte[]> entry) -> keys.add(entry.key));
        }
        return keys;
    }

    @Test
    void shouldSaveTheTaskClockInTheInactivityIndexAndNothingButUsersInUserState() {
        // Given a task that scored one event
        Task task = start(PipelineMetrics.inMemory());
        task.score(login("u-1", START));

        // When its punctuator runs
        task.punctuate();

        // Then the clock is saved next to the checks it times, under a key that is no check
        assertThat(ByteBuffer.wrap(index.get(InactivityIndex.clockKey())).getLong()).isEqualTo(START.toEpochMilli());
        assertThat(indexKeys()).filteredOn(InactivityIndex::isCheck).extracting(InactivityIndex::userId)
                .containsExactly("u-1");
        assertThat(userStateKeys()).containsExactly("u-1");
    }

    @Test
    void shouldJudgeSilenceByATaskClockSavedTheOldWayAndMoveIt() {
        // Given a user whose first inactivity check is due three days after their only event
        start(PipelineMetrics.inMemory()).score(login("u-1", START));
        assertThat(index.get(InactivityIndex.clockKey())).isNull();
        // and the task clock saved by an earlier version, under its reserved key of user-state, 30 days later
        long savedClock = START.plus(Duration.ofDays(30)).toEpochMilli();
        users.put(InactivityWatch.LEGACY_CLOCK_KEY, savedClock(savedClock, WALL - 1_000));

        // When an upgraded instance restores the task and its punctuator runs before any new event
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        start(metrics).punctuate();

        // Then the user's silence was checked against the saved clock (an unknown clock checks nobody)
        assertThat(metrics.inactivityCheckCount()).isEqualTo(1);
        // and the clock moved from user-state to the inactivity index
        assertThat(users.get(InactivityWatch.LEGACY_CLOCK_KEY)).isNull();
        assertThat(userStateKeys()).containsExactly("u-1");
        assertThat(ByteBuffer.wrap(index.get(InactivityIndex.clockKey())).getLong()).isEqualTo(savedClock);
    }

    @Test
    void shouldPreferTheLaterOfTwoSavedClocks() {
        // Given a clock in the index and an older one left under the old key (an instance that was rolled back)
        long newer = START.plus(Duration.ofDays(30)).toEpochMilli();
        index.put(InactivityIndex.clockKey(), savedClock(newer, WALL - 1_000));
        users.put(InactivityWatch.LEGACY_CLOCK_KEY, savedClock(START.toEpochMilli(), WALL - 1_000));

        // When a task starts on them and its punctuator runs
        start(PipelineMetrics.inMemory()).punctuate();

        // Then the later clock is kept, and the old key is gone
        assertThat(ByteBuffer.wrap(index.get(InactivityIndex.clockKey())).getLong()).isEqualTo(newer);
        assertThat(users.get(InactivityWatch.LEGACY_CLOCK_KEY)).isNull();
    }
}

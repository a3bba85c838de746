package io.pulse.pipeline.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import io.pulse.model.FeatureSpec;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.state.InactivityIndex;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.state.UserStateCodec;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.registry.MockSchemaRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Where the inactivity watch keeps the task clock its checks are due against (and its mark of how far it has handled
 * the checks), and that state written by earlier versions (the clock under a reserved key of {@code user-state}) is
 * still read after an upgrade. The scoring processor runs on a {@link MockProcessorContext} over in-memory stores
 * that outlive it, as a restored task's do.
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
        return start(metrics, config);
    }

    private Task start(PipelineMetrics metrics, PulseConfig config) {
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

    /** Every entry of a store, to put back as a task's restored stores would be after an aborted transaction. */
    private static <K> Map<K, byte[]> copy(KeyValueStore<K, byte[]> store) {
        Map<K, byte[]> copy = new HashMap<>();
        try (KeyValueIterator<K, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> copy.put(entry.key, entry.value));
        }
        return copy;
    }

    private static <K> void restore(KeyValueStore<K, byte[]> store, Map<K, byte[]> copy) {
        copy(store).keySet().forEach(store::delete);
        copy.forEach(store::put);
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

    @Test
    void shouldForgetItsMarkWhenItsTaskIsStartedAgainOnStoresRestoredToBeforeIt() {
        // Given a user whose first check (two days after the first event) stays in the index while a second event
        // postpones it by an hour
        PulseConfig twoDays = new PulseConfig(Map.of(PulseConfig.SCHEMA_REGISTRY_URL, "mock://" + scope,
                PulseConfig.INACTIVITY_SILENCE_FACTOR, "1",
                PulseConfig.INACTIVITY_MIN_SILENCE_MS, String.valueOf(Duration.ofDays(2).toMillis())));
        Task task = start(PipelineMetrics.inMemory(), twoDays);
        task.score(login("u-1", START));
        task.score(login("u-1", START.plus(Duration.ofHours(1))));
        UserStateCodec codec = new UserStateCodec(FeatureSpec.v1());
        UserState before = codec.decode(users.get("u-1"));
        long firstDue = before.inactivityIndexedAtMillis();
        assertThat(before.inactivityDueAtMillis()).isGreaterThan(firstDue);
        Map<Bytes, byte[]> indexBefore = copy(index);
        Map<String, byte[]> usersBefore = copy(users);

        // and a punctuation between the two due times, which moves the entry on in the index only
        long between = (firstDue + before.inactivityDueAtMillis()) / 2;
        task.context().setCurrentSystemTimeMs(WALL + between - START.plus(Duration.ofHours(1)).toEpochMilli());
        task.punctuate();
        assertThat(indexKeys()).filteredOn(InactivityIndex::isCheck).extracting(InactivityIndex::dueAt)
                .containsExactly(before.inactivityDueAtMillis());

        // When the task's stores are restored to before that punctuation (its transaction aborted) and the same
        // processor is initialised again on them, as Kafka Streams revives a corrupted task
        restore(index, indexBefore);
        restore(users, usersBefore);
        task.processor().init(task.context());
        task.score(login("u-1", START.plus(Duration.ofHours(2))));

        // Then the user's one entry is where its state says: the mark of the aborted punctuation is gone with it
        List<Long> entries = indexKeys().stream().filter(InactivityIndex::isCheck).map(InactivityIndex::dueAt)
                .toList();
        assertThat(entries).containsExactly(firstDue);
        assertThat(codec.decode(users.get("u-1")).inactivityIndexedAtMillis()).isEqualTo(firstDue);
    }
}

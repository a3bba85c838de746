package io.pulse.pipeline.state;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The pipeline's state stores: their names (which are also part of their changelog topics' names, so they never
 * change) and how each is built. The topology, the processors, erasure and the HTTP layer all take the names from
 * here; the layout of each store's keys and values is described by the class named in its builder's javadoc.
 */
public final class StateStores {

    /** userId → the serialized {@link UserState}. */
    public static final String USER_STATE = "user-state";
    /** Scored events ({@link ScoredEvent}): deduplication and the label join. */
    public static final String SCORED_EVENTS = "scored-events";
    /** Due inactivity checks ({@link InactivityIndex}) and the task clock they are due against. */
    public static final String INACTIVITY_INDEX = "inactivity-index";
    /** The global store of model bundles, keyed by model name. */
    public static final String MODEL_WEIGHTS = "model-weights";

    /** Prefix of an entity type's store ({@link #entity}); the type follows. */
    public static final String ENTITY_PREFIX = "entity-";

    /** The per-user stores: the scoring processor owns them, and erasure deletes a user from every one. */
    public static final List<String> PER_USER = List.of(USER_STATE, INACTIVITY_INDEX, SCORED_EVENTS);

    private StateStores() {
    }

    /** One record per user: the serialized {@link UserState} (at most {@link UserStateCodec#MAX_BYTES} bytes). */
    public static StoreBuilder<KeyValueStore<String, byte[]>> userState() {
        // cached: an active user's state is read and rewritten on every event; the cache turns the writes between two
        // commits into one RocksDB put and one changelog record
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USER_STATE), Serdes.String(),
                Serdes.ByteArray()).withCachingEnabled();
    }

    /**
     * userId NUL eventId at event time → arrival time, model version and scores ({@link ScoredEvent}): one write per
     * scored event serves deduplication (a point lookup at the event's own time), the label join, and erasure (the
     * user's entries are one key range). Kept for the longer of the two retentions; whole segments expire, so the
     * store stays bounded.
     */
    public static StoreBuilder<WindowStore<String, byte[]>> scoredEvents(Duration dedupRetention,
            Duration qualityRetention) {
        Duration retention = dedupRetention.compareTo(qualityRetention) >= 0 ? dedupRetention : qualityRetention;
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SCORED_EVENTS, retention, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.ByteArray());
    }

    /**
     * Due inactivity checks, keyed by (due time, user id) so that what is due is a prefix range, plus one entry for
     * the task clock under a key no check can have ({@link InactivityIndex}).
     */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> inactivityIndex() {
        // cached: the entries that do move (a check moving earlier, the punctuator moving one on) coalesce per commit
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INACTIVITY_INDEX), Serdes.Bytes(),
                Serdes.ByteArray()).withCachingEnabled();
    }

    /** The name of entity type {@code type}'s store: entity id → {@code EntityWindows} bytes. */
    public static String entity(String type) {
        return ENTITY_PREFIX + type;
    }

    /**
     * Entity id → the serialized {@code EntityWindows} of one entity type: numbers only, no user id (erasure has
     * nothing to delete here).
     */
    public static StoreBuilder<KeyValueStore<String, byte[]>> entityWindows(String type) {
        // cached: a hot entity (a busy terminal) is one RocksDB put and one changelog record per commit, not per event
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(entity(type)), Serdes.String(),
                Serdes.ByteArray()).withCachingEnabled();
    }

    /** The name of the global store of entity type {@code type}'s broadcast snapshots. */
    public static String entitySnapshots(String type) {
        return ENTITY_PREFIX + type + "-snapshots";
    }

    /**
     * Entity id → the latest broadcast {@code EntityWindows} bytes of one entity type, on every instance: a global
     * store filled from the changelog of the type's entity store (no user id, like the entity store it mirrors).
     *
     * @param inMemory on the heap (read back from the whole changelog at every start: Kafka Streams keeps no offsets
     *            for a global store that is not persistent) or in RocksDB (kept on disk, resumed from its offsets)
     */
    public static StoreBuilder<KeyValueStore<String, byte[]>> entitySnapshotsStore(String type, boolean inMemory) {
        String name = entitySnapshots(type);
        return Stores.keyValueStoreBuilder(
                inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(); // restored from its source, that changelog
    }

    /** Model bundles by model name (UTF-8 bytes); a global store, filled from the {@code model-weights} topic. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> modelWeights() {
        return Stores
                .keyValueStoreBuilder(Stores.persistentKeyValueStore(MODEL_WEIGHTS), Serdes.Bytes(),
                        Serdes.ByteArray())
                .withLoggingDisabled(); // a global store restores from its source topic, never a changelog
    }
}

package io.pulse.pipeline.erasure;

import io.pulse.contracts.AuditAction;
import io.pulse.contracts.AuditRecord;
import io.pulse.contracts.ErasureRequest;
import io.pulse.contracts.StoreErasure;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.model.FeatureSpec;
import io.pulse.pipeline.state.InactivityIndex;
import io.pulse.pipeline.state.ScoredEvent;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.state.UserStateCodec;
import io.pulse.pipeline.telemetry.Telemetry;
import io.pulse.pipeline.validate.EventValidator;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.registry.serde.AvroWireFormatException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases a user from every store the scoring processor keeps, on the stream thread that owns the user's task (the
 * only thread allowed to write those stores), and answers with an {@link AuditRecord}. Input: {@code user-erasures}
 * (userId → Avro {@code ErasureRequest}, co-partitioned with {@code user-events}). Output, keyed by userId: a
 * tombstone (a null value) for the compacted {@code user-interests} topic, then the audit record for
 * {@code pulse-audit}. Stores (owned by {@code score}, connected here): {@code user-state},
 * {@code inactivity-index}, {@code scored-events}; plus the dashboard's in-memory live feed.
 *
 * <p>Every delete goes through the store, so Kafka Streams writes a tombstone for it to the store's changelog topic,
 * in the same transaction as the {@code user-interests} tombstone and the audit record (exactly-once): either the
 * user is gone and the audit says so, or neither happened and the request is processed again.
 *
 * <p>One method per store, each returning how many entries it deleted: when a store's layout changes, its method is
 * the one place that must follow.
 *
 * <p>An erasure is not a block list: events of the user read after the request start a fresh state, like a new user.
 */
public final class ErasureProcessor implements Processor<String, byte[], String, SpecificRecord> {

    /** The name the live feed has in audit records (it is not a Kafka Streams store, and has no changelog). */
    public static final String LIVE_FEED = "live-feed";

    private static final Logger LOG = LoggerFactory.getLogger(ErasureProcessor.class);

    private final Telemetry telemetry;
    private final Map<String, Object> serdeConfig;
    private final String instance;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> users;
    private KeyValueStore<Bytes, byte[]> inactivityIndex;
    private WindowStore<String, byte[]> scoredEvents;
    private AvroDeserializer<ErasureRequest> deserializer;
    private UserStateCodec codec;

    /**
     * @param telemetry   where erasures are counted, and whose live feed forgets the user
     * @param serdeConfig registry settings for decoding requests
     * @param instance    this instance in audit records, e.g. {@code pulse@10.0.0.7:8080}
     */
    public ErasureProcessor(Telemetry telemetry, Map<String, Object> serdeConfig, String instance) {
        this.telemetry = telemetry;
        this.serdeConfig = serdeConfig;
        this.instance = instance;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.users = context.getStateStore(StateStores.USER_STATE);
        this.inactivityIndex = context.getStateStore(StateStores.INACTIVITY_INDEX);
        this.scoredEvents = context.getStateStore(StateStores.SCORED_EVENTS);
        this.deserializer = new AvroDeserializer<>(ErasureRequest.class);
        this.deserializer.configure(serdeConfig, false);
        this.codec = new UserStateCodec(FeatureSpec.v1());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ErasureRequest request = decode(record);
        if (request == null) {
            return;
        }
        String userId = request.getUserId();
        List<StoreErasure> erased = new ArrayList<>();
        long[] indexPositions = inactivityIndexPositions(userId);
        erased.add(new StoreErasure(StateStores.USER_STATE, eraseUserState(userId)));
        erased.add(new StoreErasure(StateStores.INACTIVITY_INDEX, eraseInactivityIndex(userId, indexPositions)));
        erased.add(new StoreErasure(StateStores.SCORED_EVENTS, eraseScoredEvents(userId)));
        erased.add(new StoreErasure(LIVE_FEED, eraseLiveFeed(userId)));

        long now = context.currentSystemTimeMs();
        long total = erased.stream().mapToLong(StoreErasure::getEntries).sum();
        AuditRecord audit = AuditRecord.newBuilder()
                .setAuditId(UUID.randomUUID().toString())
                .setAction(AuditAction.USER_ERASED)
                .setRequestId(request.getRequestId())
                .setUserId(userId)
                .setRequestedBy(request.getRequestedBy())
                .setOrigin(request.getOrigin())
                .setRequestedAt(request.getRequestedAt())
                .setCompletedAt(Instant.ofEpochMilli(now))
                .setInstance(instance + "/task " + context.taskId())
                .setStores(erased)
                .setOutcome("deleted " + total + " entries; the deletes reach the stores' changelog topics as"
                        + " tombstones with this record, and a tombstone for the user went to the compacted"
                        + " user-interests topic. Not covered: records already written to Kafka topics"
                        + " (input, predictions, alerts, labels, dead letters) stay until their retention.")
                .build();
        // the user's latest interests leave the compacted topic with the rest (compaction drops the older records)
        context.forward(new Record<String, SpecificRecord>(userId, null, now));
        context.forward(new Record<>(userId, audit, now));
        telemetry.userErased();
        // the request id identifies the erasure without naming the user; the user id is logged at DEBUG only
        LOG.info("erasure {} done: {} entries deleted", request.getRequestId(), total);
        LOG.debug("erasure {} was for user {}", request.getRequestId(), userId);
    }

    /** The request, or null (counted, logged without its content) if it cannot be used. */
    private ErasureRequest decode(Record<String, byte[]> record) {
        String where = context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
        if (record.value() == null || record.value().length == 0) {
            return reject(where, "no value");
        }
        ErasureRequest request;
        try {
            request = deserializer.deserialize(context.recordMetadata().map(RecordMetadata::topic)
                    .orElse(PulseTopics.Names.USER_ERASURES), record.value());
        } catch (AvroWireFormatException e) {
            if (e.reason() == AvroWireFormatException.Reason.REGISTRY_UNAVAILABLE) {
                throw e; // not the request's fault: Kafka Streams retries the task
            }
            return reject(where, "undecodable (" + e.reason() + ")");
        } catch (SerializationException e) {
            return reject(where, "undecodable");
        }
        if (!EventValidator.isValidId(request.getUserId(), EventValidator.MAX_USER_ID_LENGTH)) {
            return reject(where, "not a valid user id");
        }
        if (!request.getUserId().equals(record.key())) {
            // the key decided the partition: a different userId's state may live in another task
            return reject(where, "the key is not the request's userId");
        }
        return request;
    }

    private ErasureRequest reject(String where, String why) {
        telemetry.erasureRejected();
        LOG.warn("ignoring an erasure request at {}: {}", where, why);
        return null;
    }

    /**
     * Where the user's entry in the inactivity index can be (time keys; 0: none or unknown): the position the state
     * records, or the due time the punctuator may have moved it on to without rewriting the state
     * ({@code InactivityWatch}).
     */
    private long[] inactivityIndexPositions(String userId) {
        byte[] stored = users.get(userId);
        if (stored == null) {
            return new long[0];
        }
        try {
            UserState state = codec.decode(stored);
            return new long[] {state.inactivityIndexedAtMillis(), state.inactivityDueAtMillis()};
        } catch (RuntimeException e) {
            // an unreadable state is still deleted; an index entry it pointed to expires harmlessly at its due time
            // (the inactivity check finds no state and drops it)
            return new long[0];
        }
    }

    /** {@code user-state}: the user's one entry. */
    long eraseUserState(String userId) {
        return users.delete(userId) == null ? 0 : 1;
    }

    /**
     * {@code inactivity-index}: keyed by (time, userId), and the scoring processor keeps at most one entry per user,
     * at one of the positions its state names ({@link #inactivityIndexPositions}), so the entry is found without
     * scanning the index.
     */
    long eraseInactivityIndex(String userId, long... positions) {
        return Arrays.stream(positions).filter(at -> at > 0).distinct()
                .filter(at -> inactivityIndex.delete(InactivityIndex.key(at, userId)) != null).count();
    }

    /**
     * {@code scored-events} (deduplication and the label join): keyed by userId NUL eventId, so the user's entries are
     * one key range (over all time).
     */
    long eraseScoredEvents(String userId) {
        List<KeyValue<Windowed<String>, byte[]>> found = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, byte[]> entries = scoredEvents.fetch(
                ScoredEvent.firstKeyOf(userId), ScoredEvent.lastKeyOf(userId), 0L, Long.MAX_VALUE)) {
            entries.forEachRemaining(found::add);
        }
        for (KeyValue<Windowed<String>, byte[]> entry : found) {
            scoredEvents.put(entry.key.key(), null, entry.key.window().start()); // null: a delete (and tombstone)
        }
        return found.size();
    }

    /**
     * The dashboard's in-memory live feed of this instance. An instance that owned the user's partition before a
     * rebalance may still show the user until its bounded feed rolls over or it restarts.
     */
    long eraseLiveFeed(String userId) {
        return telemetry.forgetUser(userId);
    }

    @Override
    public void close() {
        if (deserializer != null) {
            deserializer.close();
        }
    }
}

package io.pulse.pipeline.entities;

import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import io.pulse.pipeline.processing.InputRecord;
import io.pulse.pipeline.processing.LabelJoiner;
import io.pulse.pipeline.processing.ScoreProcessor;
import io.pulse.pipeline.state.ScoredEvent;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.Telemetry;
import io.pulse.registry.serde.AvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The user task's side of the entity round trip (input: accepted events and labels keyed by user id). An event is
 * deduplicated here, before any entity counts it: a redelivery within {@code dedup.retention.ms} of a delivery already
 * routed or scored is dropped (with broadcast delivery only an event that scoring's rule says can be a repeat is
 * looked up, {@link ScoreProcessor#canBeDuplicate(byte[], long)}); otherwise, on the round trip, a routed marker with
 * the event's entity ids is written to
 * {@code scored-events} (under exactly-once in the same transaction as the request record) and the event leaves for
 * the first entity type, keyed by its entity id. With broadcast delivery the event is scored within this same step
 * (the scoring processor is downstream in this task), which writes the entry once, entity ids and scores together:
 * no marker. A positive FRAUD label of a routed event is sent the same way, once
 * (the entry remembers it), so it reaches each entity behind the event it belongs to; every label also goes on to the
 * scoring processor for the live-quality join, unchanged.
 *
 * <p>Output: {@link EntityMessage}s keyed by the first entity type's id, and {@link InputRecord.Label}s keyed by user
 * id.
 */
public final class EntityRouteProcessor implements Processor<String, InputRecord, String, Object> {

    private final List<EntityWindowSpec> entities;
    private final boolean broadcast;
    private final int blockSize;
    private final Duration dedupRetention;
    private final String labelsTopic;
    private final Map<String, Object> serdeConfig;
    private final Telemetry telemetry;
    private ProcessorContext<String, Object> context;
    private WindowStore<String, byte[]> scoredEvents;
    /** With broadcast delivery: the users' states, read (not decoded) for scoring's deduplication rule. */
    private KeyValueStore<String, byte[]> users;
    private AvroDeserializer<Label> labels;

    /**
     * @param broadcast whether entity features are delivered by broadcast (then the scoring processor, downstream in
     *                  this task, writes the event's entry, and this step writes no marker)
     */
    public EntityRouteProcessor(List<EntityWindowSpec> entities, boolean broadcast, Duration dedupRetention,
            String labelsTopic, Map<String, Object> serdeConfig, Telemetry telemetry) {
        this.entities = List.copyOf(entities);
        this.broadcast = broadcast;
        this.blockSize = entities.stream().mapToInt(EntityWindowSpec::featureCount).sum();
        this.dedupRetention = dedupRetention;
        this.labelsTopic = labelsTopic;
        this.serdeConfig = serdeConfig;
        this.telemetry = telemetry;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.scoredEvents = context.getStateStore(StateStores.SCORED_EVENTS);
        if (broadcast) {
            this.users = context.getStateStore(StateStores.USER_STATE);
        }
        this.labels = new AvroDeserializer<>(Label.class);
        this.labels.configure(serdeConfig, false);
    }

    @Override
    public void process(Record<String, InputRecord> record) {
        if (record.value() instanceof InputRecord.Accepted accepted) {
            route(record, accepted.event(), accepted.rawValue());
        } else if (record.value() instanceof InputRecord.Label label) {
            routeLabel(record.key(), label.avroBytes(), record);
            context.forward(record); // the live-quality join happens in the scoring processor, as without entities
        } else {
            throw new IllegalStateException("a rejected record reached the entity routing: the topology routes"
                    + " rejected records to the dead-letter topic before this processor");
        }
    }

    private void route(Record<String, InputRecord> record, UserEvent event, byte[] eventBytes) {
        String userId = record.key();
        long eventTime = event.getEventTime().toEpochMilli();
        String key = ScoredEvent.key(userId, event.getEventId());
        // with broadcast delivery scoring follows in this same step, so scoring's rule tells which events cannot be a
        // repeat (the usual, in-order case) without the scored-events lookup; the round trip looks up every event
        if (!broadcast || ScoreProcessor.canBeDuplicate(users.get(userId), eventTime)) {
            byte[] seen = scoredEvents.fetch(key, eventTime);
            if (seen != null
                    && Math.abs(record.timestamp() - ScoredEvent.arrivedAt(seen)) <= dedupRetention.toMillis()) {
                telemetry.duplicateDropped();
                return;
            }
        }
        String[] ids = new String[entities.size()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = entities.get(k).entityId(event);
        }
        Double amount = event.getAmount();
        // wall clock, not record time: the round trip is timed by the scoring processor in this same task
        EntityMessage message = EntityMessage.event(userId, ids, eventTime, amount == null ? Double.NaN : amount,
                Objects.requireNonNull(eventBytes, "an accepted event's bytes"), new float[blockSize],
                System.currentTimeMillis());
        if (!broadcast) {
            scoredEvents.put(key, ScoredEvent.routed(record.timestamp(), message.storedEntityIds()).encode(),
                    eventTime);
        }
        context.forward(record.withKey(message.keyFor(0)).withValue(message));
    }

    private void routeLabel(String userId, byte[] bytes, Record<String, InputRecord> record) {
        Label label;
        try {
            label = labels.deserialize(labelsTopic, bytes);
        } catch (SerializationException e) {
            return; // counted by the live-quality join, which sees the same bytes
        }
        if (label == null || label.getKind() != LabelKind.FRAUD || !label.getPositive() || label.getEventId() == null
                || !label.getUserId().equals(userId)) {
            return; // negatives add nothing: the risk's denominator is every matured transaction
        }
        String key = ScoredEvent.key(userId, label.getEventId());
        long appliesAt = label.getAppliesAt().toEpochMilli();
        long tolerance = LabelJoiner.MATCH_TOLERANCE.toMillis();
        KeyValue<Long, byte[]> found;
        try (WindowStoreIterator<byte[]> entries = scoredEvents.fetch(key, appliesAt - tolerance,
                appliesAt + tolerance)) {
            found = entries.hasNext() ? entries.next() : null;
        }
        if (found == null) {
            return; // older than the store's retention (or never seen here): counted as unmatched by the join
        }
        ScoredEvent entry = ScoredEvent.decode(found.value);
        if (entry.labelRouted() || entry.entityIds().size() != entities.size()) {
            return; // routed once already, or scored before entities were configured
        }
        String[] ids = new String[entities.size()];
        boolean any = false;
        for (int k = 0; k < ids.length; k++) {
            String id = entry.entityIds().get(k);
            ids[k] = id.isEmpty() ? null : id;
            any |= ids[k] != null;
        }
        scoredEvents.put(key, entry.withLabelRouted().encode(), found.key);
        if (any) {
            EntityMessage message = EntityMessage.fraudLabel(userId, ids, found.key);
            context.forward(new Record<>(message.keyFor(0), message, record.timestamp(), record.headers()));
        }
    }

    @Override
    public void close() {
        if (labels != null) {
            labels.close();
        }
    }
}

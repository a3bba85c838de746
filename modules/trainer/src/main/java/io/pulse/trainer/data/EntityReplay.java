package io.pulse.trainer.data;

import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The entity window features of every event of a history, computed with the pipeline's own {@link EntityWindows}: one
 * pass over all users' events and their fraud labels merged into one time order, events at their event time and
 * labels at their real arrival time ({@code Label.observedAt}). So no event sees a label that had not arrived when it
 * happened, exactly as in production, where a label reaches an entity only when it is delivered.
 *
 * <p>Per event, in order, for every declared entity type: the event's entity ({@link EntityWindowSpec#entityId}); its
 * features as of the event's time and <em>before</em> it ({@link EntityWindows#encode}), or the missing block
 * ({@link EntityWindows#encodeMissing}) when the event has no such entity (which then creates no state); then the
 * event is added ({@link EntityWindows#observe}). Per positive FRAUD label, at its arrival: one fraud
 * ({@link EntityWindows#observeFraud} at the labelled event's time) on each entity that event was counted at.
 *
 * <p>Order and matching follow the pipeline: events of the same millisecond keep their order in the input (their
 * arrival order); a label arriving at the same millisecond as an event comes after it (not visible to it); a label
 * counts only once per event (the pipeline routes a label to the entities once), only for an event of the same user
 * already replayed when the label arrives (the pipeline drops a label it cannot join to a scored event), and negative
 * labels add nothing (the risk's denominator is every matured transaction). Events must be deduplicated by the caller
 * ({@link TrainingData} drops repeated event ids as the pipeline does), because the windows count what they are given.
 */
public final class EntityReplay {

    private final List<EntityWindowSpec> entities;
    private final int blockSize;
    private final float[] blocks;

    private EntityReplay(List<EntityWindowSpec> entities, int blockSize, float[] blocks) {
        this.entities = entities;
        this.blockSize = blockSize;
        this.blocks = blocks;
    }

    /**
     * Replays the events and labels.
     *
     * @param entities the declared entity types, in feature order (a feature spec's {@code entities()})
     * @param events   deduplicated events of all users, in arrival order (ties in event time keep this order)
     * @param labels   the history's labels; only positive FRAUD labels with an event id are used
     * @throws IllegalArgumentException if no entity type is declared or an event id repeats
     */
    public static EntityReplay replay(List<EntityWindowSpec> entities, List<UserEvent> events, List<Label> labels) {
        List<EntityWindowSpec> types = List.copyOf(entities);
        if (types.isEmpty()) {
            throw new IllegalArgumentException("an entity replay needs at least one entity type");
        }
        int blockSize = 0;
        for (EntityWindowSpec type : types) {
            blockSize += type.featureCount();
        }
        int n = events.size();
        float[] blocks = new float[Math.multiplyExact(n, blockSize)];

        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // a stable sort: events of one millisecond stay in arrival order
        Arrays.sort(order, Comparator.comparingLong(i -> events.get(i).getEventTime().toEpochMilli()));
        List<PendingLabel> pending = fraudLabels(events, labels);

        List<Map<String, EntityWindows>> states = new ArrayList<>(types.size());
        for (int k = 0; k < types.size(); k++) {
            states.add(new HashMap<>());
        }
        boolean[] replayed = new boolean[n];
        boolean[] fraudApplied = new boolean[n];
        int next = 0;
        for (int index : order) {
            UserEvent event = events.get(index);
            long time = event.getEventTime().toEpochMilli();
            // labels that arrived strictly before this event; one arriving at the same millisecond comes after it
            for (; next < pending.size() && pending.get(next).arrivedAt() < time; next++) {
                int labelled = pending.get(next).event();
                if (replayed[labelled] && !fraudApplied[labelled]) {
                    fraudApplied[labelled] = true;
                    applyFraud(types, states, events.get(labelled));
                }
            }
            double amount = event.getAmount() == null ? Double.NaN : event.getAmount();
            int offset = index * blockSize;
            for (int k = 0; k < types.size(); k++) {
                EntityWindowSpec type = types.get(k);
                String id = type.entityId(event);
                if (id == null) {
                    EntityWindows.encodeMissing(type, blocks, offset);
                } else {
                    EntityWindows windows = states.get(k).computeIfAbsent(id, key -> EntityWindows.empty(type));
                    windows.encode(time, blocks, offset);
                    windows.observe(time, amount);
                }
                offset += type.featureCount();
            }
            replayed[index] = true;
        }
        return new EntityReplay(types, blockSize, blocks);
    }

    /** A positive fraud label joined to the index of its event, to be applied when it arrives. */
    private record PendingLabel(long arrivedAt, int event) {
    }

    /**
     * The positive FRAUD labels whose event (same id and user) is among the events, by arrival time (stable: labels
     * of one millisecond keep their history order).
     */
    private static List<PendingLabel> fraudLabels(List<UserEvent> events, List<Label> labels) {
        Set<String> labelled = new HashSet<>();
        for (Label label : labels) {
            if (isFraud(label)) {
                labelled.add(label.getEventId());
            }
        }
        Map<String, Integer> indexOf = new HashMap<>(labelled.size() * 2);
        Set<String> ids = new HashSet<>(events.size() * 2);
        for (int i = 0; i < events.size(); i++) {
            String id = events.get(i).getEventId();
            if (!ids.add(id)) {
                throw new IllegalArgumentException("event id " + id + " appears twice: the entity replay counts every"
                        + " event it is given, so deduplicate first");
            }
            if (labelled.contains(id)) {
                indexOf.put(id, i);
            }
        }
        List<PendingLabel> pending = new ArrayList<>();
        for (Label label : labels) {
            Integer event = isFraud(label) ? indexOf.get(label.getEventId()) : null;
            if (event != null && events.get(event).getUserId().equals(label.getUserId())) {
                pending.add(new PendingLabel(label.getObservedAt().toEpochMilli(), event));
            }
        }
        pending.sort(Comparator.comparingLong(PendingLabel::arrivedAt));
        return pending;
    }

    private static boolean isFraud(Label label) {
        return label.getKind() == LabelKind.FRAUD && label.getPositive() && label.getEventId() != null;
    }

    private static void applyFraud(List<EntityWindowSpec> types, List<Map<String, EntityWindows>> states,
            UserEvent event) {
        long time = event.getEventTime().toEpochMilli();
        for (int k = 0; k < types.size(); k++) {
            String id = types.get(k).entityId(event);
            if (id != null) {
                // the event was replayed, so its entity exists
                Objects.requireNonNull(states.get(k).get(id), id).observeFraud(time);
            }
        }
    }

    /** The declared entity types, in feature order. */
    public List<EntityWindowSpec> entities() {
        return entities;
    }

    /** Features per event: the sum of the entity types' {@link EntityWindowSpec#featureCount()}. */
    public int blockSize() {
        return blockSize;
    }

    /**
     * Every event's entity features, event {@code i}'s at {@link #offset offset(i)} (per entity type in declaration
     * order, each as {@link EntityWindows#encode} writes it). Shared, not copied: read-only.
     */
    public float[] blocks() {
        return blocks;
    }

    /** Where event {@code i}'s (its index in the replayed list) features start in {@link #blocks()}. */
    public int offset(int event) {
        return event * blockSize;
    }
}

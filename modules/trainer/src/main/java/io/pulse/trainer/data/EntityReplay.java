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
import java.util.PriorityQueue;
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
        Replayer replayer = new Replayer(entities, labels);
        int blockSize = replayer.blockSize();
        int n = events.size();
        float[] blocks = new float[Math.multiplyExact(n, blockSize)];
        Set<String> ids = new HashSet<>(n * 2);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            String id = events.get(i).getEventId();
            if (!ids.add(id)) {
                throw new IllegalArgumentException("event id " + id + " appears twice: the entity replay counts every"
                        + " event it is given, so deduplicate first");
            }
            order[i] = i;
        }
        // a stable sort: events of one millisecond stay in arrival order
        Arrays.sort(order, Comparator.comparingLong(i -> events.get(i).getEventTime().toEpochMilli()));
        for (int index : order) {
            replayer.replay(events.get(index), blocks, index * blockSize);
        }
        return new EntityReplay(replayer.entities, blockSize, blocks);
    }

    /**
     * The replay one event at a time, for events that do not fit in memory together: give it every event in time
     * order (events of one millisecond in arrival order) and it writes each one's block. It holds the entities' state
     * and the positive fraud labels (by event id), never the events.
     */
    public static final class Replayer {
        private final List<EntityWindowSpec> entities;
        private final int blockSize;
        private final Map<String, List<LabelAt>> labelsByEvent = new HashMap<>();
        private final List<Map<String, EntityWindows>> states = new ArrayList<>();
        private final PriorityQueue<PendingFraud> pending = new PriorityQueue<>(
                Comparator.comparingLong(PendingFraud::arrivedAt).thenComparingInt(PendingFraud::order));
        private long lastTime = Long.MIN_VALUE;

        /**
         * @param entities the declared entity types, in feature order
         * @param labels   the history's labels; only positive FRAUD labels with an event id are used
         * @throws IllegalArgumentException if no entity type is declared
         */
        public Replayer(List<EntityWindowSpec> entities, List<Label> labels) {
            this.entities = List.copyOf(entities);
            if (this.entities.isEmpty()) {
                throw new IllegalArgumentException("an entity replay needs at least one entity type");
            }
            int size = 0;
            for (EntityWindowSpec type : this.entities) {
                size += type.featureCount();
                states.add(new HashMap<>());
            }
            this.blockSize = size;
            for (int position = 0; position < labels.size(); position++) {
                Label label = labels.get(position);
                if (isFraud(label)) {
                    labelsByEvent.computeIfAbsent(label.getEventId(), id -> new ArrayList<>(1))
                            .add(new LabelAt(label.getUserId(), label.getObservedAt().toEpochMilli(), position));
                }
            }
        }

        /** Features per event. */
        public int blockSize() {
            return blockSize;
        }

        /**
         * Writes the event's block to {@code out} at {@code offset}, then counts the event.
         *
         * @throws IllegalArgumentException if the event is earlier than the one before
         */
        public void replay(UserEvent event, float[] out, int offset) {
            long time = event.getEventTime().toEpochMilli();
            if (time < lastTime) {
                throw new IllegalArgumentException("the replay needs events in time order: " + event.getEventId()
                        + " at " + event.getEventTime() + " came after an event at " + lastTime);
            }
            lastTime = time;
            // labels that arrived strictly before this event; one arriving at the same millisecond comes after it
            while (!pending.isEmpty() && pending.peek().arrivedAt() < time) {
                applyFraud(pending.poll().event());
            }
            double amount = event.getAmount() == null ? Double.NaN : event.getAmount();
            int at = offset;
            for (int k = 0; k < entities.size(); k++) {
                EntityWindowSpec type = entities.get(k);
                String id = type.entityId(event);
                if (id == null) {
                    EntityWindows.encodeMissing(type, out, at);
                } else {
                    EntityWindows windows = states.get(k).computeIfAbsent(id, key -> EntityWindows.empty(type));
                    windows.encode(time, out, at);
                    windows.observe(time, amount);
                }
                at += type.featureCount();
            }
            schedule(event, time);
        }

        /**
         * The event's fraud counts once, at the first of its user's positive labels that arrives no earlier than the
         * event (a label arriving before its event was passed over before the event was counted, as in the pipeline).
         */
        private void schedule(UserEvent event, long time) {
            List<LabelAt> labels = labelsByEvent.get(event.getEventId());
            if (labels == null) {
                return;
            }
            LabelAt first = null;
            for (LabelAt label : labels) {
                if (label.arrivedAt() >= time && event.getUserId().equals(label.userId())
                        && (first == null || label.arrivedAt() < first.arrivedAt())) {
                    first = label;
                }
            }
            if (first != null) {
                pending.add(new PendingFraud(first.arrivedAt(), first.order(), event));
            }
        }

        private void applyFraud(UserEvent event) {
            long time = event.getEventTime().toEpochMilli();
            for (int k = 0; k < entities.size(); k++) {
                String id = entities.get(k).entityId(event);
                if (id != null) {
                    // the event was replayed, so its entity exists
                    Objects.requireNonNull(states.get(k).get(id), id).observeFraud(time);
                }
            }
        }
    }

    /** A positive fraud label of an event: its user, arrival and position in the history's labels. */
    private record LabelAt(String userId, long arrivedAt, int order) {
    }

    /** An event's fraud, to be counted when its label arrives (labels of one millisecond in the history's order). */
    private record PendingFraud(long arrivedAt, int order, UserEvent event) {
    }

    private static boolean isFraud(Label label) {
        return label.getKind() == LabelKind.FRAUD && label.getPositive() && label.getEventId() != null;
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

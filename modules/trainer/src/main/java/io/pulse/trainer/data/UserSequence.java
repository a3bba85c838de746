package io.pulse.trainer.data;

import io.pulse.contracts.EventType;

/**
 * One user's events in event-time order, encoded, with the labels of every step. Arrays are shared, not copied: treat
 * them as read-only.
 *
 * <p>Labels are {@link #MASKED} where unknown (see {@link TrainingData} for the rules); {@link #period(int)} says
 * which period a step's loss belongs to.
 */
public final class UserSequence {

    /** Label value of a step whose label is unknown or must not be used. */
    public static final int MASKED = -1;

    private final String userId;
    private final String[] eventIds;
    private final long[] times;
    private final byte[] types;
    private final float[][] raw;
    private final byte[] periods;
    private final byte[] nextAction;
    private final byte[] churn;
    private final byte[] fraud;
    private final String[] itemIds;
    private final String[] categories;

    UserSequence(String userId, String[] eventIds, long[] times, byte[] types, float[][] raw, byte[] periods,
            byte[] nextAction, byte[] churn, byte[] fraud, String[] itemIds, String[] categories) {
        this.itemIds = itemIds;
        this.categories = categories;
        this.userId = userId;
        this.eventIds = eventIds;
        this.times = times;
        this.types = types;
        this.raw = raw;
        this.periods = periods;
        this.nextAction = nextAction;
        this.churn = churn;
        this.fraud = fraud;
    }

    public String userId() {
        return userId;
    }

    /** Number of events (steps). */
    public int length() {
        return times.length;
    }

    public String eventId(int step) {
        return eventIds[step];
    }

    public long timeMillis(int step) {
        return times[step];
    }

    public EventType type(int step) {
        return EventType.values()[types[step]];
    }

    /** The ordinal of the step's event type. */
    public int typeIndex(int step) {
        return types[step];
    }

    /** The raw (unnormalised) features of the step, exactly as {@code FeatureEncoder} wrote them. */
    public float[] raw(int step) {
        return raw[step];
    }

    /** The step's item id, null if the event had none. */
    public String itemId(int step) {
        return itemIds[step];
    }

    /** The step's category path, null if the event had none. */
    public String category(int step) {
        return categories[step];
    }

    public Period period(int step) {
        return Period.values()[periods[step]];
    }

    /** The next event's type ordinal, or {@link #MASKED}. */
    public int nextAction(int step) {
        return nextAction[step];
    }

    /** 1 if no event follows within the churn horizon, 0 if one does, or {@link #MASKED}. */
    public int churn(int step) {
        return churn[step];
    }

    /** 1 for fraud, 0 for genuine, or {@link #MASKED}. */
    public int fraud(int step) {
        return fraud[step];
    }

    /** Index of the last step in {@code period} or before it; -1 if the sequence starts after the period. */
    public int lastStepUpTo(Period period) {
        for (int i = times.length - 1; i >= 0; i--) {
            if (periods[i] <= period.ordinal()) {
                return i;
            }
        }
        return -1;
    }

    /** Whether any step of {@code period} has a label of any head. */
    public boolean hasLabelsIn(Period period) {
        for (int i = 0; i < times.length; i++) {
            if (periods[i] == period.ordinal() && (nextAction[i] >= 0 || churn[i] >= 0 || fraud[i] >= 0)) {
                return true;
            }
        }
        return false;
    }
}

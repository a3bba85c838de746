package io.pulse.model;

import io.pulse.contracts.EventType;
import java.util.Objects;

/**
 * Turns one user event into the model's raw input vector (see {@link FeatureSpec#names()} for the features) and
 * advances the user's {@link BehaviourWindows}. The one definition of the features: the pipeline calls it per event,
 * the trainer over history, so it is deterministic and allocation-free.
 *
 * <p>Window features describe the user as of the event's time but <em>before</em> the event (so a model cannot read
 * the event it is asked to predict from its own windows). Times are UTC.
 *
 * <p>A spec with entities ({@link FeatureSpec#hasEntities()}) appends each declared entity's window features after
 * the version-1 part. Entity state is keyed by the entity, not the user, so it lives elsewhere (the pipeline's entity
 * task, the trainer's replay): the caller passes the block already written by {@link EntityWindows#encode} or
 * {@link EntityWindows#encodeMissing}, and {@link #encode(EventType, long, double, double, BehaviourWindows, float[],
 * int, float[])} copies it into place.
 */
public final class FeatureEncoder {

    static final int TYPE = 0;
    static final int LOG_AMOUNT = 8;
    static final int HAS_AMOUNT = 9;
    static final int RATING = 10;
    static final int HAS_RATING = 11;
    static final int LOG_GAP = 12;
    static final int FIRST_EVENT = 13;
    static final int HOUR_SIN = 14;
    static final int HOUR_COS = 15;
    static final int DOW_SIN = 16;
    static final int DOW_COS = 17;
    static final int EVENTS = 18;
    static final int AMOUNTS = 22;
    static final int PAYMENTS_1H = 26;
    static final int PAYMENTS_24H = 27;
    static final int PURCHASES_7D = 28;
    static final int GAP_Z = 29;
    static final int LOG_EVENTS_SEEN = 30;
    static final int OUT_OF_ORDER = 31;

    private static final long DAY_MILLIS = 86_400_000L;
    private static final double TWO_PI = 2 * Math.PI;
    private static final double MIN_GAP_STD = 0.1;
    private static final Horizon[] HORIZONS = Horizon.values();

    private final FeatureSpec spec;
    private final int entityOffset;
    private final int entityFeatures;

    /**
     * @throws IllegalArgumentException if the spec is not a version this encoder implements
     */
    public FeatureEncoder(FeatureSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        // Version 2's embeddings are looked up by the model itself: the encoded (dense) part is version 1's, then the
        // entity block (FeatureSpec derives the names from the declared entities and refuses any other list).
        if ((spec.version() != FeatureSpec.VERSION_1 && spec.version() != FeatureSpec.VERSION_2)
                || !spec.names().subList(0, spec.entityOffset()).equals(FeatureSpec.v1().names())) {
            throw new IllegalArgumentException("this encoder implements feature spec versions 1 and 2 only, got "
                    + spec);
        }
        this.entityOffset = spec.entityOffset();
        this.entityFeatures = spec.entityFeatureCount();
    }

    /** The spec this encoder produces. */
    public FeatureSpec spec() {
        return spec;
    }

    /**
     * Writes the raw (unnormalised) features of one event into {@code rawOut}, then adds the event to
     * {@code windows}.
     *
     * @param amount the event's amount, NaN if none; negative amounts (refunds) keep their sign in
     *               {@code log_amount}
     * @param rating the event's rating on a 0–5 scale, NaN if none
     * @param rawOut at least {@link FeatureSpec#inputSize()} long
     * @return what the windows observed (gap, out-of-order, first)
     * @throws IllegalStateException if the spec declares entities: use the overload that takes their features
     */
    public Observation encode(EventType type, long eventTimeMillis, double amount, double rating,
            BehaviourWindows windows, float[] rawOut) {
        if (entityFeatures > 0) {
            throw new IllegalStateException("feature spec " + spec + " declares entities: pass their features");
        }
        return encodeUser(type, eventTimeMillis, amount, rating, windows, rawOut);
    }

    /**
     * {@link #encode(EventType, long, double, double, BehaviourWindows, float[])} for a spec with entities: writes the
     * version-1 features, then copies the entity block ({@link FeatureSpec#entityFeatureCount()} values from
     * {@code entityFeatures[entityFrom]}: per declared entity in order, what {@link EntityWindows#encode} or
     * {@link EntityWindows#encodeMissing} wrote for this event, before the event) after them.
     *
     * @throws IllegalArgumentException if the block is shorter than the spec's entity features
     */
    public Observation encode(EventType type, long eventTimeMillis, double amount, double rating,
            BehaviourWindows windows, float[] entityFeatures, int entityFrom, float[] rawOut) {
        if (entityFrom < 0 || entityFeatures.length - entityFrom < this.entityFeatures) {
            throw new IllegalArgumentException("the entity block needs " + this.entityFeatures + " values from "
                    + entityFrom + ", the array has " + entityFeatures.length);
        }
        System.arraycopy(entityFeatures, entityFrom, rawOut, entityOffset, this.entityFeatures);
        return encodeUser(type, eventTimeMillis, amount, rating, windows, rawOut);
    }

    private Observation encodeUser(EventType type, long eventTimeMillis, double amount, double rating,
            BehaviourWindows windows, float[] rawOut) {
        Objects.requireNonNull(type, "type");
        long lastSeen = windows.lastSeenMillis();
        boolean first = lastSeen == Long.MIN_VALUE;
        boolean outOfOrder = !first && eventTimeMillis < lastSeen;
        boolean inOrderGap = !first && !outOfOrder;

        for (int t = 0; t < 8; t++) {
            rawOut[TYPE + t] = 0f;
        }
        rawOut[TYPE + type.ordinal()] = 1f;

        boolean hasAmount = Double.isFinite(amount);
        rawOut[LOG_AMOUNT] = hasAmount ? (float) (Math.signum(amount) * Math.log1p(Math.abs(amount))) : 0f;
        rawOut[HAS_AMOUNT] = hasAmount ? 1f : 0f;
        boolean hasRating = Double.isFinite(rating);
        rawOut[RATING] = hasRating ? (float) (rating / 5.0) : 0f;
        rawOut[HAS_RATING] = hasRating ? 1f : 0f;

        double logGap = inOrderGap ? BehaviourWindows.logGap(eventTimeMillis - lastSeen) : 0.0;
        rawOut[LOG_GAP] = (float) logGap;
        rawOut[FIRST_EVENT] = first ? 1f : 0f;

        encodeTimeOfWeek(eventTimeMillis, rawOut);
        encodeWindows(windows, eventTimeMillis, rawOut);

        rawOut[GAP_Z] = inOrderGap && windows.hasGapStats()
                ? (float) ((logGap - windows.meanLogGap()) / Math.max(windows.stdLogGap(), MIN_GAP_STD))
                : 0f;
        rawOut[LOG_EVENTS_SEEN] = (float) Math.log1p(windows.eventsSeen());
        rawOut[OUT_OF_ORDER] = outOfOrder ? 1f : 0f;

        return windows.observe(type, eventTimeMillis, amount);
    }

    private static void encodeTimeOfWeek(long eventTimeMillis, float[] rawOut) {
        long millisOfDay = Math.floorMod(eventTimeMillis, DAY_MILLIS);
        double hourAngle = TWO_PI * millisOfDay / DAY_MILLIS;
        rawOut[HOUR_SIN] = (float) Math.sin(hourAngle);
        rawOut[HOUR_COS] = (float) Math.cos(hourAngle);
        // 1970-01-01 was a Thursday; Monday = 0.
        long dayOfWeek = Math.floorMod(Math.floorDiv(eventTimeMillis, DAY_MILLIS) + 3, 7L);
        double dowAngle = TWO_PI * dayOfWeek / 7.0;
        rawOut[DOW_SIN] = (float) Math.sin(dowAngle);
        rawOut[DOW_COS] = (float) Math.cos(dowAngle);
    }

    private static void encodeWindows(BehaviourWindows windows, long atMillis, float[] rawOut) {
        double decayHour = 0;
        double decayDay = 0;
        double decayWeek = 0;
        for (int h = 0; h < HORIZONS.length; h++) {
            double decay = windows.decayFactor(HORIZONS[h], atMillis);
            rawOut[EVENTS + h] = (float) Math.log1p(windows.storedCountAll(h) * decay);
            rawOut[AMOUNTS + h] = (float) Math.log1p(windows.storedAmount(h) * decay);
            switch (HORIZONS[h]) {
                case HOUR -> decayHour = decay;
                case DAY -> decayDay = decay;
                case WEEK -> decayWeek = decay;
                default -> { }
            }
        }
        rawOut[PAYMENTS_1H] = (float) Math.log1p(windows.storedCount(EventType.PAYMENT, Horizon.HOUR) * decayHour);
        rawOut[PAYMENTS_24H] = (float) Math.log1p(windows.storedCount(EventType.PAYMENT, Horizon.DAY) * decayDay);
        rawOut[PURCHASES_7D] = (float) Math.log1p(windows.storedCount(EventType.PURCHASE, Horizon.WEEK) * decayWeek);
    }
}

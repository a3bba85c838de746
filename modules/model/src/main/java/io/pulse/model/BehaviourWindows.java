package io.pulse.model;

import io.pulse.contracts.EventType;
import io.pulse.model.internal.StochasticHalf;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One user's rolling behaviour windows, mutable and constant-size: for every event type and {@link Horizon} an
 * exponentially decayed event count, for every horizon a decayed amount sum, exponentially weighted statistics of
 * {@code log1p(gap seconds)} between consecutive events, and first/last-seen times.
 *
 * <p>Windows are "soft": an event contributes {@code exp(-age / horizon)}, so the mean lifetime of an event in a
 * counter is the horizon and the state never grows with the number of events. All counters are stored as of
 * {@link #lastSeenMillis()} and decayed on read, by the decay law ({@link Decay}) the entity windows share.
 *
 * <p>The in-memory state is exactly what {@link #writeTo} stores ({@value #SERIALIZED_BYTES} bytes): counts are kept
 * as half-precision values, rounded stochastically with randomness derived from the event (see
 * {@link StochasticHalf}), so a user's windows are the same bits whether they live in a trainer's memory or are
 * round-tripped through a state store after every event. Amount sums are 32-bit floats because a half overflows at
 * 65504, which a monthly spend easily exceeds.
 *
 * <p>Not thread-safe; one instance belongs to one user's state.
 */
public final class BehaviourWindows {

    /** Bytes written by {@link #writeTo}: 1 format + 8 + 8 + 4 + 4 + 4 + 32 x 2 (counts) + 4 x 4 (amounts). */
    public static final int SERIALIZED_BYTES = 109;

    /** Typical gap assumed while a user has fewer than two in-order events. */
    public static final long DEFAULT_TYPICAL_GAP_MILLIS = 86_400_000L;

    private static final byte FORMAT_VERSION = 1;
    private static final EventType[] TYPES = EventType.values();
    private static final Horizon[] HORIZONS = Horizon.values();
    private static final int NUM_TYPES = TYPES.length;
    private static final int NUM_HORIZONS = HORIZONS.length;
    private static final double GAP_ALPHA = 0.1;
    private static final float INITIAL_GAP_VARIANCE = 1.0f;

    /** Index type * NUM_HORIZONS + horizon; every value is exactly representable as a half. */
    private final float[] counts = new float[NUM_TYPES * NUM_HORIZONS];
    private final float[] amounts = new float[NUM_HORIZONS];
    private long lastSeenMillis = Long.MIN_VALUE;
    private long firstSeenMillis = Long.MIN_VALUE;
    private int eventsSeen;
    /** NaN until the first in-order gap has been seen. */
    private float gapMean = Float.NaN;
    private float gapVariance = INITIAL_GAP_VARIANCE;

    private BehaviourWindows() {
    }

    /** The windows of a user never seen before. */
    public static BehaviourWindows empty() {
        return new BehaviourWindows();
    }

    /**
     * Adds one event. In order ({@code eventTimeMillis >= lastSeenMillis()}): every counter decays to the event's
     * time, the event's type counts 1, a finite positive amount is added to the sums, and the gap statistics learn the
     * gap. Out of order: the event is added with weight {@code exp(-(lastSeen - t) / horizon)} per horizon, as if it
     * had decayed to the current state time; the last-seen time does not move back and gap statistics are unchanged.
     *
     * @param amount the event's amount, NaN if it has none
     */
    public Observation observe(EventType type, long eventTimeMillis, double amount) {
        Objects.requireNonNull(type, "type");
        long random = StochasticHalf.mix(eventTimeMillis * 0x9E37_79B9_7F4A_7C15L + eventsSeen * 31L + type.ordinal());
        boolean hasAmount = amount > 0 && amount < Double.POSITIVE_INFINITY;
        Observation observation;
        if (lastSeenMillis == Long.MIN_VALUE) {
            decayAndAdd(type, 1.0, hasAmount ? amount : 0.0, 0L, random);
            lastSeenMillis = eventTimeMillis;
            firstSeenMillis = eventTimeMillis;
            observation = Observation.FIRST;
        } else if (eventTimeMillis < lastSeenMillis) {
            addLate(type, lastSeenMillis - eventTimeMillis, hasAmount ? amount : 0.0, random);
            firstSeenMillis = Math.min(firstSeenMillis, eventTimeMillis);
            observation = Observation.OUT_OF_ORDER;
        } else {
            long gap = eventTimeMillis - lastSeenMillis;
            decayAndAdd(type, 1.0, hasAmount ? amount : 0.0, gap, random);
            learnGap(gap);
            lastSeenMillis = eventTimeMillis;
            observation = Observation.inOrder(gap);
        }
        if (eventsSeen < Integer.MAX_VALUE) {
            eventsSeen++;
        }
        return observation;
    }

    private void decayAndAdd(EventType type, double weight, double amount, long elapsedMillis, long random) {
        int own = type.ordinal();
        for (int h = 0; h < NUM_HORIZONS; h++) {
            double decay = Decay.factor(elapsedMillis, HORIZONS[h].millis());
            for (int t = 0; t < NUM_TYPES; t++) {
                int i = t * NUM_HORIZONS + h;
                double next = counts[i] * decay + (t == own ? weight : 0.0);
                counts[i] = StochasticHalf.round(next, uniform16(random, i));
            }
            amounts[h] = (float) (amounts[h] * decay + amount);
        }
    }

    private void addLate(EventType type, long ageMillis, double amount, long random) {
        int own = type.ordinal();
        for (int h = 0; h < NUM_HORIZONS; h++) {
            double weight = Decay.factor(ageMillis, HORIZONS[h].millis());
            int i = own * NUM_HORIZONS + h;
            counts[i] = StochasticHalf.round(counts[i] + weight, uniform16(random, i));
            amounts[h] = (float) (amounts[h] + amount * weight);
        }
    }

    /** 16 independent-looking bits per counter from one 64-bit event hash. */
    private static int uniform16(long random, int counter) {
        long bits = StochasticHalf.mix(random + (counter >>> 2) * 0x9E37_79B9_7F4A_7C15L);
        return (int) (bits >>> ((counter & 3) * 16)) & 0xFFFF;
    }

    /** West's exponentially weighted mean and variance; the first gap only sets the mean. */
    private void learnGap(long gapMillis) {
        double logGap = logGap(gapMillis);
        if (Float.isNaN(gapMean)) {
            gapMean = (float) logGap;
            gapVariance = INITIAL_GAP_VARIANCE;
            return;
        }
        double diff = logGap - gapMean;
        double increment = GAP_ALPHA * diff;
        gapMean = (float) (gapMean + increment);
        gapVariance = (float) ((1.0 - GAP_ALPHA) * (gapVariance + diff * increment));
    }

    /** {@code log1p(gap in seconds)}, the gap statistic's unit. */
    static double logGap(long gapMillis) {
        return Math.log1p(gapMillis / 1000.0);
    }

    /**
     * The decayed count of {@code type} events at {@code atMillis}; at a time before {@link #lastSeenMillis()} the
     * stored value (the state does not run backwards).
     */
    public double count(EventType type, Horizon h, long atMillis) {
        return counts[type.ordinal() * NUM_HORIZONS + h.ordinal()] * decayFactor(h, atMillis);
    }

    /** The decayed count of events of all types at {@code atMillis}. */
    public double countAll(Horizon h, long atMillis) {
        return storedCountAll(h.ordinal()) * decayFactor(h, atMillis);
    }

    /** The decayed sum of positive amounts at {@code atMillis}. */
    public double amountSum(Horizon h, long atMillis) {
        return amounts[h.ordinal()] * decayFactor(h, atMillis);
    }

    /** {@code exp(-(atMillis - lastSeen) / h)}, or 1 when {@code atMillis} is not after the last-seen time. */
    double decayFactor(Horizon h, long atMillis) {
        if (lastSeenMillis == Long.MIN_VALUE || atMillis <= lastSeenMillis) {
            return 1.0;
        }
        return Decay.factor(atMillis - lastSeenMillis, h.millis());
    }

    double storedCount(EventType type, Horizon h) {
        return counts[type.ordinal() * NUM_HORIZONS + h.ordinal()];
    }

    double storedCountAll(int horizon) {
        double sum = 0;
        for (int t = 0; t < NUM_TYPES; t++) {
            sum += counts[t * NUM_HORIZONS + horizon];
        }
        return sum;
    }

    double storedAmount(int horizon) {
        return amounts[horizon];
    }

    /** True once an in-order gap has been seen, i.e. the gap statistics mean something. */
    public boolean hasGapStats() {
        return !Float.isNaN(gapMean);
    }

    /** Exponentially weighted mean of {@code log1p(gap seconds)}; 0 while {@link #hasGapStats()} is false. */
    public double meanLogGap() {
        return hasGapStats() ? gapMean : 0.0;
    }

    /** Exponentially weighted standard deviation of {@code log1p(gap seconds)}; 1 until the second gap. */
    public double stdLogGap() {
        return Math.sqrt(gapVariance);
    }

    /** The newest event time seen, or {@link Long#MIN_VALUE} for a user never seen. */
    public long lastSeenMillis() {
        return lastSeenMillis;
    }

    /** The oldest event time seen, or {@link Long#MIN_VALUE} for a user never seen. */
    public long firstSeenMillis() {
        return firstSeenMillis;
    }

    /** Events observed, in order or not (saturates at {@link Integer#MAX_VALUE}). */
    public int eventsSeen() {
        return eventsSeen;
    }

    /**
     * The user's typical gap between events, {@code expm1(meanLogGap)} in milliseconds; {@value
     * #DEFAULT_TYPICAL_GAP_MILLIS} ms (one day) until a gap has been seen. Churn checks schedule against it.
     */
    public double typicalGapMillis() {
        return hasGapStats() ? Math.expm1(gapMean) * 1000.0 : DEFAULT_TYPICAL_GAP_MILLIS;
    }

    /** Writes exactly {@value #SERIALIZED_BYTES} bytes (big-endian unless the buffer says otherwise). */
    public void writeTo(ByteBuffer out) {
        out.put(FORMAT_VERSION);
        out.putLong(lastSeenMillis);
        out.putLong(firstSeenMillis);
        out.putInt(eventsSeen);
        out.putFloat(gapMean);
        out.putFloat(gapVariance);
        for (float count : counts) {
            out.putShort(Half.fromFloat(count));
        }
        for (float amount : amounts) {
            out.putFloat(amount);
        }
    }

    /** The compact form as a new array. */
    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(SERIALIZED_BYTES);
        writeTo(buffer);
        return buffer.array();
    }

    /**
     * The {@link #lastSeenMillis()} of the windows {@link #writeTo} wrote at {@code in}'s position, without reading
     * the rest; the position is left where it was.
     *
     * @throws IllegalArgumentException if the bytes are truncated or of an unknown format version
     */
    public static long lastSeenMillis(ByteBuffer in) {
        int at = in.position();
        if (in.remaining() < 1 + Long.BYTES) {
            throw new IllegalArgumentException("truncated BehaviourWindows: need " + SERIALIZED_BYTES + " bytes");
        }
        checkFormat(in.get(at));
        return in.getLong(at + 1);
    }

    private static void checkFormat(byte format) {
        if (format != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown BehaviourWindows format " + format + "; this build reads "
                    + FORMAT_VERSION);
        }
    }

    /**
     * Reads what {@link #writeTo} wrote.
     *
     * @throws IllegalArgumentException if the bytes are truncated or of an unknown format version
     */
    public static BehaviourWindows readFrom(ByteBuffer in) {
        try {
            checkFormat(in.get());
            BehaviourWindows windows = new BehaviourWindows();
            windows.lastSeenMillis = in.getLong();
            windows.firstSeenMillis = in.getLong();
            windows.eventsSeen = in.getInt();
            windows.gapMean = in.getFloat();
            windows.gapVariance = in.getFloat();
            for (int i = 0; i < windows.counts.length; i++) {
                windows.counts[i] = Half.toFloat(in.getShort());
            }
            for (int i = 0; i < windows.amounts.length; i++) {
                windows.amounts[i] = in.getFloat();
            }
            return windows;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated BehaviourWindows: need " + SERIALIZED_BYTES + " bytes", e);
        }
    }

    /** Reads {@link #toBytes()}'s output. */
    public static BehaviourWindows fromBytes(byte[] bytes) {
        return readFrom(ByteBuffer.wrap(bytes));
    }
}

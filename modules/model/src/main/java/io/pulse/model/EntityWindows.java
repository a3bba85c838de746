package io.pulse.model;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entity's rolling windows (a terminal, merchant, device, item, ...), mutable and constant-size, shaped by an
 * {@link EntityWindowSpec}: per horizon, exponentially decayed sums of transactions, of their amounts and of known
 * frauds, and the <em>delayed-label risk</em> — known frauds ÷ transactions over a window that ends
 * {@code labelDelay} ago, because younger transactions cannot have their labels yet.
 *
 * <p>With {@code s} the state time (the newest time applied), a query at time {@code T} reads as of
 * {@code T' = max(T, s)} (the state does not run backwards), and the risk cutoff is the bucket boundary
 * {@code b* = floorDiv(T' - labelDelay, bucket) * bucket}. A transaction or label at time {@code t} weighs
 * {@code exp(-(T' - t) / h)} in the live sums ({@link #transactions}, {@link #amountSum}, {@link #knownFrauds}), and
 * {@code exp(-(b* - t) / h)} in the cutoff sums if {@code t < b*} ({@link #matured}, and the numerator of
 * {@link #risk}). A fraud label is weighted by its transaction's time, and counts from the moment it is applied:
 * callers apply a label when it arrives (the pipeline when it reaches the entity's task, the trainer's replay at the
 * label's arrival time), so no query before its arrival sees it.
 *
 * <p>Constant size: the cutoff sums come from a ring of {@link EntityWindowSpec#snapshots()} bucket-boundary
 * snapshots. It is enough because for every {@code T' >= s}, {@code floorDiv(T' - D, k) >= floorDiv(s, k) - ceil(D /
 * k)}: the boundary a query needs is either after {@code s} (then nothing has been applied since, and the snapshot is
 * the current sum decayed to it) or one of the newest {@code ceil(D / k) + 1} boundaries up to {@code s}. A late
 * transaction or label ({@code t < s}) is added with its age weight to the sums and to every kept snapshot after
 * {@code t}.
 *
 * <p>The decay law is {@link Decay}, the user windows' own. Unlike {@link BehaviourWindows}, sums are 32-bit floats:
 * a busy terminal passes the largest half (65504) within a day.
 *
 * <p>Not idempotent: the state keeps no event ids (which keeps it small and free of anything about users), so a
 * transaction or label applied twice counts twice. Deduplication is the caller's job, before anything is applied.
 *
 * <p>Not thread-safe; one instance belongs to one entity's state.
 */
public final class EntityWindows {

    /** Format byte, horizons, snapshots, shape fingerprint, state time, last fraud time, transactions, frauds. */
    static final int HEADER_BYTES = 1 + 1 + 1 + 4 + 8 + 8 + 4 + 4;

    private static final byte FORMAT_VERSION = 1;
    private static final double DAY_MILLIS = 86_400_000.0;

    private final EntityWindowSpec spec;
    private final int horizonCount;
    private final int snapshots;
    private final long[] horizonMillis;
    private final long bucketMillis;
    private final long delayMillis;
    /** Live sums as of {@link #stateMillis}, index = horizon. */
    private final float[] tx;
    private final float[] amount;
    private final float[] fraud;
    /** Cutoff snapshots, index = slot * horizons + horizon, slot = floorMod(boundary / bucket, snapshots). */
    private final float[] snapshotTx;
    private final float[] snapshotFraud;
    private long stateMillis = Long.MIN_VALUE;
    private long lastFraudMillis = Long.MIN_VALUE;
    private int transactionsSeen;
    private int fraudsSeen;

    private EntityWindows(EntityWindowSpec spec) {
        this.spec = spec;
        this.horizonCount = spec.horizonCount();
        this.snapshots = spec.snapshots();
        this.horizonMillis = new long[horizonCount];
        for (int h = 0; h < horizonCount; h++) {
            horizonMillis[h] = spec.horizonMillis(h);
        }
        this.bucketMillis = spec.bucketMillis();
        this.delayMillis = spec.labelDelayMillis();
        this.tx = new float[horizonCount];
        this.amount = new float[horizonCount];
        this.fraud = new float[horizonCount];
        this.snapshotTx = new float[snapshots * horizonCount];
        this.snapshotFraud = new float[snapshots * horizonCount];
    }

    /** The windows of an entity never seen before. */
    public static EntityWindows empty(EntityWindowSpec spec) {
        return new EntityWindows(Objects.requireNonNull(spec, "spec"));
    }

    /** The shape of these windows. */
    public EntityWindowSpec spec() {
        return spec;
    }

    /**
     * Adds one transaction at {@code eventTimeMillis} (in order or late).
     *
     * @param amountValue the transaction's amount; only a positive finite amount is added to the amount sums
     */
    public void observe(long eventTimeMillis, double amountValue) {
        advanceTo(eventTimeMillis);
        double value = amountValue > 0 && amountValue < Double.POSITIVE_INFINITY ? amountValue : 0.0;
        add(eventTimeMillis, 1.0, value, tx, amount, snapshotTx);
        if (transactionsSeen < Integer.MAX_VALUE) {
            transactionsSeen++;
        }
    }

    /**
     * Adds one confirmed fraud of a transaction at {@code transactionTimeMillis}; call it when the label arrives.
     * Negative labels add nothing: the risk's denominator is every transaction old enough to have been labelled.
     */
    public void observeFraud(long transactionTimeMillis) {
        advanceTo(transactionTimeMillis);
        add(transactionTimeMillis, 1.0, 0.0, fraud, null, snapshotFraud);
        lastFraudMillis = Math.max(lastFraudMillis, transactionTimeMillis);
        if (fraudsSeen < Integer.MAX_VALUE) {
            fraudsSeen++;
        }
    }

    /** Moves the state time forward to {@code t} (if later), snapshotting every bucket boundary passed on the way. */
    private void advanceTo(long t) {
        if (stateMillis == Long.MIN_VALUE) {
            stateMillis = t; // every boundary up to t holds nothing yet: the snapshots are already zero
            return;
        }
        if (t <= stateMillis) {
            return;
        }
        long newest = Math.floorDiv(t, bucketMillis);
        long first = Math.max(Math.floorDiv(stateMillis, bucketMillis) + 1, newest - snapshots + 1);
        for (long index = first; index <= newest; index++) {
            int slot = (int) Math.floorMod(index, (long) snapshots) * horizonCount;
            long sinceState = index * bucketMillis - stateMillis;
            for (int h = 0; h < horizonCount; h++) {
                double decay = Decay.factor(sinceState, horizonMillis[h]);
                snapshotTx[slot + h] = (float) (tx[h] * decay);
                snapshotFraud[slot + h] = (float) (fraud[h] * decay);
            }
        }
        for (int h = 0; h < horizonCount; h++) {
            double decay = Decay.factor(t - stateMillis, horizonMillis[h]);
            tx[h] = (float) (tx[h] * decay);
            amount[h] = (float) (amount[h] * decay);
            fraud[h] = (float) (fraud[h] * decay);
        }
        stateMillis = t;
    }

    /** Adds a contribution at {@code t <= stateMillis} to the live sums and to every kept snapshot after {@code t}. */
    private void add(long t, double weight, double value, float[] sums, float[] valueSums, float[] snapshotSums) {
        for (int h = 0; h < horizonCount; h++) {
            double decay = Decay.factor(stateMillis - t, horizonMillis[h]);
            sums[h] = (float) (sums[h] + weight * decay);
            if (valueSums != null) {
                valueSums[h] = (float) (valueSums[h] + value * decay);
            }
        }
        long newest = Math.floorDiv(stateMillis, bucketMillis);
        long oldest = Math.max(newest - snapshots + 1, Math.floorDiv(t, bucketMillis) + 1);
        for (long index = oldest; index <= newest; index++) {
            int slot = (int) Math.floorMod(index, (long) snapshots) * horizonCount;
            long boundaryAge = index * bucketMillis - t;
            for (int h = 0; h < horizonCount; h++) {
                snapshotSums[slot + h] = (float) (snapshotSums[slot + h]
                        + weight * Decay.factor(boundaryAge, horizonMillis[h]));
            }
        }
    }

    private long readTime(long atMillis) {
        return Math.max(atMillis, stateMillis);
    }

    /** Decayed transactions over horizon {@code h} at {@code atMillis}. */
    public double transactions(int h, long atMillis) {
        return live(tx, h, atMillis);
    }

    /** Decayed sum of positive amounts over horizon {@code h} at {@code atMillis}. */
    public double amountSum(int h, long atMillis) {
        return live(amount, h, atMillis);
    }

    /** Decayed frauds known (labels applied so far) over horizon {@code h} at {@code atMillis}, at any label age. */
    public double knownFrauds(int h, long atMillis) {
        return live(fraud, h, atMillis);
    }

    private double live(float[] sums, int h, long atMillis) {
        if (stateMillis == Long.MIN_VALUE) {
            return 0.0;
        }
        return sums[h] * Decay.factor(readTime(atMillis) - stateMillis, horizonMillis[h]);
    }

    /** Decayed transactions older than the risk cutoff, as of the cutoff: the support of {@link #risk}. */
    public double matured(int h, long atMillis) {
        return cutoff(snapshotTx, tx, h, atMillis);
    }

    /**
     * Known frauds ÷ transactions over horizon {@code h}, both counted before the cutoff {@code labelDelay} ago and
     * decayed to it; in [0, 1], 0 while no transaction is that old.
     */
    public double risk(int h, long atMillis) {
        double matured = matured(h, atMillis);
        if (!(matured > 0)) {
            return 0.0;
        }
        return Math.min(1.0, cutoff(snapshotFraud, fraud, h, atMillis) / matured);
    }

    private double cutoff(float[] snapshotSums, float[] sums, int h, long atMillis) {
        if (stateMillis == Long.MIN_VALUE) {
            return 0.0;
        }
        long index = Math.floorDiv(readTime(atMillis) - delayMillis, bucketMillis);
        long newest = Math.floorDiv(stateMillis, bucketMillis);
        if (index > newest) {
            // the boundary is after everything applied: nothing has happened since, the sums only decayed
            return sums[h] * Decay.factor(index * bucketMillis - stateMillis, horizonMillis[h]);
        }
        // index >= newest - snapshots + 1 for every read time >= stateMillis (see the class comment)
        return snapshotSums[(int) Math.floorMod(index, (long) snapshots) * horizonCount + h];
    }

    /** Event time of the newest known fraud, {@link Long#MIN_VALUE} if none is known. */
    public long lastKnownFraudMillis() {
        return lastFraudMillis;
    }

    /** The newest time applied (transaction or label), {@link Long#MIN_VALUE} for an entity never seen. */
    public long stateMillis() {
        return stateMillis;
    }

    /** Transactions applied (saturates at {@link Integer#MAX_VALUE}). */
    public int transactionsSeen() {
        return transactionsSeen;
    }

    /** Fraud labels applied (saturates at {@link Integer#MAX_VALUE}). */
    public int fraudsSeen() {
        return fraudsSeen;
    }

    /**
     * Writes the {@link EntityWindowSpec#featureCount()} raw features at {@code atMillis} into {@code out} from
     * {@code offset}, in {@link EntityWindowSpec#featureNames()} order: per kind and horizon {@code log1p} of
     * transactions, amount sum, known frauds and matured transactions, then the risk; then {@code log1p} of the days
     * since the newest known fraud (0 if none), the no-known-fraud flag, and {@code missing} = 0. Call it before
     * {@link #observe} for the event being encoded (features describe the entity before the event). Allocation-free.
     */
    public void encode(long atMillis, float[] out, int offset) {
        int i = offset;
        for (int h = 0; h < horizonCount; h++) {
            out[i++] = (float) Math.log1p(transactions(h, atMillis));
        }
        for (int h = 0; h < horizonCount; h++) {
            out[i++] = (float) Math.log1p(amountSum(h, atMillis));
        }
        for (int h = 0; h < horizonCount; h++) {
            out[i++] = (float) Math.log1p(knownFrauds(h, atMillis));
        }
        for (int h = 0; h < horizonCount; h++) {
            out[i++] = (float) Math.log1p(matured(h, atMillis));
        }
        for (int h = 0; h < horizonCount; h++) {
            out[i++] = (float) risk(h, atMillis);
        }
        boolean knowsFraud = lastFraudMillis != Long.MIN_VALUE;
        out[i++] = knowsFraud
                ? (float) Math.log1p(Math.max(0L, readTime(atMillis) - lastFraudMillis) / DAY_MILLIS)
                : 0f;
        out[i++] = knowsFraud ? 0f : 1f;
        out[i] = 0f;
    }

    /**
     * Writes the features of an event that has no entity of this type (the attribute is absent): all zero except
     * {@code missing} = 1, so the model sees an explicit indicator rather than a new, quiet entity.
     */
    public static void encodeMissing(EntityWindowSpec spec, float[] out, int offset) {
        int count = spec.featureCount();
        Arrays.fill(out, offset, offset + count - 1, 0f);
        out[offset + count - 1] = 1f;
    }

    /** Writes exactly {@link EntityWindowSpec#serializedBytes()} bytes. */
    public void writeTo(ByteBuffer out) {
        out.put(FORMAT_VERSION);
        out.put((byte) horizonCount);
        out.put((byte) snapshots);
        out.putInt(spec.shapeFingerprint());
        out.putLong(stateMillis);
        out.putLong(lastFraudMillis);
        out.putInt(transactionsSeen);
        out.putInt(fraudsSeen);
        for (float[] sums : new float[][] {tx, amount, fraud, snapshotTx, snapshotFraud}) {
            for (float value : sums) {
                out.putFloat(value);
            }
        }
    }

    /** The compact form as a new array (a state store value). */
    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(spec.serializedBytes());
        writeTo(buffer);
        return buffer.array();
    }

    /**
     * Reads what {@link #writeTo} wrote for the same shape.
     *
     * @throws IllegalArgumentException if the bytes are truncated, of an unknown format, or of another shape
     */
    public static EntityWindows readFrom(EntityWindowSpec spec, ByteBuffer in) {
        EntityWindows windows = empty(spec);
        try {
            byte format = in.get();
            if (format != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown EntityWindows format " + format + "; this build reads "
                        + FORMAT_VERSION);
            }
            int horizons = in.get();
            int snapshots = in.get();
            int fingerprint = in.getInt();
            if (horizons != windows.horizonCount || snapshots != windows.snapshots
                    || fingerprint != spec.shapeFingerprint()) {
                throw new IllegalArgumentException("EntityWindows bytes of another shape (" + horizons + " horizons, "
                        + snapshots + " snapshots) than " + spec);
            }
            windows.stateMillis = in.getLong();
            windows.lastFraudMillis = in.getLong();
            windows.transactionsSeen = in.getInt();
            windows.fraudsSeen = in.getInt();
            for (float[] sums : new float[][] {windows.tx, windows.amount, windows.fraud, windows.snapshotTx,
                    windows.snapshotFraud}) {
                for (int i = 0; i < sums.length; i++) {
                    sums[i] = in.getFloat();
                }
            }
            return windows;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated EntityWindows: need " + spec.serializedBytes() + " bytes", e);
        }
    }

    /** Reads {@link #toBytes()}'s output. */
    public static EntityWindows fromBytes(EntityWindowSpec spec, byte[] bytes) {
        return readFrom(spec, ByteBuffer.wrap(bytes));
    }
}

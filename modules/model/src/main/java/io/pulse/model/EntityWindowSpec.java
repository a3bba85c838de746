package io.pulse.model;

import io.pulse.contracts.UserEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The shape of one declared entity type's windows (terminal, merchant, device, item, ...): its name, which field of
 * an event names the entity, the horizons of its decayed sums, how long fraud labels take to arrive, and the bucket
 * its delayed-risk cutoff snaps to. See {@link EntityWindows} for what is computed; immutable.
 *
 * @param type       the entity type, {@code [a-z][a-z0-9_]{0,31}}: it prefixes feature names (and later store names)
 * @param key        the event field holding the entity id: {@value #ITEM_KEY} (the event's item id) or
 *                   {@code attr.<name>} (the event attribute {@code <name>}); see {@link #entityId}
 * @param horizons   1 to {@value #MAX_HORIZONS} strictly increasing decay time constants, each a whole number of
 *                   seconds
 * @param labelDelay how long labels take to arrive (≥ 0): the delayed risk only counts transactions older than this
 * @param bucket     granularity of the risk cutoff (> 0); the state keeps {@code ceil(labelDelay / bucket) + 1}
 *                   snapshots, at most {@value #MAX_SNAPSHOTS}
 */
public record EntityWindowSpec(String type, String key, List<Duration> horizons, Duration labelDelay,
        Duration bucket) {

    /** The key naming the event's item id. */
    public static final String ITEM_KEY = "item";
    /** Prefix of a key naming an event attribute. */
    public static final String ATTRIBUTE_PREFIX = "attr.";

    /** Most horizons one entity type may declare. */
    public static final int MAX_HORIZONS = 8;
    /** Most cutoff snapshots one state may keep (so a state stays a few hundred bytes). */
    public static final int MAX_SNAPSHOTS = 64;
    /** Features per horizon: transactions, amount, known frauds, matured transactions, risk. */
    public static final int FEATURES_PER_HORIZON = 5;
    /** Features after the per-horizon ones: log days since the last known fraud, no known fraud, missing. */
    public static final int TRAILING_FEATURES = 3;

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    /** An attribute name: printable ASCII without spaces, at most 64 characters (keys are short identifiers). */
    private static final Pattern ATTRIBUTE = Pattern.compile("\\p{Graph}{1,64}");

    public EntityWindowSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(horizons, "horizons");
        Objects.requireNonNull(labelDelay, "labelDelay");
        Objects.requireNonNull(bucket, "bucket");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("entity type must match " + TYPE + ", got \"" + type + "\"");
        }
        if (!key.equals(ITEM_KEY) && !(key.startsWith(ATTRIBUTE_PREFIX)
                && ATTRIBUTE.matcher(key.substring(ATTRIBUTE_PREFIX.length())).matches())) {
            throw new IllegalArgumentException("entity key must be \"" + ITEM_KEY + "\" or \"" + ATTRIBUTE_PREFIX
                    + "<name>\" (a name of 1 to 64 printable ASCII characters without spaces), got \"" + key + "\"");
        }
        horizons = List.copyOf(horizons);
        if (horizons.isEmpty() || horizons.size() > MAX_HORIZONS) {
            throw new IllegalArgumentException("an entity type needs 1 to " + MAX_HORIZONS + " horizons, got "
                    + horizons.size());
        }
        Duration previous = Duration.ZERO;
        for (Duration h : horizons) {
            if (h.compareTo(previous) <= 0 || h.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("entity horizons must be strictly increasing whole seconds, got "
                        + horizons);
            }
            previous = h;
        }
        if (labelDelay.isNegative() || bucket.isNegative() || bucket.isZero()) {
            throw new IllegalArgumentException("label delay must be >= 0 and bucket > 0, got " + labelDelay + ", "
                    + bucket);
        }
        long snapshots = ceilDiv(labelDelay.toMillis(), bucket.toMillis()) + 1;
        if (snapshots > MAX_SNAPSHOTS) {
            throw new IllegalArgumentException("label delay " + labelDelay + " in buckets of " + bucket + " needs "
                    + snapshots + " snapshots, more than " + MAX_SNAPSHOTS + ": use a coarser bucket");
        }
    }

    /**
     * An entity type keyed by the event attribute of the same name ({@code attr.<type>}), the usual case (a
     * {@code terminal} is the event's {@code terminal} attribute).
     */
    public EntityWindowSpec(String type, List<Duration> horizons, Duration labelDelay, Duration bucket) {
        this(type, ATTRIBUTE_PREFIX + type, horizons, labelDelay, bucket);
    }

    /**
     * The handbook's terminal shape: horizons 1, 7 and 30 days, labels after 7 days, daily cutoff; keyed by the
     * attribute {@code attr.<type>}.
     */
    public static EntityWindowSpec daily(String type) {
        return new EntityWindowSpec(type, List.of(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30)),
                Duration.ofDays(7), Duration.ofDays(1));
    }

    /** This shape keyed by another event field ({@value #ITEM_KEY} or {@code attr.<name>}). */
    public EntityWindowSpec withKey(String newKey) {
        return new EntityWindowSpec(type, newKey, horizons, labelDelay, bucket);
    }

    /**
     * The id of the event's entity of this type: its item id for {@value #ITEM_KEY}, else the value of the attribute
     * named by the key; null when the event has none (absent or empty), which the encoder marks as missing. The one
     * definition of how an event names its entity, for the trainer's replay and the pipeline alike.
     */
    public String entityId(UserEvent event) {
        String id;
        if (key.equals(ITEM_KEY)) {
            id = event.getItemId();
        } else {
            id = event.getAttributes() == null ? null
                    : event.getAttributes().get(key.substring(ATTRIBUTE_PREFIX.length()));
        }
        return id == null || id.isEmpty() ? null : id;
    }

    /** Number of horizons. */
    public int horizonCount() {
        return horizons.size();
    }

    /** Horizon {@code i} in milliseconds. */
    public long horizonMillis(int i) {
        return horizons.get(i).toMillis();
    }

    /** The label delay in milliseconds. */
    public long labelDelayMillis() {
        return labelDelay.toMillis();
    }

    /** The bucket in milliseconds. */
    public long bucketMillis() {
        return bucket.toMillis();
    }

    /** Cutoff snapshots a state keeps: {@code ceil(labelDelay / bucket) + 1}. */
    public int snapshots() {
        return (int) (ceilDiv(labelDelayMillis(), bucketMillis()) + 1);
    }

    /** Number of features {@link EntityWindows#encode} writes. */
    public int featureCount() {
        return FEATURES_PER_HORIZON * horizons.size() + TRAILING_FEATURES;
    }

    /** Feature names in the order {@link EntityWindows#encode} writes them, each prefixed with the type. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>(featureCount());
        for (String kind : List.of("tx", "amount", "known_frauds", "matured", "risk")) {
            for (Duration h : horizons) {
                names.add(type + "_" + kind + "_" + label(h));
            }
        }
        names.add(type + "_log_days_since_fraud");
        names.add(type + "_no_known_fraud");
        names.add(type + "_missing");
        return List.copyOf(names);
    }

    /** Bytes of one serialised {@link EntityWindows} of this shape. */
    public int serializedBytes() {
        return EntityWindows.HEADER_BYTES + Float.BYTES * horizons.size() * (3 + 2 * snapshots());
    }

    /** A hash of everything that decides the meaning of a serialised state, stored with it to refuse a mismatch. */
    int shapeFingerprint() {
        int hash = 17;
        for (Duration h : horizons) {
            hash = 31 * hash + Long.hashCode(h.toMillis());
        }
        hash = 31 * hash + Long.hashCode(labelDelayMillis());
        return 31 * hash + Long.hashCode(bucketMillis());
    }

    /** {@code 30d}, {@code 12h}, {@code 90m} or {@code 45s}: the largest unit that divides the horizon. */
    static String label(Duration horizon) {
        long seconds = horizon.toSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}

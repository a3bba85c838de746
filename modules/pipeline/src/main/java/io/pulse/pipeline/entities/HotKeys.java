package io.pulse.pipeline.entities;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hot-entity indicator of one entity step (one task of one entity type): the share of the most frequent entity id
 * among the step's events, counted per tumbling window of {@link #window} events with a count-min sketch (two rows
 * of {@link #WIDTH} counters: an estimate never undercounts, and exceeds the true count by at most
 * {@code e · window / WIDTH}, about 0.3 % of the window, with probability {@code 1 − e^-2} per entity — fine for an
 * indicator whose interesting values are several per cent). Per event: one string hash (cached by {@code String}
 * once computed), a few multiplications, two array increments and an ordered store; nothing is allocated, and the
 * memory is fixed (8 KiB).
 *
 * <p>{@link #share()} is the last completed window's top share, or, before the first window completes, the running
 * window's; it may be read from any thread (a metrics scrape) while the stream thread adds.
 */
final class HotKeys {

    /** Counters per row (a power of two). */
    static final int WIDTH = 1024;
    /** Events per window of the entity steps. */
    static final int DEFAULT_WINDOW = 10_000;

    private final int window;
    private final int[] first = new int[WIDTH];
    private final int[] second = new int[WIDTH];
    private int count;
    private int max;
    private boolean completed;
    /** (max &lt;&lt; 32) | count of the window {@link #share()} reports; 0 before any event. */
    private final AtomicLong published = new AtomicLong();

    HotKeys(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.window = window;
    }

    /** Counts one event at entity {@code id} (stream thread only). */
    void add(String id) {
        // murmur3's finaliser spreads String.hashCode (sequential for ids like "T-17"); each row takes other bits
        int h = id.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        int a = ++first[h & (WIDTH - 1)];
        int b = ++second[(h >>> 16) & (WIDTH - 1)];
        max = Math.max(max, Math.min(a, b));
        count++;
        if (count == window) {
            published.lazySet(((long) max << 32) | count);
            completed = true;
            Arrays.fill(first, 0);
            Arrays.fill(second, 0);
            count = 0;
            max = 0;
        } else if (!completed) {
            published.lazySet(((long) max << 32) | count);
        }
    }

    /** The top entity's share of the reported window's events, NaN before any event (any thread). */
    double share() {
        long packed = published.get();
        int n = (int) packed;
        return n == 0 ? Double.NaN : (double) (packed >>> 32) / n;
    }
}

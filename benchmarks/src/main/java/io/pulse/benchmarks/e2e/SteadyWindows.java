package io.pulse.benchmarks.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A throughput run's output count over time, cut into steady-state windows: the run's repeated measurements once
 * start-up is over. The reader records the committed output count after every poll; the count at time t is the last
 * one recorded at or before t (a step function: outputs become visible a transaction at a time). A window's rate is
 * the growth of that count across the window divided by its length. Windows start {@link #SKIP_NANOS} after the first
 * committed output (start-up, rebalance and the first commit stay out, and the JIT's last compilations with them) and
 * are {@link #WINDOW_NANOS} long; the last, incomplete window is dropped, so the end of the input (when the rate can
 * only fall) never counts. A run bounded in time ({@code --steady-seconds N}) stops at {@link #boundNanos}, when it
 * has its N complete windows, and counts only those ({@link #steadyRates(long, int)}).
 */
final class SteadyWindows {

    /** Length of a window. Exactly-once commits every 100 ms, so a window holds about ten commits. */
    static final long WINDOW_NANOS = 1_000_000_000L;
    /** From the first committed output to the first window. */
    static final long SKIP_NANOS = 1_000_000_000L;

    private long[] nanos = new long[1024];
    private long[] counts = new long[1024];
    private int size;

    /** Records that {@code count} outputs were visible at {@code atNanos} (non-decreasing in both). */
    void record(long atNanos, long count) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        nanos[size] = atNanos;
        counts[size] = count;
        size++;
    }

    /** The rates (outputs per second) of the complete windows from {@code fromNanos} on. */
    List<Double> rates(long fromNanos, long windowNanos) {
        List<Double> rates = new ArrayList<>();
        if (size == 0) {
            return rates;
        }
        long last = nanos[size - 1];
        for (long start = fromNanos; start + windowNanos <= last; start += windowNanos) {
            rates.add((countAt(start + windowNanos) - countAt(start)) * 1e9 / windowNanos);
        }
        return rates;
    }

    /** The steady windows of a run whose first output was seen at {@code firstOutputNanos} (none if negative). */
    List<Double> steadyRates(long firstOutputNanos) {
        return firstOutputNanos < 0 ? List.of() : rates(firstOutputNanos + SKIP_NANOS, WINDOW_NANOS);
    }

    /** As {@link #steadyRates(long)}, at most the first {@code limit} windows (all of them if {@code limit <= 0}). */
    List<Double> steadyRates(long firstOutputNanos, int limit) {
        List<Double> all = steadyRates(firstOutputNanos);
        return limit <= 0 || all.size() <= limit ? all : List.copyOf(all.subList(0, limit));
    }

    /**
     * When a run whose first output was seen at {@code firstOutputNanos} has {@code windows} complete steady windows:
     * the end of the last one. A run bounded in time stops at the first count recorded at or after it.
     */
    static long boundNanos(long firstOutputNanos, int windows) {
        return firstOutputNanos + SKIP_NANOS + windows * WINDOW_NANOS;
    }

    private long countAt(long atNanos) {
        long count = 0;
        for (int i = 0; i < size && nanos[i] <= atNanos; i++) {
            count = counts[i];
        }
        return count;
    }
}

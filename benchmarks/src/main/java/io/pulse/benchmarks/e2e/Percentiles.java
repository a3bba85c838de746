package io.pulse.benchmarks.e2e;

import java.util.Arrays;

/**
 * Exact percentiles of a sample of longs (latencies in milliseconds): the sample is sorted once, a percentile is the
 * nearest-rank value ({@code ceil(p/100 * n)}-th smallest), so p100 is the maximum and every reported value is one
 * that was actually observed. Exact rather than an HdrHistogram: a run keeps at most a few hundred thousand samples.
 */
public final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    /** Copies and sorts {@code count} values of {@code samples}. */
    public static Percentiles of(long[] samples, int count) {
        if (count < 0 || count > samples.length) {
            throw new IllegalArgumentException("count must be within 0.." + samples.length + ", was " + count);
        }
        long[] copy = Arrays.copyOf(samples, count);
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    public static Percentiles of(long... samples) {
        return of(samples, samples.length);
    }

    public int count() {
        return sorted.length;
    }

    /**
     * The nearest-rank percentile.
     *
     * @param p in (0, 100]
     * @throws IllegalStateException if there are no samples
     */
    public long percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("p must be in (0, 100], was " + p);
        }
        if (sorted.length == 0) {
            throw new IllegalStateException("no samples");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    public long max() {
        return percentile(100);
    }

    /** The median of a few doubles (repeats of a measurement); the mean of the middle two for an even count. */
    public static double median(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of nothing");
        }
        double[] copy = values.clone();
        Arrays.sort(copy);
        int mid = copy.length / 2;
        return copy.length % 2 == 1 ? copy[mid] : (copy[mid - 1] + copy[mid]) / 2;
    }
}

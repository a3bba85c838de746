package io.pulse.simulator.replay;

import java.time.Duration;
import java.util.Objects;

/**
 * How to read a CSV event log.
 *
 * @param labelDelay      how long after an event its FRAUD label becomes known ({@code observedAt = eventTime +
 *                        labelDelay}); default 7 days, the chargeback delay the fraud data set's reference protocol
 *                        uses
 * @param negativeLabels  also emit a FRAUD negative (confirmed genuine) for rows whose label column says 0; default
 *                        false (consumers treat unlabelled events as genuine once the delay has passed)
 * @param sortWithinFile  read each file whole and sort its rows by time (stable) before emitting them; default true.
 *                        Costs memory in proportion to the largest file; turn off to stream huge files that are
 *                        already in time order (disorder is then counted, not fixed)
 * @param maxBadRows      fail once more than this many rows could not be read (bad time, number, empty user);
 *                        rows up to the limit are skipped and counted. Default 1000
 * @param labelSource     the {@code source} of emitted labels; default {@code replay}
 */
public record ReplayOptions(Duration labelDelay, boolean negativeLabels, boolean sortWithinFile, long maxBadRows,
        String labelSource) {

    public ReplayOptions {
        Objects.requireNonNull(labelDelay, "labelDelay");
        Objects.requireNonNull(labelSource, "labelSource");
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException("labelDelay must not be negative, was " + labelDelay);
        }
        if (maxBadRows < 0) {
            throw new IllegalArgumentException("maxBadRows must not be negative, was " + maxBadRows);
        }
    }

    public static ReplayOptions defaults() {
        return new ReplayOptions(Duration.ofDays(7), false, true, 1000, "replay");
    }

    public ReplayOptions withLabelDelay(Duration delay) {
        return new ReplayOptions(delay, negativeLabels, sortWithinFile, maxBadRows, labelSource);
    }

    public ReplayOptions withNegativeLabels(boolean negatives) {
        return new ReplayOptions(labelDelay, negatives, sortWithinFile, maxBadRows, labelSource);
    }

    public ReplayOptions withSortWithinFile(boolean sort) {
        return new ReplayOptions(labelDelay, negativeLabels, sort, maxBadRows, labelSource);
    }

    public ReplayOptions withMaxBadRows(long max) {
        return new ReplayOptions(labelDelay, negativeLabels, sortWithinFile, max, labelSource);
    }

    public ReplayOptions withLabelSource(String source) {
        return new ReplayOptions(labelDelay, negativeLabels, sortWithinFile, maxBadRows, source);
    }
}

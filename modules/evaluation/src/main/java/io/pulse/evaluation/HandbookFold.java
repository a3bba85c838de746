package io.pulse.evaluation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One prequential fold of the fraud handbook's protocol: train on a week, skip the delay, test on the next week.
 * The warm-up (the history before the training week that the per-customer windows need) starts
 * {@link #WARM_UP_DAYS} before the training week.
 *
 * @param index        k = 0..3, fold 0 being the most recent
 * @param trainStart   first day of the training week
 */
public record HandbookFold(int index, LocalDate trainStart) {

    /** The handbook's reference date: fold k trains on the 7 days starting this day minus 7k days. */
    public static final LocalDate REFERENCE_TRAIN_START = LocalDate.of(2018, 8, 15);
    public static final int TRAIN_DAYS = 7;
    public static final int DELAY_DAYS = 7;
    public static final int TEST_DAYS = 7;
    /** Customer windows reach 30 days back; the stream and the training history start this long before training. */
    public static final int WARM_UP_DAYS = 30;

    /** Fold k of the protocol. */
    public static HandbookFold of(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("fold index must not be negative, got " + k);
        }
        return new HandbookFold(k, REFERENCE_TRAIN_START.minusDays(7L * k));
    }

    /** Folds 0..count-1. */
    public static List<HandbookFold> first(int count) {
        List<HandbookFold> folds = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            folds.add(of(k));
        }
        return folds;
    }

    public LocalDate warmUpStart() {
        return trainStart.minusDays(WARM_UP_DAYS);
    }

    /** First day after the training week (exclusive end of training data; the delay starts here). */
    public LocalDate trainEnd() {
        return trainStart.plusDays(TRAIN_DAYS);
    }

    public LocalDate testStart() {
        return trainEnd().plusDays(DELAY_DAYS);
    }

    /** First day after the test week (exclusive). */
    public LocalDate testEnd() {
        return testStart().plusDays(TEST_DAYS);
    }

    public static Instant at(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public static LocalDate dayOf(long epochMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, 86_400_000L));
    }

    @Override
    public String toString() {
        return "fold " + index + ": train " + trainStart + "…" + trainEnd().minusDays(1) + ", test " + testStart()
                + "…" + testEnd().minusDays(1) + " (warm-up from " + warmUpStart() + ")";
    }
}

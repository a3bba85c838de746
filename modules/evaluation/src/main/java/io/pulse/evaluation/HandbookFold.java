package io.pulse.evaluation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One prequential fold of the fraud handbook's protocol: train on a week, skip the delay, test on the next week.
 * The warm-up (the history before the training week that the per-customer and entity windows need, streamed and
 * replayed before it) starts {@code warmUpDays} before the training week ({@link #WARM_UP_DAYS} unless chosen).
 *
 * @param index        k = 0..3 for the protocol's test folds, fold 0 being the most recent; later k are earlier weeks
 *                     (4..7: the same protocol shifted back, whose weeks all precede the test folds' — the folds on
 *                     which settings are chosen)
 * @param trainStart   first day of the training week
 * @param warmUpDays   days of history before the training week
 */
public record HandbookFold(int index, LocalDate trainStart, int warmUpDays) {

    /** The handbook's reference date: fold k trains on the 7 days starting this day minus 7k days. */
    public static final LocalDate REFERENCE_TRAIN_START = LocalDate.of(2018, 8, 15);
    /** The data set's first day: no fold's history can start before it. */
    public static final LocalDate FIRST_DAY = LocalDate.of(2018, 4, 1);
    /** The protocol's test folds are 0..3. */
    public static final int TEST_FOLDS = 4;
    public static final int TRAIN_DAYS = 7;
    public static final int DELAY_DAYS = 7;
    public static final int TEST_DAYS = 7;
    /**
     * Customer windows reach 30 days back: by default the stream and the training history start this long before
     * training.
     */
    public static final int WARM_UP_DAYS = 30;

    public HandbookFold {
        if (index < 0) {
            throw new IllegalArgumentException("fold index must not be negative, got " + index);
        }
        if (warmUpDays < 0) {
            throw new IllegalArgumentException("warm-up days must not be negative, got " + warmUpDays);
        }
    }

    /** Fold k of the protocol, with the default warm-up. */
    public static HandbookFold of(int k) {
        return of(k, WARM_UP_DAYS);
    }

    /** Fold k of the protocol, its history starting {@code warmUpDays} before its training week. */
    public static HandbookFold of(int k, int warmUpDays) {
        return new HandbookFold(k, REFERENCE_TRAIN_START.minusDays(7L * k), warmUpDays);
    }

    /** Folds firstIndex..firstIndex+count-1, each with {@code warmUpDays} of history before its training week. */
    public static List<HandbookFold> range(int firstIndex, int count, int warmUpDays) {
        List<HandbookFold> folds = new ArrayList<>();
        for (int k = firstIndex; k < firstIndex + count; k++) {
            folds.add(of(k, warmUpDays));
        }
        return folds;
    }

    /** The longest warm-up fold k allows: its history cannot start before the data set's {@link #FIRST_DAY}. */
    public static int maxWarmUpDays(int k) {
        return (int) (REFERENCE_TRAIN_START.minusDays(7L * k).toEpochDay() - FIRST_DAY.toEpochDay());
    }

    public LocalDate warmUpStart() {
        return trainStart.minusDays(warmUpDays);
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

package io.pulse.trainer.data;

import java.time.Instant;
import java.util.Objects;

/**
 * A time-based split of {@code [from, to)} into training, validation and test periods by event time. A step belongs to
 * the period its event time falls in; its labels are used only if their outcome is known before that period ends (see
 * {@link TrainingData}), so no period learns from its future.
 *
 * @param from          first event time whose steps carry labels: events before it are context only (they warm up
 *                      windows and state; {@link TrainingData} masks their labels)
 * @param trainEnd      end of the training period (exclusive), the training cut-off
 * @param validationEnd end of the validation period (exclusive)
 * @param to            end of the data (exclusive), the end of the test period
 */
public record TimeSplit(Instant from, Instant trainEnd, Instant validationEnd, Instant to) {

    public TimeSplit {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(trainEnd, "trainEnd");
        Objects.requireNonNull(validationEnd, "validationEnd");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(trainEnd) || trainEnd.isAfter(validationEnd) || validationEnd.isAfter(to)) {
            throw new IllegalArgumentException("a split needs from <= trainEnd <= validationEnd <= to, got " + from
                    + ", " + trainEnd + ", " + validationEnd + ", " + to);
        }
    }

    /**
     * Splits {@code [from, to)} by fractions of its length: training {@code trainFraction}, validation
     * {@code validationFraction}, test the rest.
     *
     * @throws IllegalArgumentException unless both fractions are positive and leave a positive test share
     */
    public static TimeSplit of(Instant from, Instant to, double trainFraction, double validationFraction) {
        if (!(trainFraction > 0) || !(validationFraction > 0) || !(trainFraction + validationFraction < 1)) {
            throw new IllegalArgumentException("train and validation fractions must be positive and sum to less"
                    + " than 1 (the rest is the test period), got " + trainFraction + " and " + validationFraction);
        }
        long start = from.toEpochMilli();
        long span = to.toEpochMilli() - start;
        if (span <= 0) {
            throw new IllegalArgumentException("the data spans no time: from " + from + " to " + to);
        }
        Instant trainEnd = Instant.ofEpochMilli(start + Math.round(span * trainFraction));
        Instant validationEnd = Instant.ofEpochMilli(start + Math.round(span * (trainFraction + validationFraction)));
        return new TimeSplit(from, trainEnd, validationEnd, to);
    }

    /** The period an event time falls in (times before {@link #from()} count as training, after {@link #to()} as test). */
    public Period periodOf(long eventTimeMillis) {
        if (eventTimeMillis < trainEnd.toEpochMilli()) {
            return Period.TRAIN;
        }
        return eventTimeMillis < validationEnd.toEpochMilli() ? Period.VALIDATION : Period.TEST;
    }

    /** The end (exclusive) of a period: what is known when the period is over. */
    public long endMillis(Period period) {
        return switch (period) {
            case TRAIN -> trainEnd.toEpochMilli();
            case VALIDATION -> validationEnd.toEpochMilli();
            case TEST -> to.toEpochMilli();
        };
    }
}

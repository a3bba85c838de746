package io.pulse.trainer.data;

/** The three periods of a time-based split, in time order. */
public enum Period {
    /** Fits the weights, the normalisation statistics and every baseline. */
    TRAIN,
    /** Early stopping. */
    VALIDATION,
    /** Held out: the report's metrics and the publishing gate. */
    TEST
}

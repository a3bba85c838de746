package io.pulse.trainer.eval;

import io.pulse.trainer.data.UserSequence;

/** Something that predicts the type of a user's next event from a step of their sequence (a baseline). */
public interface NextActionPredictor {

    /** Name in reports. */
    String name();

    /**
     * Writes the probabilities of every event type (ordinal order, summing to 1) for the event after
     * {@code step} into {@code out}; may read anything of the sequence up to and including {@code step}.
     */
    void predict(UserSequence sequence, int step, float[] out);
}

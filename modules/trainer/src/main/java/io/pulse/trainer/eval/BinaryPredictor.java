package io.pulse.trainer.eval;

import io.pulse.trainer.data.UserSequence;

/** Something that gives a probability for a binary head (churn or fraud) at a step of a sequence (a baseline). */
public interface BinaryPredictor {

    /** Name in reports. */
    String name();

    /** P(label = 1) at {@code step}; may read anything of the sequence up to and including {@code step}. */
    double predict(UserSequence sequence, int step);
}

package io.pulse.trainer.train;

import io.pulse.trainer.eval.Losses;

/**
 * One epoch of training.
 *
 * @param epoch      1-based
 * @param train      loss on the training period after the epoch (a full pass of the plain-Java kernel, not a running
 *                   average)
 * @param validation loss on the validation period after the epoch
 * @param improved   whether the selection criterion ({@link TrainingConfig#selection()}) was the best so far (these
 *                   weights are kept)
 * @param seconds    wall time of the epoch including both evaluations
 * @param validationFraudAveragePrecision the fraud head's average precision on the validation period ({@code NaN}
 *                   without fraud labels)
 */
public record EpochResult(int epoch, Losses train, Losses validation, boolean improved, double seconds,
        double validationFraudAveragePrecision) {
}

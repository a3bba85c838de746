package io.pulse.trainer.train;

/** Hooks for showing training progress (the command line draws a progress bar). All methods default to nothing. */
public interface TrainingProgress {

    /** No output. */
    TrainingProgress NONE = new TrainingProgress() {
    };

    /** An epoch of {@code batches} minibatches starts. */
    default void epochStarted(int epoch, int maxEpochs, int batches) {
    }

    /** A minibatch of the current epoch is done. */
    default void batchDone(int batch) {
    }

    /** An epoch is done and evaluated. */
    default void epochDone(EpochResult result) {
    }
}

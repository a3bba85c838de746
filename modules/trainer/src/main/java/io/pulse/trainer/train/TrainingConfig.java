package io.pulse.trainer.train;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to train: network size, optimiser, early stopping, sequence handling, the churn horizon and the time split.
 * Every random choice derives from {@link #seed()}.
 *
 * @param hiddenSize         LSTM units
 * @param maxEpochs          upper bound on passes over the training sequences
 * @param patience           stop after this many epochs without a lower validation loss (the best epoch's weights
 *                           are kept)
 * @param batchSize          chunks per minibatch (grouped by length, padded to the longest, masked)
 * @param chunkLength        a user's history is trained in chunks of this many labelled steps
 * @param warmUpSteps        each chunk is preceded by up to this many of the user's earlier steps, unlabelled, so its
 *                           state is warmed up from zero before its loss counts
 * @param learningRate       Adam's step size
 * @param l2                 L2 weight decay
 * @param seed               DL4J's seed and the minibatch shuffling seed
 * @param churnHorizon       H: churn means no event within H after an event
 * @param trainFraction      share of the time range used for training
 * @param validationFraction share of the time range used for early stopping; the rest is the test period
 * @param selection          what picks the kept epoch and drives early stopping
 */
public record TrainingConfig(int hiddenSize, int maxEpochs, int patience, int batchSize, int chunkLength,
        int warmUpSteps, double learningRate, double l2, long seed, Duration churnHorizon,
        double trainFraction, double validationFraction, Selection selection) {

    /** The criterion that selects the kept epoch (and stops training after {@link #patience()} epochs without). */
    public enum Selection {
        /** The lowest mean validation log-loss over the heads with labels (every head counts). */
        VALIDATION_LOSS("loss"),
        /**
         * The highest validation average precision of the fraud head: for a model whose job is ranking rare frauds
         * (alert queues, investigators' top-k), where the mean log-loss is dominated by the other heads.
         */
        FRAUD_AVERAGE_PRECISION("fraud-ap");

        private final String word;

        Selection(String word) {
            this.word = word;
        }

        /** How the command line names it ({@code --select-on loss|fraud-ap}). */
        public String word() {
            return word;
        }

        /** The criterion a command line names; the message lists the words it knows. */
        public static Selection of(String word) {
            for (Selection s : values()) {
                if (s.word.equals(word)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("--select-on must be loss or fraud-ap, got '" + word + "'");
        }
    }

    /** Epochs selected on the mean validation log-loss. */
    public TrainingConfig(int hiddenSize, int maxEpochs, int patience, int batchSize, int chunkLength,
            int warmUpSteps, double learningRate, double l2, long seed, Duration churnHorizon,
            double trainFraction, double validationFraction) {
        this(hiddenSize, maxEpochs, patience, batchSize, chunkLength, warmUpSteps, learningRate, l2, seed,
                churnHorizon, trainFraction, validationFraction, Selection.VALIDATION_LOSS);
    }

    public TrainingConfig {
        requirePositive("hiddenSize", hiddenSize);
        requirePositive("maxEpochs", maxEpochs);
        requirePositive("patience", patience);
        requirePositive("batchSize", batchSize);
        requirePositive("chunkLength", chunkLength);
        if (warmUpSteps < 0) {
            throw new IllegalArgumentException("warmUpSteps must not be negative, got " + warmUpSteps);
        }
        if (!(learningRate > 0) || !(l2 >= 0)) {
            throw new IllegalArgumentException("learningRate must be > 0 and l2 >= 0, got " + learningRate + ", " + l2);
        }
        Objects.requireNonNull(churnHorizon, "churnHorizon");
        if (churnHorizon.isNegative() || churnHorizon.isZero()) {
            throw new IllegalArgumentException("churnHorizon must be positive, got " + churnHorizon);
        }
        Objects.requireNonNull(selection, "selection");
    }

    /**
     * Hidden 64, up to 30 epochs with patience 3, batches of 64 chunks of 50 steps after 25 warm-up steps, Adam at
     * 1e-2, L2 1e-5, H = 7 days, 70/15/15 split, seed 1. (DL4J's cost here is per time step far more than per
     * sequence, so wide batches of short chunks train fastest; measured on 2 cores.)
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(64, 30, 3, 64, 50, 25, 1e-2, 1e-5, 1L, Duration.ofDays(7), 0.70, 0.15);
    }

    public TrainingConfig withHiddenSize(int value) {
        return new TrainingConfig(value, maxEpochs, patience, batchSize, chunkLength, warmUpSteps,
                learningRate, l2, seed, churnHorizon, trainFraction, validationFraction,
                selection);
    }

    public TrainingConfig withMaxEpochs(int value) {
        return new TrainingConfig(hiddenSize, value, patience, batchSize, chunkLength, warmUpSteps,
                learningRate, l2, seed, churnHorizon, trainFraction, validationFraction,
                selection);
    }

    public TrainingConfig withPatience(int value) {
        return new TrainingConfig(hiddenSize, maxEpochs, value, batchSize, chunkLength, warmUpSteps,
                learningRate, l2, seed, churnHorizon, trainFraction, validationFraction,
                selection);
    }

    public TrainingConfig withBatchSize(int value) {
        return new TrainingConfig(hiddenSize, maxEpochs, patience, value, chunkLength, warmUpSteps,
                learningRate, l2, seed, churnHorizon, trainFraction, validationFraction,
                selection);
    }

    public TrainingConfig withChunks(int length, int warmUp) {
        return new TrainingConfig(hiddenSize, maxEpochs, patience, batchSize, length, warmUp, learningRate, l2, seed,
                churnHorizon, trainFraction, validationFraction,
                selection);
    }

    public TrainingConfig withLearningRate(double value) {
        return new TrainingConfig(hiddenSize, maxEpochs, patience, batchSize, chunkLength,
                warmUpSteps, value, l2, seed, churnHorizon, trainFraction, validationFraction,
                selection);
    }

    public TrainingConfig withSeed(long value) {
        return new TrainingConfig(hiddenSize, maxEpochs, patience, batchSize, chunkLength,
                warmUpSteps, learningRate, l2, value, churnHorizon, trainFraction, validationFraction,
                selection);
    }

    public TrainingConfig withChurnHorizon(Duration value) {
        return new TrainingConfig(hiddenSize, maxEpochs, patience, batchSize, chunkLength,
                warmUpSteps, learningRate, l2, seed, value, trainFraction, validationFraction,
                selection);
    }

    public TrainingConfig withSplit(double train, double validation) {
        return new TrainingConfig(hiddenSize, maxEpochs, patience, batchSize, chunkLength,
                warmUpSteps, learningRate, l2, seed, churnHorizon, train, validation,
                selection);
    }

    public TrainingConfig withSelection(Selection value) {
        return new TrainingConfig(hiddenSize, maxEpochs, patience, batchSize, chunkLength, warmUpSteps, learningRate,
                l2, seed, churnHorizon, trainFraction, validationFraction, value);
    }

    /** Every setting as text, in declaration order: the bundle's provenance config and the report's. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("hiddenSize", Integer.toString(hiddenSize));
        map.put("maxEpochs", Integer.toString(maxEpochs));
        map.put("patience", Integer.toString(patience));
        map.put("batchSize", Integer.toString(batchSize));
        map.put("chunkLength", Integer.toString(chunkLength));
        map.put("warmUpSteps", Integer.toString(warmUpSteps));
        map.put("learningRate", Double.toString(learningRate));
        map.put("l2", Double.toString(l2));
        map.put("seed", Long.toString(seed));
        map.put("churnHorizon", churnHorizon.toString());
        map.put("trainFraction", Double.toString(trainFraction));
        map.put("validationFraction", Double.toString(validationFraction));
        // only when not the default: the defaults' map (and the model versions derived from it) stay as they were
        if (selection != Selection.VALIDATION_LOSS) {
            map.put("selection", selection.name());
        }
        return map;
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}

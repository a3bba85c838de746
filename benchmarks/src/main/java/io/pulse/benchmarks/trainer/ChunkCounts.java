package io.pulse.benchmarks.trainer;

import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.data.UserSequence;
import io.pulse.trainer.train.TrainingConfig;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * How much work one epoch hands to DL4J: the chunks the trainer cuts the training period into and the time steps
 * they contain. The trainer's {@code SequenceBatches} is package-private, so its counting rule is restated here
 * (chunks of {@code chunkLength} labelled steps, each preceded by up to {@code warmUpSteps} earlier steps, kept only
 * if a step of the period has a label; chunks sorted by length, grouped {@code batchSize} at a time, padded to the
 * longest of the group). {@link #batches()} is checked against the minibatch count the trainer itself reports at
 * the start of every epoch, so a drift between the two rules shows in the report.
 *
 * @param sequences   users with at least one chunk
 * @param chunks      chunks (DL4J examples) per epoch
 * @param timeSteps   time steps of those chunks, warm-up steps included, padding excluded
 * @param paddedSteps time steps DL4J computes: each minibatch is padded to its longest chunk
 * @param batches     minibatches per epoch
 */
public record ChunkCounts(long sequences, long chunks, long timeSteps, long paddedSteps, int batches) {

    /** The counts of {@code period} of {@code data} under {@code config}. */
    public static ChunkCounts of(TrainingData data, Period period, TrainingConfig config) {
        LengthList lengths = new LengthList();
        long sequences = 0;
        for (UserSequence s : data.sequences()) {
            int end = s.lastStepUpTo(period) + 1;
            int first = 0;
            while (first < end && s.period(first) != period) {
                first++;
            }
            long before = lengths.size;
            IntPredicate labelled = i -> s.period(i) == period
                    && (s.nextAction(i) >= 0 || s.churn(i) >= 0 || s.fraud(i) >= 0);
            pieces(first, end, labelled, config.chunkLength(), config.warmUpSteps(), lengths);
            sequences += lengths.size > before ? 1 : 0;
        }
        int[] all = lengths.toArray();
        long steps = 0;
        for (int length : all) {
            steps += length;
        }
        Batching batching = batching(all, config.batchSize());
        return new ChunkCounts(sequences, all.length, steps, batching.paddedSteps(), batching.batches());
    }

    /**
     * The lengths of one sequence's chunks: labelled steps {@code [first, end)} in chunks of {@code chunkLength},
     * each starting up to {@code warmUp} steps earlier (not before step 0), kept if a step from its first labelled
     * step on satisfies {@code labelled}.
     */
    static void pieces(int first, int end, IntPredicate labelled, int chunkLength, int warmUp, IntConsumer lengths) {
        for (int labelFrom = first; labelFrom < end; labelFrom += chunkLength) {
            int to = Math.min(end, labelFrom + chunkLength);
            for (int i = labelFrom; i < to; i++) {
                if (labelled.test(i)) {
                    lengths.accept(to - Math.max(0, labelFrom - warmUp));
                    break;
                }
            }
        }
    }

    /** Minibatches and padded time steps of chunks of these lengths, sorted and grouped {@code batchSize} a time. */
    static Batching batching(int[] lengths, int batchSize) {
        int[] sorted = lengths.clone();
        Arrays.sort(sorted);
        long padded = 0;
        int batches = 0;
        for (int start = 0; start < sorted.length; start += batchSize) {
            int end = Math.min(sorted.length, start + batchSize);
            padded += (long) (end - start) * sorted[end - 1];
            batches++;
        }
        return new Batching(batches, padded);
    }

    /** Minibatches and the time steps DL4J computes for them, padding included. */
    record Batching(int batches, long paddedSteps) {
    }

    /** A growable int array (a million and more chunk lengths without boxing). */
    private static final class LengthList implements IntConsumer {
        private int[] values = new int[1024];
        private int size;

        @Override
        public void accept(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}

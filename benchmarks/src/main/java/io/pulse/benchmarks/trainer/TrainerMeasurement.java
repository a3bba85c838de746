package io.pulse.benchmarks.trainer;

import io.pulse.trainer.data.TimeSplit;
import io.pulse.trainer.data.TrainingData.PeriodSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Everything one trainer benchmark run measured. Times are wall-clock seconds.
 *
 * @param options           what was run
 * @param startedAt         start of the run
 * @param finishedAt        end of the run
 * @param loadBefore        load averages (1/5/15 min) at the start
 * @param loadAfter         load averages at the end
 * @param files             CSV files read
 * @param rows              events read from them
 * @param labels            labels read (one per labelled row, fraud or not)
 * @param skipped           rows left out while reading, by reason
 * @param users             users (one sequence each)
 * @param steps             events kept (repeated event ids dropped)
 * @param duplicates        events dropped as repeated event ids
 * @param split             the time split
 * @param train             the training period's steps and labels
 * @param validation        the validation period's
 * @param test              the test period's
 * @param chunks            what one epoch hands to DL4J
 * @param announcedBatches  minibatches per epoch as the trainer announced them
 * @param training          the training settings
 * @param loadSeconds       reading the CSV into events and labels
 * @param prepareSeconds    from the round's start to the first epoch: sequences, encoding, split, normalisation,
 *                          minibatches, network initialisation (including ND4J's native start-up)
 * @param epochs            every epoch
 * @param afterSeconds      from the last epoch to the end of the round: baselines, bundle, test evaluation of the
 *                          model and the baselines, the round's report files
 * @param totalSeconds      reading the CSV to the end of the round
 * @param peakHeapSampled   highest heap in use, sampled every 100 ms
 * @param peakHeapPools     sum of the heap pools' peaks
 * @param maxHeap           the JVM's maximum heap
 * @param gcCount           collections during the run
 * @param gcSeconds         time the collectors reported for them
 * @param maxRss            the process's resident-set high-water mark, if known
 * @param niceness          the process's nice value, if known
 * @param cpuSeconds        CPU time of the process during the run (all threads, Java and native)
 * @param ompNumThreads     {@code OMP_NUM_THREADS} in the environment, null if unset
 * @param nd4jMaxThreads    {@code Nd4j.getEnvironment().maxThreads()}
 * @param nd4jMasterThreads {@code Nd4j.getEnvironment().maxMasterThreads()}
 * @param kernel            the plain-Java LSTM kernel of the loss passes and the evaluation
 * @param quality           the round's test metrics of the binary heads, one line, for context
 * @param machine           the machine, one fact per line
 */
record TrainerMeasurement(TrainerOptions options, Instant startedAt, Instant finishedAt, String loadBefore,
        String loadAfter, int files, long rows, long labels, Map<String, Long> skipped, long users, long steps,
        long duplicates, TimeSplit split, PeriodSummary train, PeriodSummary validation, PeriodSummary test,
        ChunkCounts chunks, int announcedBatches, Map<String, String> training, double loadSeconds,
        double prepareSeconds, List<EpochClock.Epoch> epochs, double afterSeconds, double totalSeconds,
        long peakHeapSampled, long peakHeapPools, long maxHeap, long gcCount, double gcSeconds, OptionalLong maxRss,
        OptionalInt niceness, double cpuSeconds, String ompNumThreads, int nd4jMaxThreads, int nd4jMasterThreads,
        String kernel, String quality, List<String> machine) {

    TrainerMeasurement {
        skipped = Map.copyOf(skipped);
        epochs = List.copyOf(epochs);
        machine = List.copyOf(machine);
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("a measurement needs at least one epoch");
        }
    }

    /** Mean wall time of an epoch (DL4J fit and loss pass). */
    double meanEpochSeconds() {
        return epochs.stream().mapToDouble(EpochClock.Epoch::seconds).average().orElseThrow();
    }

    /** Mean DL4J fit time of an epoch. */
    double meanFitSeconds() {
        return epochs.stream().mapToDouble(EpochClock.Epoch::fitSeconds).average().orElseThrow();
    }

    /** Mean loss-pass time of an epoch. */
    double meanLossSeconds() {
        return epochs.stream().mapToDouble(EpochClock.Epoch::lossSeconds).average().orElseThrow();
    }

    /** Mean process CPU time of an epoch. */
    double meanEpochCpuSeconds() {
        return epochs.stream().mapToDouble(EpochClock.Epoch::cpuSeconds).average().orElseThrow();
    }

    /** Sum of the epochs' wall times. */
    double epochsSeconds() {
        return epochs.stream().mapToDouble(EpochClock.Epoch::seconds).sum();
    }
}

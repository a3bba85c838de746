package io.pulse.benchmarks.trainer;

import io.pulse.benchmarks.e2e.Machine;
import io.pulse.trainer.train.EpochResult;
import io.pulse.trainer.train.TrainingProgress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times the trainer through its progress hooks, which is where an epoch's two parts meet: from
 * {@code epochStarted} to the last {@code batchDone} DL4J fits the minibatches; from there to {@code epochDone} the
 * trainer computes the train and validation losses with the plain-Java kernel over whole histories. Prints a progress
 * line every tenth of an epoch or every {@value #PRINT_EVERY_SECONDS} s, whichever comes first.
 */
final class EpochClock implements TrainingProgress {

    private static final double PRINT_EVERY_SECONDS = 30;

    /**
     * One epoch as timed here.
     *
     * @param result       what the trainer reported (its {@code seconds} are its own measurement of the whole epoch)
     * @param batches      minibatches fitted
     * @param startNanos   {@code epochStarted}
     * @param fitEndNanos  the last {@code batchDone}
     * @param endNanos     {@code epochDone}
     * @param load1m       1-minute load average when the epoch ended
     * @param cpuSeconds   CPU time of the process during the epoch (all threads)
     */
    record Epoch(EpochResult result, int batches, long startNanos, long fitEndNanos, long endNanos, double load1m,
            double cpuSeconds) {
        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        double fitSeconds() {
            return (fitEndNanos - startNanos) / 1e9;
        }

        double lossSeconds() {
            return (endNanos - fitEndNanos) / 1e9;
        }
    }

    private final PrintStream out;
    private final List<Epoch> epochs = new ArrayList<>();
    private int epoch;
    private int maxEpochs;
    private int batches;
    private int lastBatch;
    private long startNanos;
    private double startCpu;
    private long fitEndNanos;
    private long lastPrintNanos;
    private int lastPrintedTenth;

    EpochClock(PrintStream out) {
        this.out = out;
    }

    @Override
    public void epochStarted(int epoch, int maxEpochs, int batches) {
        this.epoch = epoch;
        this.maxEpochs = maxEpochs;
        this.batches = batches;
        lastBatch = 0;
        startNanos = System.nanoTime();
        startCpu = Machine.processCpuSeconds();
        fitEndNanos = startNanos;
        lastPrintNanos = startNanos;
        lastPrintedTenth = 0;
        out.printf(Locale.ROOT, "epoch %d/%d: %d minibatches%n", epoch, maxEpochs, batches);
    }

    @Override
    public void batchDone(int batch) {
        long now = System.nanoTime();
        lastBatch = batch;
        fitEndNanos = now;
        int tenth = batches == 0 ? 10 : batch * 10 / batches;
        if (tenth > lastPrintedTenth || (now - lastPrintNanos) / 1e9 >= PRINT_EVERY_SECONDS) {
            lastPrintedTenth = tenth;
            lastPrintNanos = now;
            double seconds = (now - startNanos) / 1e9;
            double rate = batch / seconds;
            out.printf(Locale.ROOT, "epoch %d/%d  minibatch %d/%d (%3.0f %%)  %6.1f s  %.2f minibatches/s"
                            + "  fit done in ~%.0f s  heap %.2f GiB%n",
                    epoch, maxEpochs, batch, batches, 100.0 * batch / Math.max(1, batches), seconds, rate,
                    (batches - batch) / rate, MemoryWatch.heapUsed() / (double) (1L << 30));
        }
    }

    @Override
    public void epochDone(EpochResult result) {
        long now = System.nanoTime();
        Epoch done = new Epoch(result, lastBatch, startNanos, fitEndNanos, now, Machine.loadAverage1m(),
                Machine.processCpuSeconds() - startCpu);
        epochs.add(done);
        out.printf(Locale.ROOT, "epoch %d/%d done in %.1f s (DL4J fit %.1f s, loss pass %.1f s): train loss %.4f,"
                        + " validation loss %.4f%s; %.0f s of CPU%n", result.epoch(), maxEpochs, done.seconds(),
                done.fitSeconds(), done.lossSeconds(), result.train().mean(), result.validation().mean(),
                result.improved() ? " *" : "", done.cpuSeconds());
    }

    /** The epochs timed so far. */
    List<Epoch> epochs() {
        return List.copyOf(epochs);
    }

    /** {@code epochStarted} of the first epoch, or -1 before it. */
    long firstStartNanos() {
        return epochs.isEmpty() ? (epoch == 0 ? -1 : startNanos) : epochs.get(0).startNanos();
    }

    /** Minibatches the trainer announced for the last epoch started. */
    int announcedBatches() {
        return batches;
    }
}

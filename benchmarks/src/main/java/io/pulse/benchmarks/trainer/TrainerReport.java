package io.pulse.benchmarks.trainer;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown of the trainer block of {@code benchmarks/RESULTS.md}. */
final class TrainerReport {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final double GIB = 1024.0 * 1024 * 1024;

    private TrainerReport() {
    }

    static String markdown(TrainerMeasurement m) {
        TrainerOptions o = m.options();
        Map<String, String> t = m.training();
        List<String> lines = new ArrayList<>();
        lines.add("## Trainer: throughput and time to train" + (o.quick() ? " (QUICK RUN: a subset, not the full data)"
                : ""));
        lines.add("");
        lines.add("Issue #6, trainer part. Written by `io.pulse.benchmarks.trainer.TrainerBenchmark` between the"
                + " `trainer:begin` / `trainer:end` markers (the end-to-end benchmark keeps this block when it"
                + " rewrites the file); how to run it: `benchmarks/README.md`. One `TrainJob` round, exactly what"
                + " `pulse train --source csv --no-publish` runs, with a fixed number of epochs.");
        lines.add("");
        lines.add("### Run");
        lines.add("");
        lines.add(f("- Date: %s; the whole run took %s.", UTC.format(m.startedAt()), minutes(m.totalSeconds())));
        lines.add("- Command: `" + o.command() + "`");
        for (String fact : m.machine()) {
            lines.add("- " + fact);
        }
        lines.add(f("- Load average (1/5/15 min): %s at the start, %s at the end (the 1-minute load at the end of"
                + " each epoch is in the epoch table). The machine is shared with other builds, so the times are"
                + " those of a busy 2-core machine, and a single run.", m.loadBefore(), m.loadAfter()));
        lines.add("- Niceness of the benchmark's JVM: " + (m.niceness().isPresent() ? m.niceness().getAsInt()
                + (m.niceness().getAsInt() > 0 ? " (it yields the CPU to the other builds)" : "") : "unknown") + ".");
        lines.add(f("- `OMP_NUM_THREADS`: %s (ND4J `maxThreads` %d, `maxMasterThreads` %d). Plain-Java LSTM kernel of"
                        + " the loss passes and the evaluation: `%s`.",
                m.ompNumThreads() == null ? "unset" : "`" + m.ompNumThreads() + "`", m.nd4jMaxThreads(),
                m.nd4jMasterThreads(), m.kernel()));
        lines.add(f("- Data: `%s`, %d file(s)%s: %,d rows read, %,d fraud labels (rows marked fraud; the others count"
                        + " as genuine), %,d users, %,d events kept (%,d repeated"
                        + " event ids dropped)%s.", o.data(), m.files(),
                o.days() == null ? " (all)" : " (the first " + o.days() + ", in name order)", m.rows(), m.labels(),
                m.users(), m.steps(), m.duplicates(), m.skipped().isEmpty() ? "" : "; skipped " + m.skipped()));
        lines.add(f("- Split by event time: training %s to %s, validation to %s, test to %s.", m.split().from(),
                m.split().trainEnd(), m.split().validationEnd(), m.split().to()));
        lines.add(f("- Training: hidden %s, %d epoch(s) run to the end (patience = epochs, so early stopping is"
                        + " off), minibatches of %s chunks of %s labelled steps after up to %s warm-up steps, Adam %s,"
                        + " seed %s, churn horizon %s.", t.get("hiddenSize"), o.epochs(), t.get("batchSize"),
                t.get("chunkLength"), t.get("warmUpSteps"), t.get("learningRate"), t.get("seed"),
                t.get("churnHorizon")));
        lines.add("");

        lines.add("### Where the time goes");
        lines.add("");
        lines.add("| stage | seconds | share |");
        lines.add("|---|---:|---:|");
        lines.add(stage("read the CSV (`CsvHistory.read`)", m.loadSeconds(), m.totalSeconds()));
        lines.add(stage("prepare: sequences, encoding, split, normalisation, minibatches, network (ND4J start-up)",
                m.prepareSeconds(), m.totalSeconds()));
        for (EpochClock.Epoch e : m.epochs()) {
            lines.add(stage(f("epoch %d: DL4J fit %.1f s + loss pass %.1f s", e.result().epoch(), e.fitSeconds(),
                    e.lossSeconds()), e.seconds(), m.totalSeconds()));
        }
        lines.add(stage("after training: baselines, bundle, test evaluation, the round's report", m.afterSeconds(),
                m.totalSeconds()));
        lines.add(f("| **whole job** (%d epoch%s) | **%.1f** (%s) | 100 %% |", o.epochs(), o.epochs() == 1 ? "" : "s",
                m.totalSeconds(), minutes(m.totalSeconds())));
        lines.add("");

        ChunkCounts c = m.chunks();
        long seqs = m.train().users();
        long events = m.train().steps();
        lines.add("### Throughput");
        lines.add("");
        lines.add(f("Work per epoch: **%,d training sequences** (users with an event in the training period), %,d"
                        + " training-period events, %,d chunks (%,d users have one), %,d time steps in those chunks"
                        + " with warm-up (%,d with padding), %,d minibatches%s.", seqs, events, c.chunks(),
                c.sequences(), c.timeSteps(), c.paddedSteps(), c.batches(),
                c.batches() == m.announcedBatches() ? " (the same count as the trainer's)"
                        : f(" (**the trainer announced %,d**: the restated chunk rule has drifted from"
                                + " `SequenceBatches`)", m.announcedBatches())));
        lines.add("");
        lines.add("| epoch | wall s | DL4J fit s | loss pass s | sequences/s | events/s | chunks/s (fit) |"
                + " time steps/s (fit) | CPU s | cores busy | train loss | validation loss | load 1m |");
        lines.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (EpochClock.Epoch e : m.epochs()) {
            lines.add(f("| %d | %.1f | %.1f | %.1f | %,.1f | %,.0f | %,.1f | %,.0f | %.0f | %.2f | %.4f | %.4f"
                            + " | %.2f |",
                    e.result().epoch(), e.seconds(), e.fitSeconds(), e.lossSeconds(), seqs / e.seconds(),
                    events / e.seconds(), c.chunks() / e.fitSeconds(), c.timeSteps() / e.fitSeconds(),
                    e.cpuSeconds(), e.cpuSeconds() / e.seconds(), e.result().train().mean(),
                    e.result().validation().mean(), e.load1m()));
        }
        double wall = m.meanEpochSeconds();
        double fit = m.meanFitSeconds();
        double cpu = m.meanEpochCpuSeconds();
        lines.add(f("| **mean** | **%.1f** | %.1f | %.1f | **%,.1f** | **%,.0f** | %,.1f | %,.0f | %.0f | %.2f | | | |",
                wall, fit, m.meanLossSeconds(), seqs / wall, events / wall, c.chunks() / fit, c.timeSteps() / fit,
                cpu, cpu / wall));
        lines.add("");
        lines.add(f("On DL4J's fit alone (the loss pass left out): %,.1f sequences/s, %,.0f events/s. Per second of"
                        + " the process's CPU time instead of wall time (less sensitive to the other builds on the"
                        + " machine, though not to their cache and memory traffic): %,.1f sequences, %,.0f events.",
                seqs / fit, events / fit, seqs / cpu, events / cpu));
        lines.add("");

        lines.add("### Memory and CPU");
        lines.add("");
        lines.add(f("- Heap: peak in use %.2f GiB (sampled every 100 ms; a lower bound), sum of the heap pools' peaks"
                        + " %.2f GiB (an upper bound), maximum heap %.2f GiB; %,d collections, %.1f s of GC time.",
                m.peakHeapSampled() / GIB, m.peakHeapPools() / GIB, m.maxHeap() / GIB, m.gcCount(), m.gcSeconds()));
        lines.add("- Peak resident set (`VmHWM`, heap + ND4J's off-heap arrays + natives): " + (m.maxRss().isPresent()
                ? f("%.2f GiB.", m.maxRss().getAsLong() / GIB) : "not available (no `/proc/self/status`)."));
        lines.add(f("- CPU: %.0f s of process CPU time in %.0f s of wall time, %.2f cores busy on average.",
                m.cpuSeconds(), m.totalSeconds(), m.cpuSeconds() / m.totalSeconds()));
        lines.add("");

        lines.add("### Time to train");
        lines.add("");
        lines.add(f("- **Measured:** the whole job (read, prepare, %d epoch%s, baselines, evaluation, report) took"
                        + " **%s**; %.1f s per epoch on average.", o.epochs(), o.epochs() == 1 ? "" : "s",
                minutes(m.totalSeconds()), wall));
        lines.add(f("- **Scaling with epochs:** every epoch repeats the same work (the same minibatches in another"
                        + " order, the same loss pass), so a run of E epochs takes about %.0f s + E × %.0f s (read +"
                        + " prepare + after training, plus E mean epochs). That is arithmetic on this run, not a"
                        + " measurement of a longer one.", m.loadSeconds() + m.prepareSeconds() + m.afterSeconds(),
                wall));
        lines.add("- **Default training length:** `pulse train` runs at most `--epochs 30` and stops early after"
                + " `--patience 3` epochs without a lower validation loss, so between 4 and 30 epochs; how many the"
                + " fraud data needs was not measured here.");
        lines.add("");

        lines.add("### What the numbers mean");
        lines.add("");
        lines.add("- *sequences/s* = training sequences ÷ epoch wall seconds; *events/s* = training-period events ÷"
                + " epoch wall seconds. An epoch is the trainer's own: DL4J fits every minibatch once, then the"
                + " trainer computes the train and validation losses with the plain-Java kernel over every user's"
                + " whole history (what it uses for early stopping).");
        lines.add("- *DL4J fit* = from the trainer's `epochStarted` to its last `batchDone` (progress hooks);"
                + " *loss pass* = from there to `epochDone`. *chunks/s* and *time steps/s* are per fit second: a"
                + " chunk is one DL4J example (up to 50 labelled steps plus up to 25 earlier steps that warm the"
                + " state up); padding is not counted.");
        lines.add("- Chunk counts restate the trainer's chunking rule (its `SequenceBatches` is package-private);"
                + " the minibatch count is checked against the one the trainer announces.");
        lines.add("- *CPU s* = CPU time of the benchmark's JVM during the epoch, all threads (DL4J's native code"
                + " included); *cores busy* = CPU s ÷ wall s. With one OpenMP thread, DL4J's fit uses about one core"
                + " at most; below that, the process was waiting for a core the other builds held.");
        lines.add("- Model quality is not what this benchmark measures (few epochs); for context, the round's test"
                + " period: " + m.quality() + ".");
        return String.join("\n", lines) + "\n";
    }

    private static String stage(String name, double seconds, double total) {
        return f("| %s | %.1f | %.0f %% |", name, seconds, 100 * seconds / total);
    }

    private static String minutes(double seconds) {
        return seconds < 120 ? f("%.0f s", seconds) : f("%.1f min", seconds / 60);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}

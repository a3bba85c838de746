package io.pulse.benchmarks.trainer;

import io.pulse.benchmarks.ResultsBlock;
import io.pulse.benchmarks.e2e.Machine;
import io.pulse.model.ModelBundles;
import io.pulse.simulator.replay.ColumnMapping;
import io.pulse.trainer.TrainJob;
import io.pulse.trainer.TrainJobConfig;
import io.pulse.trainer.TrainResult;
import io.pulse.trainer.data.CsvHistory;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.eval.Evaluation;
import io.pulse.trainer.eval.Evaluator;
import io.pulse.trainer.eval.HeadEvaluation;
import io.pulse.trainer.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trainer throughput and time to train on a CSV log (issue #6): one {@link TrainJob} round, exactly what
 * {@code pulse train --source csv --no-publish} runs (the same {@link CsvHistory}, {@link TrainingConfig} and
 * {@link TrainJobConfig}), with a fixed number of epochs, timed stage by stage. Reads no topic and writes none; the
 * round's own report and bundle go to a temporary directory unless {@code --train-out} keeps them. Writes its section
 * of {@code benchmarks/RESULTS.md} ({@link ResultsBlock}) and prints the same markdown.
 *
 * <p>DL4J is run with {@code OMP_NUM_THREADS=1} by default, the faster setting on this project's 2-core machines.
 * OpenMP reads the variable once when the natives load, and a JVM cannot set its own environment, so when it differs
 * the benchmark runs itself again in a child JVM (same JVM flags and class path) with the variable set.
 */
public final class TrainerBenchmark {

    static final String OMP_ENV = "OMP_NUM_THREADS";

    private final TrainerOptions options;
    private final PrintStream out;

    public TrainerBenchmark(TrainerOptions options, PrintStream out) {
        this.options = Objects.requireNonNull(options, "options");
        this.out = Objects.requireNonNull(out, "out");
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "pulse-bench-logback.xml");
        }
        System.exit(run(args, System.out));
    }

    /**
     * Parses {@code args}, runs the benchmark (in a child JVM when {@code OMP_NUM_THREADS} must change) and returns
     * the exit code: 0 when the report was written, 2 for bad flags.
     */
    public static int run(String[] args, PrintStream out) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(TrainerOptions.usage());
            return 0;
        }
        TrainerOptions options;
        try {
            options = TrainerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("trainer benchmark: " + e.getMessage());
            return 2;
        }
        String omp = System.getenv(OMP_ENV);
        if (options.ompThreads() > 0 && !Integer.toString(options.ompThreads()).equals(omp)) {
            return inChildJvm(args, options);
        }
        new TrainerBenchmark(options, out).run();
        return 0;
    }

    /** The same benchmark in a child JVM with {@code OMP_NUM_THREADS} set; returns its exit code. */
    private static int inChildJvm(String[] args, TrainerOptions options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TrainerBenchmark.class.getName());
        command.addAll(List.of(args));
        if (!List.of(args).contains("--command")) {
            command.add("--command");
            command.add(options.command());
        }
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(OMP_ENV, Integer.toString(options.ompThreads()));
        System.err.printf("trainer benchmark: %s is %s; running in a child JVM with %s=%d%n", OMP_ENV,
                System.getenv(OMP_ENV) == null ? "unset" : System.getenv(OMP_ENV), OMP_ENV, options.ompThreads());
        try {
            Process child = builder.start();
            Thread stopChild = new Thread(child::destroy, "trainer-bench-stop-child");
            Runtime.getRuntime().addShutdownHook(stopChild);
            int code = child.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopChild);
            return code;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the child JVM " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** Runs the round and writes the block of {@code options.out()}. */
    public void run() {
        measure();
    }

    /** Runs the round, writes the block of {@code options.out()} and returns what was measured. */
    TrainerMeasurement measure() {
        Instant startedAt = Instant.now();
        String loadBefore = Machine.loadAverages();
        double cpuBefore = Machine.processCpuSeconds();
        long[] gcBefore = MemoryWatch.gcCountAndMillis();
        Path tempRoot = null;
        try (MemoryWatch memory = MemoryWatch.start(100)) {
            tempRoot = Files.createTempDirectory("pulse-trainer-bench-");
            Path trainOut = options.trainOut() != null ? options.trainOut() : tempRoot.resolve("train");
            Input input = input(tempRoot);
            out.printf(Locale.ROOT, "trainer benchmark: %s (%d file(s)), %d epoch(s), hidden %d, %s=%s%n",
                    options.data(), input.files(), options.epochs(), options.hidden(), OMP_ENV,
                    System.getenv(OMP_ENV) == null ? "unset" : System.getenv(OMP_ENV));

            long t0 = System.nanoTime();
            History history = CsvHistory.read(input.path(), ColumnMapping.parse(options.mapping()));
            long loaded = System.nanoTime();
            out.printf(Locale.ROOT, "read %,d rows and %,d labels in %.1f s%s; preparing sequences and minibatches%n",
                    history.events().size(), history.labels().size(), (loaded - t0) / 1e9,
                    history.skipped().isEmpty() ? "" : " (skipped " + history.skipped() + ")");

            TrainingConfig training = TrainingConfig.defaults()
                    .withHiddenSize(options.hidden())
                    .withMaxEpochs(options.epochs())
                    // patience = epochs: epoch 1 always improves on +inf, so at most epochs - 1 epochs can follow
                    // without improvement and early stopping never ends the run before the last epoch
                    .withPatience(options.epochs())
                    .withSeed(options.seed());
            TrainJobConfig job = TrainJobConfig.defaults().withOutBase(trainOut).withTraining(training);
            EpochClock clock = new EpochClock(out);
            long jobStart = System.nanoTime();
            TrainResult result = TrainJob.run(history, job, clock);
            long done = System.nanoTime();

            TrainingData data = result.report().data();
            List<EpochClock.Epoch> epochs = clock.epochs();
            long lastEpochEnd = epochs.get(epochs.size() - 1).endNanos();
            long[] gcAfter = MemoryWatch.gcCountAndMillis();
            TrainerMeasurement measurement = new TrainerMeasurement(options, startedAt, Instant.now(), loadBefore,
                    Machine.loadAverages(), input.files(), history.events().size(), history.labels().size(),
                    history.skipped(), data.sequences().size(), data.steps(), data.duplicatesDropped(),
                    data.split(), data.summary(Period.TRAIN), data.summary(Period.VALIDATION),
                    data.summary(Period.TEST), ChunkCounts.of(data, Period.TRAIN, training),
                    clock.announcedBatches(), training.asMap(), (loaded - t0) / 1e9,
                    (clock.firstStartNanos() - jobStart) / 1e9, epochs, (done - lastEpochEnd) / 1e9,
                    (done - t0) / 1e9, memory.peakHeapSampled(), MemoryWatch.peakHeapPoolsSum(),
                    Runtime.getRuntime().maxMemory(), gcAfter[0] - gcBefore[0], (gcAfter[1] - gcBefore[1]) / 1e3,
                    MemoryWatch.maxRss(), MemoryWatch.niceness(), Machine.processCpuSeconds() - cpuBefore,
                    System.getenv(OMP_ENV), Nd4j.getEnvironment().maxThreads(),
                    Nd4j.getEnvironment().maxMasterThreads(), ModelBundles.toModel(result.bundle()).kernelName(),
                    quality(result.report().test()), Machine.describe());
            result.close();
            history.close();
            String markdown = TrainerReport.markdown(measurement);
            ResultsBlock.named("trainer").write(options.out(), markdown);
            out.println();
            out.println(markdown);
            out.println("# trainer block written to " + options.out());
            return measurement;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the benchmark's temporary directory", e);
        } finally {
            deleteQuietly(tempRoot);
        }
    }

    /** The test-period AUC and average precision of every scorer of the churn and fraud heads, one line. */
    static String quality(Evaluation test) {
        List<String> parts = new ArrayList<>();
        for (HeadEvaluation head : new HeadEvaluation[] {test.fraud(), test.churn()}) {
            if (head == null) {
                continue;
            }
            List<String> scorers = new ArrayList<>();
            head.metrics().forEach((scorer, metrics) -> scorers.add(String.format(Locale.ROOT, "%s %s / %s", scorer,
                    value(metrics.get(Evaluator.ROC_AUC)), value(metrics.get(Evaluator.AVERAGE_PRECISION)))));
            parts.add(String.format(Locale.ROOT, "%s (%,d labelled steps, %,d positive), AUC / AP: %s", head.head(),
                    head.labelled(), head.positives(), String.join("; ", scorers)));
        }
        return parts.isEmpty() ? "no binary head had test labels" : String.join(". ", parts);
    }

    private static String value(Double v) {
        return v == null || !Double.isFinite(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** The data to read and how many files it has: the directory itself, or links to its first {@code days} files. */
    private Input input(Path tempRoot) throws IOException {
        Path data = options.data();
        if (!Files.exists(data)) {
            throw new IllegalArgumentException("no data at " + data.toAbsolutePath().normalize()
                    + " (--data; the default is the fraud data set relative to the repository root)");
        }
        if (!Files.isDirectory(data)) {
            if (options.days() != null) {
                throw new IllegalArgumentException("--days needs --data to be a directory of daily files");
            }
            return new Input(data, 1);
        }
        List<Path> files = csvFiles(data);
        if (options.days() == null) {
            return new Input(data, files.size());
        }
        if (options.days() > files.size()) {
            throw new IllegalArgumentException("--days " + options.days() + " but " + data + " has only "
                    + files.size() + " files");
        }
        Path subset = Files.createDirectories(tempRoot.resolve("days"));
        for (Path file : files.subList(0, options.days())) {
            Files.createSymbolicLink(subset.resolve(file.getFileName()), file.toAbsolutePath());
        }
        return new Input(subset, options.days());
    }

    /** The {@code *.csv} and {@code *.csv.gz} files CsvReplaySource reads, in the same (name) order. */
    static List<Path> csvFiles(Path directory) throws IOException {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return !name.startsWith(".") && (name.endsWith(".csv") || name.endsWith(".csv.gz"));
                    })
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    private record Input(Path path, int files) {
    }

    private static void deleteQuietly(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a leftover temp directory is not worth failing a finished benchmark
                }
            });
        } catch (IOException e) {
            // same
        }
    }
}

package io.pulse.cli;

import io.pulse.contracts.schema.PulseTopics;
import io.pulse.model.EntityWindowSpec;
import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import io.pulse.simulator.replay.ColumnMapping;
import io.pulse.simulator.sequences.ItemAttributesFile;
import io.pulse.trainer.TrainJob;
import io.pulse.trainer.TrainJobConfig;
import io.pulse.trainer.TrainResult;
import io.pulse.trainer.data.CsvHistory;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.KafkaSnapshot;
import io.pulse.trainer.train.EpochResult;
import io.pulse.trainer.train.FraudTreesTrainer;
import io.pulse.trainer.train.InterestConfig;
import io.pulse.trainer.train.TrainingConfig;
import io.pulse.trainer.train.TrainingProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse train}: trains the LSTM on the event history (a bounded snapshot of {@code user-events} and
 * {@code user-labels}, a CSV log, or a simulation), reports it against the baselines, and publishes the bundle to
 * {@code model-weights} only if it beats the current model there.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the Pulse LSTM with Deeplearning4j, report it against baselines on a held-out period,"
                + " and publish it to model-weights if it beats the current model (lower mean test log-loss over the"
                + " heads with labels).",
                "The report (report.md, report.json, plots) and model.bundle go to --out/<version>/."})
final class TrainCommand implements Callable<Integer> {

    enum Source { KAFKA, CSV, SIMULATED }

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--source", defaultValue = "kafka",
            description = "Where the history comes from: kafka (a snapshot of the events and labels topics), csv"
                    + " (--csv with --map) or simulated (default: ${DEFAULT-VALUE}).")
    Source source;

    @Option(names = "--csv", paramLabel = "PATH", description = "CSV event log: a file or a directory of files.")
    Path csv;

    @Option(names = "--map", paramLabel = "MAPPING",
            description = "Column mapping of the CSV log, e.g. user=userId,time=timestamp:epoch-s,type=const:RATING,"
                    + "item=movieId,rating=rating")
    String mapping;

    @Option(names = "--events-topic", defaultValue = "${env:PULSE_TOPIC_USER_EVENTS:-" + PulseTopics.Names.USER_EVENTS
            + "}", description = "Events topic (env PULSE_TOPIC_USER_EVENTS; default: ${DEFAULT-VALUE}).")
    String eventsTopic;

    @Option(names = "--labels-topic", defaultValue = "${env:PULSE_TOPIC_USER_LABELS:-" + PulseTopics.Names.USER_LABELS
            + "}", description = "Labels topic (env PULSE_TOPIC_USER_LABELS; default: ${DEFAULT-VALUE}).")
    String labelsTopic;

    @Option(names = "--weights-topic", defaultValue = "${env:PULSE_TOPIC_MODEL_WEIGHTS:-"
            + PulseTopics.Names.MODEL_WEIGHTS + "}",
            description = "Model weights topic (env PULSE_TOPIC_MODEL_WEIGHTS; default: ${DEFAULT-VALUE}).")
    String weightsTopic;

    @Option(names = "--churn-horizon", paramLabel = "DURATION", defaultValue = "7d",
            description = "Churn means no event within this long (default: ${DEFAULT-VALUE}).")
    String churnHorizon;

    @Option(names = "--hidden", defaultValue = "64", description = "LSTM units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--epochs", defaultValue = "30",
            description = "Maximum epochs; early stopping usually ends sooner (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "3",
            description = "Epochs without a better validation criterion before stopping (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--select-on", defaultValue = "loss", paramLabel = "CRITERION",
            description = "What picks the kept epoch on the validation period: loss (the mean log-loss over the heads)"
                    + " or fraud-ap (the fraud head's average precision; needs fraud labels). Default:"
                    + " ${DEFAULT-VALUE}.")
    String selectOn;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of DL4J, shuffling and the simulated source"
            + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--split", paramLabel = "TRAIN,VALIDATION", defaultValue = "0.70,0.15", split = ",",
            description = "Shares of the time range for training and validation; the rest is the test period"
                    + " (default: ${DEFAULT-VALUE}).")
    double[] split;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".pulse/train",
            description = "Reports go to DIR/<version>/ (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--model-name", defaultValue = "pulse-lstm",
            description = "Model name, the key on the weights topic (default: ${DEFAULT-VALUE}).")
    String modelName;

    @Option(names = "--no-publish", description = "Do not contact the weights topic: no current model is read"
            + " from it (use --current) and nothing is published.")
    boolean noPublish;

    @Option(names = "--current", paramLabel = "FILE",
            description = "Compare against this bundle file instead of the latest one on the weights topic.")
    Path current;

    @Option(names = "--every", paramLabel = "DURATION",
            description = "Retrain on this schedule (e.g. 30m) until Ctrl-C; each round takes a fresh snapshot.")
    String every;

    @Option(names = "--simulate-users", paramLabel = "N", defaultValue = "200",
            description = "Simulated source: concurrent users (default: ${DEFAULT-VALUE}).")
    int simulateUsers;

    @Option(names = "--simulate-days", paramLabel = "D", defaultValue = "60",
            description = "Simulated source: days of history; the test period must be longer than the churn"
                    + " horizon to have churn labels (default: ${DEFAULT-VALUE}).")
    int simulateDays;

    @Mixin
    TerminalCompromiseOptions simulateTerminals;

    @Option(names = "--fraud-label-delay", paramLabel = "MIN..MAX",
            description = "Simulated source: how long after a fraudulent event its FRAUD label arrives, uniformly"
                    + " between MIN and MAX, e.g. 1h..6h (default: 1d..7d).")
    String fraudLabelDelay;

    @Option(names = "--interests", description = "Also learn interests (feature spec v2): item and category"
            + " embeddings and the next-category and next-item heads, with the catalogue of the training period's"
            + " items (or of --items).")
    boolean interests;

    @Option(names = "--items", paramLabel = "FILE", description = "Item file whose items make the catalogue, in"
            + " S3-Rec's item-to-attributes JSON ({\"ITEM\": [ATTRIBUTE, ...]}; brand and category path derived as"
            + " io.pulse.simulator.sequences.ItemAttributesFile documents; the brands feed the next-item ranking's"
            + " brand affinity); implies --interests.")
    Path items;

    @Option(names = "--item-dim", defaultValue = "32", description = "Item embedding size (default: ${DEFAULT-VALUE}).")
    int itemDim;

    @Option(names = "--category-dim", defaultValue = "8",
            description = "Category embedding size (default: ${DEFAULT-VALUE}).")
    int categoryDim;

    @Option(names = "--category-level", defaultValue = "2",
            description = "Level of the category paths read and predicted, 1 = top (default: ${DEFAULT-VALUE}).")
    int categoryLevel;

    @Option(names = "--entity", paramLabel = EntityOption.FORMAT, converter = EntityOption.class,
            description = "Declare an entity type the model reads (repeatable, in order): its windows of"
                    + " transactions, amounts, known frauds and delayed-label fraud risk, computed by one replay of all"
                    + " users' events and fraud labels at their arrival. KEY is item or attr.NAME (default"
                    + " attr.TYPE), e.g. terminal=attr.terminal with a CSV mapping's attr.terminal=TERMINAL_ID;"
                    + " horizons default 1d,7d,30d, delay (before a label counts in the risk) 7d, bucket 1d. The"
                    + " pipeline adopts the model only if its entities.* settings declare the same types and shape.")
    List<EntityWindowSpec> entities = new ArrayList<>();

    @Option(names = "--fraud-trees",
            description = "Also fit a gradient-boosted fraud head (XGBoost, up to 400 trees of depth 4, 4096 bins, on"
                    + " each step's input, LSTM state and amount against the user's own mean amounts, stopped on the"
                    + " validation period's fraud average precision) and serve it instead of the LSTM's fraud head if"
                    + " it beats that head on the validation period. Needs"
                    + " fraud labels; the bundle is then format 2 (an older pipeline refuses it).")
    boolean fraudTrees;

    @Override
    public Integer call() throws Exception {
        Duration horizon = Durations.parse(churnHorizon);
        Duration schedule = every == null ? null : Durations.parse(every);
        if (split == null || split.length != 2) {
            throw new IllegalArgumentException("--split takes two shares, e.g. 0.70,0.15");
        }
        if (source == Source.CSV && (csv == null || mapping == null)) {
            throw new IllegalArgumentException("--source csv needs --csv PATH and --map MAPPING");
        }
        Set<String> entityTypes = new HashSet<>();
        for (EntityWindowSpec entity : entities) {
            if (!entityTypes.add(entity.type())) {
                throw new IllegalArgumentException("--entity: entity type " + entity.type() + " is declared twice");
            }
        }
        TrainingConfig training = TrainingConfig.defaults()
                .withHiddenSize(hidden)
                .withMaxEpochs(epochs)
                .withPatience(patience)
                .withSelection(TrainingConfig.Selection.of(selectOn))
                .withSeed(seed)
                .withChurnHorizon(horizon)
                .withSplit(split[0], split[1]);
        TrainJobConfig job = TrainJobConfig.defaults()
                .withModelName(modelName)
                .withOutBase(out)
                .withTraining(training)
                .withCurrentFile(current)
                .withEntities(entities)
                .withFraudTrees(fraudTrees ? FraudTreesTrainer.Settings.defaults() : null);
        job = noPublish ? job.withCluster(cluster.clientConfig(), weightsTopic)
                : job.withPublishing(cluster.clientConfig(), weightsTopic);
        if (interests || items != null) {
            InterestConfig interest = new InterestConfig(itemDim, categoryDim, categoryLevel, null);
            // a malformed item file fails here, naming the file, the item and the reason, before any training
            job = job.withInterests(items == null ? interest : interest.withItems(ItemAttributesFile.readJsonArrays(items)));
        }

        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        CountDownLatch stop = new CountDownLatch(1);
        if (schedule != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "pulse-train-shutdown"));
        }
        do {
            Instant started = Instant.now();
            // a snapshot or CSV history is spilled to disk; closing it deletes the file before the next round
            try (History history = history(horizon, stderr);
                 TrainResult result = TrainJob.run(history, job, new BarProgress())) {
                stdout.println(result.summary());
            } catch (RuntimeException e) {
                if (schedule == null) {
                    throw e;
                }
                stderr.println("pulse train: round started " + started + " failed: " + e.getMessage());
            }
            stdout.flush();
            if (schedule != null) {
                stdout.printf("next round in %s (Ctrl-C to stop)%n", schedule);
                stdout.flush();
            }
        } while (schedule != null && !stop.await(schedule.toMillis(), TimeUnit.MILLISECONDS));
        return 0;
    }

    /** The simulated source's settings. */
    SimulationConfig simulation(Duration horizon) {
        SimulationConfig config = simulateTerminals.applyTo(SimulationConfig.defaults().withSeed(seed)
                .withUsers(simulateUsers).withChurnHorizon(horizon));
        return TerminalCompromiseOptions.withLabelDelay(config, fraudLabelDelay);
    }

    private History history(Duration horizon, PrintWriter stderr) {
        return switch (source) {
            case CSV -> CsvHistory.read(csv, ColumnMapping.parse(mapping));
            case SIMULATED -> History.of(SimulatedHistory.generate(simulation(horizon), Duration.ofDays(simulateDays)));
            case KAFKA -> {
                long[] records = {0};
                History history = new KafkaSnapshot(cluster.clientConfig(), Duration.ofSeconds(60))
                        .read(eventsTopic, labelsTopic, n -> records[0] = n);
                stderr.printf(Locale.ROOT, "read %d records from %s and %s at %s%s%n", records[0], eventsTopic,
                        labelsTopic, cluster.bootstrapServers(), history.skipped().isEmpty() ? ""
                                : "; skipped " + history.skipped());
                yield history;
            }
        };
    }

    /** One progress bar per epoch over its minibatches, on stderr. */
    private static final class BarProgress implements TrainingProgress {
        private ProgressBar bar;

        @Override
        public void epochStarted(int epoch, int maxEpochs, int batches) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, maxEpochs))
                    .setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUnit(" batches", 1)
                    .build();
        }

        @Override
        public void batchDone(int batch) {
            bar.stepTo(batch);
        }

        @Override
        public void epochDone(EpochResult result) {
            bar.setExtraMessage(String.format(Locale.ROOT, "train %.4f, validation %.4f%s", result.train().mean(),
                    result.validation().mean(), result.improved() ? " *" : ""));
            bar.close();
        }
    }
}

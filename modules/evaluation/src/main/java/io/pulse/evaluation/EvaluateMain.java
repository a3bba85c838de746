package io.pulse.evaluation;

import io.pulse.simulator.sequences.SequenceFormat;
import io.pulse.trainer.interest.NextItemModelReport;
import io.pulse.trainer.train.FraudTreesTrainer;
import io.pulse.trainer.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The evaluations' own entry point, with the commands and options of {@code ./pulse evaluate} (which runs this class
 * in a child JVM on this module's class path: the launcher has no compile dependency on the evaluations, whose
 * {@code topology-test-driver} mode needs Kafka Streams' test-utils, and the image ships without them).
 * {@code fraud-handbook}: the fraud data set's published prequential protocol run through the real pipeline (train
 * per fold, score online with delayed labels), results next to the published rows.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector \
 *     -cp "modules/evaluation/target/pulse-evaluation.jar:modules/evaluation/target/lib/*" \
 *     io.pulse.evaluation.EvaluateMain fraud-handbook --folds 1
 * </pre>
 */
@Command(name = "pulse evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate Pulse end to end against a published protocol.",
        subcommands = {EvaluateMain.FraudHandbook.class, EvaluateMain.NextItem.class})
public final class EvaluateMain implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: errors as one line saying what went wrong, as the launcher prints them. */
    static CommandLine commandLine() {
        return new CommandLine(new EvaluateMain()).setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("pulse " + cmd.getCommandName() + ": "
                    + ex.getMessage()));
            if (System.getenv("PULSE_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(set PULSE_DEBUG=1 for the stack trace)");
            }
            return 1;
        });
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The scoring modes, as typed on the command line. */
    enum Driver {
        BROKER(PipelineScorer.Mode.BROKER),
        TOPOLOGY_TEST_DRIVER(PipelineScorer.Mode.TOPOLOGY_TEST_DRIVER);

        final PipelineScorer.Mode mode;

        Driver(PipelineScorer.Mode mode) {
            this.mode = mode;
        }

        static Driver parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    @Command(name = "fraud-handbook", mixinStandardHelpOptions = true,
            description = {"The fraud data set's published protocol (handbook chapter 7): 4 prequential folds; per",
                    "fold, train with Pulse's trainer on what is known at training time, run the production topology",
                    "over the stream (labels delayed 7 days), read each test transaction's fraud score from the",
                    "pipeline's Prediction, and report AUC ROC, average precision and Card Precision@100 next to the",
                    "published rows. Trains with Deeplearning4j in this JVM (a batch job, not a pipeline process)."})
    static final class FraudHandbook implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--data", defaultValue = "../shared/datasets/fraud-transactions", paramLabel = "DIR",
                description = "The data set's directory of daily CSV files (default: ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--folds", defaultValue = "4", paramLabel = "N",
                description = "Folds to run, most recent first, 1..4 (default: ${DEFAULT-VALUE}).")
        int folds;

        @Option(names = "--first-fold", defaultValue = "0", paramLabel = "K",
                description = "The first fold run: 0 for the protocol's test folds 0..3 (the reported result), 4 or"
                        + " more for the same protocol shifted 4 or more weeks back, whose weeks all precede the test"
                        + " weeks: the folds on which settings are chosen (default: ${DEFAULT-VALUE}).")
        int firstFold;

        @Option(names = "--scores-out", paramLabel = "FILE",
                description = "Also write every assessed test transaction's score as CSV (fold, transaction, customer,"
                        + " day, fraud, scenario, score), for analysis.")
        Path scoresOut;

        @Option(names = "--driver", defaultValue = "topology-test-driver", paramLabel = "MODE",
                converter = DriverConverter.class,
                description = "How the topology runs: broker (a real local Kafka broker + Schema Registry,"
                        + " PulsePipeline, exactly-once) or topology-test-driver (the same topology in Kafka Streams'"
                        + " TopologyTestDriver, no broker; faster). Default: ${DEFAULT-VALUE}.")
        Driver driver;

        @Option(names = "--out", defaultValue = "benchmarks/FRAUD_HANDBOOK.md", paramLabel = "FILE",
                description = "Where to write the results (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--max-epochs", defaultValue = "6", paramLabel = "N",
                description = "Training epochs per fold at most (early stopping, patience 2;"
                        + " default: ${DEFAULT-VALUE}).")
        int maxEpochs;

        @Option(names = "--hidden", defaultValue = "32", paramLabel = "N",
                description = "LSTM units (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(names = "--validation-days", defaultValue = "2", paramLabel = "N",
                description = "Last days of the training week used for early stopping (default: ${DEFAULT-VALUE}).")
        int validationDays;

        @Option(names = "--entities", defaultValue = "none", paramLabel = "TYPES",
                description = "Entity state the model is trained with and the topology keeps: none, or terminal"
                        + " (key attr.terminal, windows of 1, 7 and 30 days, fraud labels 7 days late, daily"
                        + " cutoffs: the handbook's delayed terminal risk). Default: ${DEFAULT-VALUE}.")
        String entities;

        @Option(names = "--patience", defaultValue = "2", paramLabel = "N",
                description = "Stop after this many epochs without a better validation criterion (default:"
                        + " ${DEFAULT-VALUE}).")
        int patience;

        @Option(names = "--select-on", defaultValue = "loss", paramLabel = "CRITERION",
                description = "What picks the kept epoch on the validation days: loss (the mean log-loss over the"
                        + " heads) or fraud-ap (the fraud head's average precision). Default: ${DEFAULT-VALUE}.")
        String selectOn;

        @Option(names = "--warm-up-days", defaultValue = "30", paramLabel = "N",
                description = "Days of history before each training week: the stream and the trainer's replay start"
                        + " this long before it, so customer and entity windows (30 days at most) are warm"
                        + " (1..115; default: ${DEFAULT-VALUE}).")
        int warmUpDays;

        @Option(names = "--context-days", defaultValue = "0", paramLabel = "N", split = ",",
                description = "The first N days of the warm-up are context only: they warm the windows and the state,"
                        + " nothing is learned from them (0..the warm-up days). Several values train one model each"
                        + " per fold and keep the one with the best validation fraud average precision (default:"
                        + " ${DEFAULT-VALUE}).")
        List<Integer> contextDays;

        @Option(names = "--fraud-trees",
                description = "Also fit a gradient-boosted fraud head (XGBoost, on each step's input and LSTM state)"
                        + " per fold and serve it when it beats the LSTM's fraud head on the validation days.")
        boolean fraudTrees;

        @Override
        public Integer call() throws Exception {
            PrintWriter console = spec.commandLine().getOut();
            var entityTypes = HandbookEntities.parse(entities);
            var selection = TrainingConfig.Selection.of(selectOn);
            if (!Files.isDirectory(data)) {
                throw new IllegalArgumentException("no data set at " + data + " (--data DIR)");
            }
            var training = FraudHandbookEvaluation.Options.defaultTraining().withMaxEpochs(maxEpochs)
                    .withHiddenSize(hidden).withPatience(patience).withSelection(selection);
            String command = "./pulse evaluate fraud-handbook --data " + data
                    + (firstFold == 0 ? "" : " --first-fold " + firstFold) + " --folds " + folds + " --driver "
                    + driver.text() + " --max-epochs " + maxEpochs + " --patience " + patience + " --hidden " + hidden
                    + " --validation-days " + validationDays + " --select-on " + selectOn
                    + " --warm-up-days " + warmUpDays + " --context-days "
                    + contextDays.stream().map(String::valueOf).collect(Collectors.joining(","))
                    + (entityTypes.isEmpty() ? "" : " --entities "
                    + HandbookEntities.text(entityTypes)) + (fraudTrees ? " --fraud-trees" : "") + " --out " + out
                    + (scoresOut == null ? "" : " --scores-out " + scoresOut);
            Path work = Files.createTempDirectory("pulse-evaluate-");
            var options = new FraudHandbookEvaluation.Options(data, firstFold, folds, driver.mode, out, work, training,
                    validationDays, warmUpDays, contextDays, entityTypes, command,
                    fraudTrees ? FraudTreesTrainer.Settings.defaults() : null, scoresOut);
            console.println("pulse evaluate fraud-handbook: " + folds + " fold(s) from fold " + firstFold
                    + (options.testFolds() ? "" : " (weeks before the test folds, for choosing settings)")
                    + ", scoring with " + driver.text()
                    + ", entities: " + HandbookEntities.text(entityTypes));
            console.flush();
            var outcome = FraudHandbookEvaluation.run(options, line -> {
                console.println(line);
                console.flush();
            });
            var m = outcome.mean();
            console.printf(Locale.ROOT, "mean over %d fold(s): AUC ROC %.3f, average precision %.3f, Card Precision@100"
                    + " %.3f (%s); %.1f min%n", outcome.folds().size(), m.auc(), m.averagePrecision(),
                    m.cardPrecision100(), options.testFolds() ? "best published: 0.876, 0.687, 0.303"
                            : "validation folds: not comparable to the published rows", outcome.seconds() / 60);
            console.flush();
            return 0;
        }
    }

    @Command(name = "next-item", mixinStandardHelpOptions = true,
            description = {"The public sequential-recommendation protocol, scored from what the pipeline published:",
                    "leave-one-out (last item = test, the one before = validation), ranking over all items with the",
                    "user's history removed, HR and NDCG at 10 and 20 and category HR at 1 and 3. Trains with Pulse's",
                    "trainer on the training prefixes (hyperparameters, epoch and co-occurrence blend chosen on the",
                    "validation targets), replays every user's history but the test item through the production",
                    "topology, scores the recommendations published after the last history event, checks them",
                    "against the trainer's offline ranking, and runs the baselines on the same split."})
    static final class NextItem implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "FILE",
                description = "Sequences: one user per line followed by their items in order (`USER ITEM ITEM ...`),"
                        + " or one `USER ITEM` pair per line in order.")
        Path data;

        @Option(names = "--items", paramLabel = "FILE",
                description = "S3-Rec item-to-attributes JSON ({\"ITEM\": [ATTRIBUTE, ...]}): category paths for"
                        + " the next-category head (derived as io.pulse.simulator.sequences.ItemAttributesFile"
                        + " documents). Without it there are no categories.")
        Path items;

        @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
                description = "auto, user-per-line or pair-per-line (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--level", defaultValue = "2", paramLabel = "N",
                description = "Category level predicted (default: ${DEFAULT-VALUE}).")
        int level;

        @Option(names = "--out", defaultValue = "benchmarks/NEXT_ITEM.md", paramLabel = "FILE",
                description = "Where to write the results (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--hidden", defaultValue = "128", paramLabel = "N",
                description = "LSTM units (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(names = "--item-dim", defaultValue = "64", paramLabel = "N",
                description = "Item embedding size (default: ${DEFAULT-VALUE}).")
        int itemDim;

        @Option(names = "--category-dim", defaultValue = "8", paramLabel = "N",
                description = "Category embedding size (default: ${DEFAULT-VALUE}).")
        int categoryDim;

        @Option(names = "--dropout", defaultValue = "0.4", paramLabel = "P",
                description = "Input dropout on the LSTM (default: ${DEFAULT-VALUE}).")
        double dropout;

        @Option(names = "--lr", defaultValue = "0.02", paramLabel = "RATE",
                description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--max-epochs", defaultValue = "30", paramLabel = "N",
                description = "Training epochs at most (early stopping on validation NDCG@10, patience 3;"
                        + " default: ${DEFAULT-VALUE}).")
        int maxEpochs;

        @Option(names = "--max-minutes", defaultValue = "40", paramLabel = "M",
                description = "Training time budget: no epoch starts after it (default: ${DEFAULT-VALUE}).")
        double maxMinutes;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--lr-plateau-factor", defaultValue = "0.5", paramLabel = "F",
                description = "Multiply the learning rate by F after every epoch whose validation NDCG@10 is not the"
                        + " best so far (1: constant; default: ${DEFAULT-VALUE}).")
        double plateauFactor;

        @Option(names = "--tie-items",
                description = "Tie the item embedding to the next-item head (one item vector read and scored"
                        + " against; needs --item-dim equal to --hidden).")
        boolean tieItems;

        @Override
        public Integer call() throws Exception {
            PrintWriter console = spec.commandLine().getOut();
            if (!Files.isRegularFile(data)) {
                throw new IllegalArgumentException("no sequence file at " + data + " (--data FILE)");
            }
            if (items != null && !Files.isRegularFile(items)) {
                throw new IllegalArgumentException("no item file at " + items + " (--items FILE)");
            }
            var settings = new NextItemModelReport.Settings(hidden, itemDim, categoryDim, dropout, learningRate, 0,
                    maxEpochs, 3, 50, 2048, seed, maxMinutes, tieItems, plateauFactor);
            if (tieItems && itemDim != hidden) {
                throw new IllegalArgumentException("--tie-items needs --item-dim equal to --hidden, were " + itemDim
                        + " and " + hidden);
            }
            String command = "./pulse evaluate next-item --data " + data + (items == null ? "" : " --items " + items)
                    + " --level " + level + " --hidden " + hidden + " --item-dim " + itemDim + " --category-dim "
                    + categoryDim + " --dropout " + dropout + " --lr " + learningRate + " --max-epochs " + maxEpochs
                    + " --max-minutes " + maxMinutes
                    + (plateauFactor < 1 ? " --lr-plateau-factor " + plateauFactor : "") + " --seed " + seed
                    + (tieItems ? " --tie-items" : "") + " --out " + out;
            Path work = Files.createTempDirectory("pulse-evaluate-");
            var options = new NextItemEvaluation.Options(data, items, SequenceFormat.valueOf(format.trim()
                    .toUpperCase(Locale.ROOT).replace('-', '_')), level, settings, out, work, command);
            console.println("pulse evaluate next-item: " + data);
            console.flush();
            var outcome = NextItemEvaluation.run(options, line -> {
                console.println(line);
                console.flush();
            });
            console.printf(Locale.ROOT, "published by the pipeline: HR@10 %.4f, NDCG@10 %.4f (best published: 0.0928,"
                    + " 0.0531); next category HR@3 %.4f; pipeline = offline top-20 for %.2f %% of users; %.1f min;"
                    + " written to %s%n", outcome.published().hitRate(10), outcome.published().ndcg(10),
                    outcome.publishedCategories().hitRate(3), 100 * outcome.agreement(), outcome.seconds() / 60, out);
            console.flush();
            return 0;
        }
    }

    /** Accepts broker / topology-test-driver, any case. */
    static final class DriverConverter implements ITypeConverter<Driver> {
        @Override
        public Driver convert(String value) {
            return Driver.parse(value);
        }
    }
}

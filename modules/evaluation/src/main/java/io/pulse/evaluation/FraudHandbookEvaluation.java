package io.pulse.evaluation;

import io.pulse.contracts.schema.Contracts;
import io.pulse.model.EntityWindowSpec;
import io.pulse.trainer.train.EpochResult;
import io.pulse.trainer.train.FraudTreesTrainer;
import io.pulse.trainer.train.TrainingConfig;
import io.pulse.trainer.train.TrainingProgress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code pulse evaluate fraud-handbook}: the fraud data set's published prequential protocol run through Pulse.
 * Per fold: train with Pulse's trainer on what is known at the fold's training time, run the production topology
 * over the stream from the warm-up start to the end of the test week (labels delayed 7 days), take each test
 * transaction's fraud score from the {@code Prediction} the pipeline published when it arrived, and assess it with
 * the handbook's rules ({@link HandbookMetrics}). The results go to a Markdown file next to the published rows.
 */
public final class FraudHandbookEvaluation {

    /** Everything the run needs. */
    public record Options(Path dataDir, int firstFold, int folds, PipelineScorer.Mode mode, Path out, Path workDir,
            TrainingConfig training, int validationDays, int warmUpDays, List<Integer> contextDays,
            List<EntityWindowSpec> entities, String command, FraudTreesTrainer.Settings fraudTrees, Path scoresOut) {

        /**
         * The protocol's test folds 0..folds-1, without a gradient-boosted fraud head, with the default warm-up
         * ({@link HandbookFold#WARM_UP_DAYS}).
         */
        public Options(Path dataDir, int folds, PipelineScorer.Mode mode, Path out, Path workDir,
                TrainingConfig training, int validationDays, List<Integer> contextDays,
                List<EntityWindowSpec> entities, String command) {
            this(dataDir, 0, folds, mode, out, workDir, training, validationDays, HandbookFold.WARM_UP_DAYS,
                    contextDays, entities, command, null, null);
        }

        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            entities = List.copyOf(entities);
            if (folds < 1 || folds > HandbookFold.TEST_FOLDS) {
                throw new IllegalArgumentException("the protocol has 4 folds; --folds must be 1..4, got " + folds);
            }
            if (firstFold < 0 || firstFold < HandbookFold.TEST_FOLDS && firstFold + folds > HandbookFold.TEST_FOLDS) {
                throw new IllegalArgumentException("--first-fold must be 0.." + (HandbookFold.TEST_FOLDS - folds)
                        + " (the protocol's test folds 0..3) or at least 4 (earlier weeks, for choosing settings):"
                        + " a run does not mix the two; got " + firstFold + " with --folds " + folds);
            }
            if (validationDays < 1 || validationDays >= HandbookFold.TRAIN_DAYS) {
                throw new IllegalArgumentException("validation days must be 1..6, got " + validationDays);
            }
            int lastFold = firstFold + folds - 1;
            int maxWarmUp = HandbookFold.maxWarmUpDays(lastFold);
            if (warmUpDays < 1 || warmUpDays > maxWarmUp) {
                throw new IllegalArgumentException("warm-up days must be 1.." + maxWarmUp + " for fold " + lastFold
                        + " (the data set starts " + HandbookFold.FIRST_DAY + "), got " + warmUpDays);
            }
            contextDays = List.copyOf(contextDays);
            if (contextDays.isEmpty() || contextDays.stream().distinct().count() != contextDays.size()
                    || contextDays.stream().anyMatch(d -> d < 0 || d > warmUpDays)) {
                throw new IllegalArgumentException("context days must be distinct values in 0.." + warmUpDays
                        + " (the warm-up), got " + contextDays);
            }
        }

        /** Whether the run is on the protocol's test folds (0..3), the only ones comparable to the published rows. */
        public boolean testFolds() {
            return firstFold < HandbookFold.TEST_FOLDS;
        }

        /** Bounded training for 2 cores: hidden 32, up to 6 epochs, patience 2, batches of 64 chunks of 50 steps. */
        public static TrainingConfig defaultTraining() {
            return TrainingConfig.defaults().withHiddenSize(32).withMaxEpochs(6).withPatience(2)
                    .withChurnHorizon(Duration.ofDays(7));
        }
    }

    /**
     * One trained candidate of a fold: its context days and the validation fraud average precision of the fraud head
     * it serves — the kept epoch's, or the gradient-boosted trees' when they beat it (what chooses among the
     * candidates).
     */
    public record Candidate(int contextDays, double validationAveragePrecision, int bestEpoch, int epochs,
            double trainSeconds) {

        static Candidate of(int contextDays, FoldTrainer.Trained trained, double seconds) {
            var network = trained.network();
            return new Candidate(contextDays, trained.servedValidationAveragePrecision(), network.bestEpoch(),
                    network.epochs().size(), seconds);
        }
    }

    /** One fold's outcome; {@code trained} is the chosen candidate's model. */
    public record FoldOutcome(HandbookFold fold, HandbookMetrics.Result result, List<HandbookScenarios.Row> scenarios,
            HandbookScenarios.TerminalSplit terminalSplit, FoldTrainer.Trained trained, List<Candidate> candidates,
            Candidate chosen, long streamEvents, double trainSeconds, double scoreSeconds) {
    }

    /** The whole run. */
    public record Outcome(Options options, List<FoldOutcome> folds, HandbookMetrics.Result mean, String scoring,
            Instant started, double seconds) {
    }

    private FraudHandbookEvaluation() {
    }

    public static Outcome run(Options options, Consumer<String> progress) throws Exception {
        Contracts.trustGeneratedClasses();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        List<HandbookFold> folds = HandbookFold.range(options.firstFold(), options.folds(), options.warmUpDays());
        LocalDate from = folds.get(folds.size() - 1).warmUpStart();
        LocalDate to = folds.get(0).testEnd();
        progress.accept("reading " + from + " … " + to.minusDays(1) + " from " + options.dataDir());
        HandbookData data = HandbookData.read(options.dataDir(), from, to);
        progress.accept(String.format(Locale.ROOT, "  %,d transactions", data.records().size()));

        List<FoldOutcome> outcomes = new ArrayList<>();
        String scoring;
        try (PipelineScorer scorer = options.mode() == PipelineScorer.Mode.BROKER
                ? new BrokerScorer(options.workDir(), options.entities(), progress)
                : new DriverScorer(options.workDir(), options.entities());
                HandbookScores scoresOut = options.scoresOut() == null ? null
                        : HandbookScores.create(options.scoresOut())) {
            scoring = scorer.describe();
            for (HandbookFold fold : folds) {
                progress.accept(fold.toString());
                long tTrain = System.nanoTime();
                // one model per candidate; the fold keeps the one with the best validation fraud AP (the test week
                // plays no part in the choice)
                List<Candidate> candidates = new ArrayList<>();
                FoldTrainer.Trained trained = null;
                Candidate chosen = null;
                for (int contextDays : options.contextDays()) {
                    long t = System.nanoTime();
                    FoldTrainer.Trained model = FoldTrainer.train(data, fold, options.training(),
                            options.validationDays(), contextDays, "pulse-lstm", options.entities(),
                            options.fraudTrees(), epochProgress(progress));
                    if (model.fraudTrees() != null) {
                        var trees = model.fraudTrees();
                        progress.accept(String.format(Locale.ROOT, "  fraud trees: %d trees, validation fraud AP"
                                + " %.4f vs %.4f for the linear head: %s", trees.trees().trees(),
                                trees.treesValidationAp(), trees.headValidationAp(),
                                trees.beatsHead() ? "served" : "not served"));
                    }
                    Candidate candidate = Candidate.of(contextDays, model, (System.nanoTime() - t) / 1e9);
                    candidates.add(candidate);
                    progress.accept(String.format(Locale.ROOT, "  context days %d: best epoch %d of %d, validation"
                            + " fraud AP %.4f, %.0f s", contextDays, candidate.bestEpoch(), candidate.epochs(),
                            candidate.validationAveragePrecision(), candidate.trainSeconds()));
                    if (chosen == null || candidate.validationAveragePrecision() > chosen.validationAveragePrecision()) {
                        chosen = candidate;
                        trained = model;
                    }
                }
                double trainSeconds = (System.nanoTime() - tTrain) / 1e9;
                progress.accept(String.format(Locale.ROOT, "  trained %s in %.0f s; kept context days %d",
                        trained.bundle().getVersion(), trainSeconds, chosen.contextDays()));

                int[] testRange = data.range(fold.testStart(), fold.testEnd());
                Set<String> wanted = new HashSet<>();
                for (int i = testRange[0]; i < testRange[1]; i++) {
                    wanted.add(data.transactions().get(i).eventId());
                }
                long tScore = System.nanoTime();
                Map<String, Double> scores = scorer.score(data, fold, trained.bundle(), wanted, progress);
                double scoreSeconds = (System.nanoTime() - tScore) / 1e9;

                int[] fromTrain = data.range(fold.trainStart(), fold.testEnd());
                List<Transaction> test = HandbookMetrics.testSet(
                        data.transactions().subList(fromTrain[0], fromTrain[1]), fold);
                List<HandbookMetrics.Scored> scored = HandbookMetrics.join(test, scores);
                HandbookMetrics.Result result = HandbookMetrics.assess(scored);
                if (scoresOut != null) {
                    scoresOut.append(fold, scored);
                }
                progress.accept(String.format(Locale.ROOT,
                        "  fold %d: AUC %.3f, AP %.3f, CP@100 %.3f (%,d test transactions, %,d frauds; scored in %.0f s)",
                        fold.index(), result.auc(), result.averagePrecision(), result.cardPrecision100(),
                        result.transactions(), result.frauds(), scoreSeconds));
                var split = HandbookScenarios.terminalSplit(scored);
                progress.accept(String.format(Locale.ROOT, "  information ceiling AUC %.3f: %d of %d compromised-terminal"
                        + " frauds unrevealed (no label of the compromise yet; AUC %.3f), %d revealed (AUC %.3f)",
                        split.ceilingAuc(), split.unrevealed(), split.unrevealed() + split.revealed(),
                        split.unrevealedAuc(), split.revealed(), split.revealedAuc()));
                outcomes.add(new FoldOutcome(fold, result, HandbookScenarios.assess(scored), split, trained,
                        candidates,
                        chosen, ScoringStream.size(data, fold), trainSeconds, scoreSeconds));
            }
        }
        HandbookMetrics.Result mean = HandbookMetrics.Result.mean(outcomes.stream().map(FoldOutcome::result).toList());
        Outcome outcome = new Outcome(options, outcomes, mean, scoring, started, (System.nanoTime() - t0) / 1e9);
        if (options.scoresOut() != null) {
            progress.accept("wrote " + options.scoresOut());
        }
        if (options.out() != null) {
            HandbookReport.write(outcome, options.out());
            progress.accept("wrote " + options.out());
        }
        return outcome;
    }

    private static TrainingProgress epochProgress(Consumer<String> progress) {
        return new TrainingProgress() {
            @Override
            public void epochDone(EpochResult r) {
                progress.accept(String.format(Locale.ROOT,
                        "  epoch %d: train loss %.4f (fraud %.4f), validation loss %.4f (fraud %.4f, AP %.3f)%s,"
                        + " %.0f s", r.epoch(), r.train().mean(), r.train().fraud(), r.validation().mean(),
                        r.validation().fraud(), r.validationFraudAveragePrecision(), r.improved() ? " *" : "",
                        r.seconds()));
            }
        };
    }
}

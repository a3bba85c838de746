package io.pulse.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.contracts.schema.Contracts;
import io.pulse.model.FeatureSpec;
import io.pulse.pipeline.PulseConfig;
import io.pulse.trainer.train.TrainingConfig;
import io.pulse.trainer.train.TrainingProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handbook evaluation's training and scoring code on a tiny handbook-shaped data set (from fold 4's history to
 * fold 0's test week, six customers, two terminals, the second compromised from the fifth day on: every transaction
 * there is a fraud), with and without the terminal entity.
 */
class HandbookEntitiesTest {

    private static final HandbookFold FOLD = HandbookFold.of(0);
    /** The earliest day written: fold 4's history, with the default warm-up. */
    private static final LocalDate FIRST_DAY = HandbookFold.of(4).warmUpStart();
    private static final TrainingConfig TRAINING = TrainingConfig.defaults().withHiddenSize(4).withMaxEpochs(1)
            .withChurnHorizon(Duration.ofDays(7)).withSeed(7);
    private static final TrainingProgress QUIET = TrainingProgress.NONE;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @TempDir
    static Path dir;

    private static HandbookData data;

    @BeforeAll
    static void writeDataSet() throws IOException {
        Contracts.trustGeneratedClasses();
        Path days = Files.createDirectories(dir.resolve("data"));
        Random random = new Random(42);
        LocalDate compromised = FIRST_DAY.plusDays(4);
        int id = 0;
        for (LocalDate day = FIRST_DAY; day.isBefore(FOLD.testEnd()); day = day.plusDays(1)) {
            StringBuilder csv = new StringBuilder(
                    ",TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,"
                            + "TX_FRAUD,TX_FRAUD_SCENARIO\n");
            for (int slot = 0; slot < 12; slot++) {
                int customer = slot % 6;
                int terminal = (customer + slot / 6 + day.getDayOfMonth()) % 2;
                boolean fraud = terminal == 1 && !day.isBefore(compromised);
                LocalDateTime at = day.atTime(1 + slot, random.nextInt(60), random.nextInt(60));
                csv.append(id).append(',').append(id).append(',').append(TIME.format(at)).append(',')
                        .append(customer).append(',').append(terminal).append(',')
                        .append(String.format(Locale.ROOT, "%.2f", 10 + 90 * random.nextDouble())).append(",0,0,")
                        .append(fraud ? 1 : 0).append(',').append(fraud ? 2 : 0).append('\n');
                id++;
            }
            Files.writeString(days.resolve(day + ".csv"), csv);
        }
        data = HandbookData.read(days, FOLD.warmUpStart(), FOLD.testEnd());
    }

    private static Set<String> testIds() {
        int[] range = data.range(FOLD.testStart(), FOLD.testEnd());
        Set<String> wanted = new HashSet<>();
        for (int i = range[0]; i < range[1]; i++) {
            wanted.add(data.transactions().get(i).eventId());
        }
        return wanted;
    }

    @Test
    void shouldTrainABundleWhoseSpecDeclaresTheTerminal() {
        FoldTrainer.Trained trained = FoldTrainer.train(data, FOLD, TRAINING, 2, 0, "pulse-lstm",
                HandbookEntities.parse("terminal"), QUIET);

        FeatureSpec spec = FeatureSpec.fromJson(trained.bundle().getFeatureSpec());
        assertThat(spec.entities()).containsExactly(HandbookEntities.TERMINAL);
        assertThat(spec.names()).containsSequence(HandbookEntities.TERMINAL.featureNames())
                .hasSize(FeatureSpec.v1().inputSize() + HandbookEntities.TERMINAL.featureNames().size());
        assertThat(trained.bundle().getProvenance().getConfig()).containsKey("entities");
    }

    @Test
    void shouldKeepTheFraudTargetsWhenLabelsArriveLateForTheEntities() {
        FoldTrainer.Trained with = FoldTrainer.train(data, FOLD, TRAINING, 2, 0, "pulse-lstm",
                HandbookEntities.parse("terminal"), QUIET);
        FoldTrainer.Trained without = FoldTrainer.train(data, FOLD, TRAINING, 2, "pulse-lstm", QUIET);

        // every fraud of the training and validation weeks is a target in both (trained at the test week's start)
        assertThat(with.train().fraudPositives()).isPositive().isEqualTo(without.train().fraudPositives());
        assertThat(with.validation().fraudPositives()).isPositive()
                .isEqualTo(without.validation().fraudPositives());
        assertThat(with.train().fraudLabels()).isEqualTo(without.train().fraudLabels());
    }

    @Test
    void shouldTrainAsBeforeWithoutEntities() {
        FoldTrainer.Trained trained = FoldTrainer.train(data, FOLD, TRAINING, 2, 0, "pulse-lstm",
                HandbookEntities.parse("none"), QUIET);

        FeatureSpec spec = FeatureSpec.fromJson(trained.bundle().getFeatureSpec());
        assertThat(spec.hasEntities()).isFalse();
        assertThat(spec.names()).isEqualTo(FeatureSpec.v1().names());
        assertThat(trained.bundle().getProvenance().getConfig()).doesNotContainKey("entities");
    }

    @Test
    void shouldScoreEveryTestTransactionThroughTheTopologyWithTheTerminal() throws Exception {
        var entities = HandbookEntities.parse("terminal");
        FoldTrainer.Trained trained = FoldTrainer.train(data, FOLD, TRAINING, 2, 0, "pulse-lstm", entities, QUIET);
        Set<String> wanted = testIds();

        Map<String, Double> scores;
        try (DriverScorer scorer = new DriverScorer(Files.createDirectories(dir.resolve("with")), entities)) {
            // DriverScorer.adopt throws unless the topology adopted the bundle: config and spec agree
            scores = scorer.score(data, FOLD, trained.bundle(), wanted, line -> { });
            assertThat(scorer.describe()).contains("terminal");
        }

        assertThat(wanted).hasSize(7 * 12);
        assertThat(scores.keySet()).isEqualTo(wanted);
        assertThat(scores.values()).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
    }

    @Test
    void shouldRefuseTheEntityModelInATopologyWithoutTheTerminal() {
        FoldTrainer.Trained trained = FoldTrainer.train(data, FOLD, TRAINING, 2, 0, "pulse-lstm",
                HandbookEntities.parse("terminal"), QUIET);

        assertThatThrownBy(() -> {
            try (DriverScorer scorer = new DriverScorer(Files.createDirectories(dir.resolve("refused")))) {
                scorer.score(data, FOLD, trained.bundle(), testIds(), line -> { });
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("did not adopt");
    }

    @Test
    void shouldScoreAsBeforeWithoutEntities() throws Exception {
        FoldTrainer.Trained trained = FoldTrainer.train(data, FOLD, TRAINING, 2, "pulse-lstm", QUIET);
        Set<String> wanted = testIds();

        Map<String, Double> scores;
        try (DriverScorer scorer = new DriverScorer(Files.createDirectories(dir.resolve("without")))) {
            scores = scorer.score(data, FOLD, trained.bundle(), wanted, line -> { });
            assertThat(scorer.describe()).doesNotContain("entit");
        }

        assertThat(scores.keySet()).isEqualTo(wanted);
    }

    @Test
    void shouldRunAnEarlierWeekForChoosingSettingsAndReportItApartFromThePublishedRows() throws Exception {
        Path out = dir.resolve("validation.md");
        var options = new FraudHandbookEvaluation.Options(dir.resolve("data"), 4, 1,
                PipelineScorer.Mode.TOPOLOGY_TEST_DRIVER, out, Files.createDirectories(dir.resolve("work4")), TRAINING,
                2, HandbookFold.WARM_UP_DAYS, List.of(0), HandbookEntities.parse("terminal"), "test", null, null);

        FraudHandbookEvaluation.Outcome outcome = FraudHandbookEvaluation.run(options, line -> { });

        var fold = outcome.folds().get(0);
        assertThat(fold.fold().index()).isEqualTo(4);
        assertThat(fold.fold().testEnd()).isBeforeOrEqualTo(FOLD.trainStart());
        assertThat(fold.terminalSplit().revealed() + fold.terminalSplit().unrevealed())
                .as("every test fraud here is the compromised terminal's").isEqualTo(fold.result().frauds());
        assertThat(Files.readString(out)).startsWith("# Fraud handbook protocol, validation fold 4, run through")
                .contains("not comparable to the published rows").doesNotContain("(published)")
                .contains("### What the data allows");
    }

    @Test
    void shouldPutTheSameDefinitionInThePipelineConfig() {
        Map<String, Object> c = new HashMap<>(HandbookEntities.config(HandbookEntities.parse("terminal")));
        c.put(PulseConfig.BOOTSTRAP_SERVERS, "localhost:9092");
        c.put(PulseConfig.SCHEMA_REGISTRY_URL, "mock://entities");

        assertThat(new PulseConfig(c).entities()).containsExactly(HandbookEntities.TERMINAL);
        assertThat(HandbookEntities.config(List.of())).isEmpty();
        assertThatThrownBy(() -> HandbookEntities.parse("merchant")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepPerFoldTheContextCandidateWithTheBestValidationFraudApAndReportEachScenario() throws Exception {
        Path out = dir.resolve("report.md");
        Path scores = dir.resolve("scores.csv");
        var options = new FraudHandbookEvaluation.Options(dir.resolve("data"), 0, 1,
                PipelineScorer.Mode.TOPOLOGY_TEST_DRIVER, out, Files.createDirectories(dir.resolve("work")), TRAINING,
                2, HandbookFold.WARM_UP_DAYS, List.of(0, 14), HandbookEntities.parse("terminal"), "test", null,
                scores);

        FraudHandbookEvaluation.Outcome outcome = FraudHandbookEvaluation.run(options, line -> { });

        var fold = outcome.folds().get(0);
        assertThat(fold.candidates()).extracting(FraudHandbookEvaluation.Candidate::contextDays)
                .containsExactly(0, 14);
        double best = fold.candidates().stream()
                .mapToDouble(FraudHandbookEvaluation.Candidate::validationAveragePrecision).max().orElseThrow();
        assertThat(fold.chosen().validationAveragePrecision()).isEqualTo(best).isBetween(0.0, 1.0);
        assertThat(fold.trained().bundle().getProvenance().getConfig().getOrDefault("contextDays", "0"))
                .isEqualTo(Integer.toString(fold.chosen().contextDays()));
        // every test fraud here is the compromised terminal's (scenario 2)
        assertThat(fold.scenarios()).extracting(HandbookScenarios.Row::frauds)
                .containsExactly(0L, fold.result().frauds(), 0L);
        assertThat(Files.readString(out)).contains("## What Pulse catches, per fraud scenario")
                .contains("| 2. compromised terminal | " + fold.result().frauds() + " |");
        List<String> rows = Files.readAllLines(scores);
        assertThat(rows.get(0)).isEqualTo(HandbookScores.HEADER);
        assertThat(rows.subList(1, rows.size())).as("one row per assessed test transaction")
                .hasSize((int) fold.result().transactions())
                .allMatch(row -> row.startsWith("0,"))
                .filteredOn(row -> row.split(",")[4].equals("1")).hasSize((int) fold.result().frauds())
                .allMatch(row -> row.split(",")[5].equals("2"), "a fraud of the compromised terminal");
    }
}

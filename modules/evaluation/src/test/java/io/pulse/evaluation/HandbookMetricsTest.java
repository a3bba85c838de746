package io.pulse.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandbookMetricsTest {

    private static final HandbookFold FOLD = HandbookFold.of(0); // train 08-15…08-21, test 08-29…09-04

    private static Transaction tx(String id, String customer, String day, int fraud) {
        return new Transaction(id, customer, LocalDate.parse(day), fraud);
    }

    @Test
    void shouldDefineTheFoldsOfThePublishedProtocol() {
        assertThat(HandbookFold.of(0).testStart()).isEqualTo(LocalDate.of(2018, 8, 29));
        assertThat(HandbookFold.of(0).testEnd()).isEqualTo(LocalDate.of(2018, 9, 5));
        assertThat(HandbookFold.of(3).trainStart()).isEqualTo(LocalDate.of(2018, 7, 25));
        assertThat(HandbookFold.of(3).testStart()).isEqualTo(LocalDate.of(2018, 8, 8));
        assertThat(HandbookFold.of(3).warmUpStart()).isEqualTo(LocalDate.of(2018, 6, 25));
    }

    @Test
    void shouldStartTheHistoryTheChosenWarmUpBeforeTheTrainingWeekAndKeepContextDaysInsideIt() {
        assertThat(HandbookFold.of(3, 60).warmUpStart()).isEqualTo(LocalDate.of(2018, 5, 26));
        assertThat(HandbookFold.range(0, 2, 60)).extracting(HandbookFold::warmUpDays).containsExactly(60, 60);
        assertThat(HandbookFold.maxWarmUpDays(3)).isEqualTo(115);
        assertThat(HandbookFold.of(3, HandbookFold.maxWarmUpDays(3)).warmUpStart())
                .as("the data set's first day").isEqualTo(LocalDate.of(2018, 4, 1));
        assertThatThrownBy(() -> options(0, 4, 20, List.of(0, 30))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..20");
        assertThatThrownBy(() -> options(0, 4, 116, List.of(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..115 for fold 3");
        assertThatThrownBy(() -> options(4, 4, 88, List.of(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..87 for fold 7");
        assertThatThrownBy(() -> HandbookFold.of(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRunEitherTheProtocolsTestFoldsOrEarlierWeeksForChoosingSettingsNeverAMix() {
        assertThat(HandbookFold.range(4, 4, 60)).extracting(HandbookFold::index).containsExactly(4, 5, 6, 7);
        assertThat(HandbookFold.of(4).testEnd()).as("fold 4's test week ends where the last test fold's test week starts")
                .isEqualTo(HandbookFold.of(3).testStart());
        assertThat(options(4, 4, 60, List.of(30)).testFolds()).isFalse();
        assertThat(options(0, 4, 60, List.of(30)).testFolds()).isTrue();
        assertThat(options(3, 1, 60, List.of(30)).testFolds()).isTrue();
        assertThatThrownBy(() -> options(2, 4, 60, List.of(30))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not mix");
        assertThatThrownBy(() -> options(-1, 1, 60, List.of(30))).isInstanceOf(IllegalArgumentException.class);
    }

    private static FraudHandbookEvaluation.Options options(int firstFold, int folds, int warmUpDays,
            List<Integer> contextDays) {
        Path dir = Path.of("data");
        return new FraudHandbookEvaluation.Options(dir, firstFold, folds, PipelineScorer.Mode.TOPOLOGY_TEST_DRIVER,
                dir, dir, FraudHandbookEvaluation.Options.defaultTraining(), 2, warmUpDays, contextDays, List.of(), "x",
                null, null);
    }

    @Test
    void shouldExcludeCardsKnownCompromisedByEachTestDay() {
        List<Transaction> all = List.of(
                tx("1", "train-fraud", "2018-08-16", 1),      // training week: excluded from every test day
                tx("2", "delay-fraud", "2018-08-23", 1),      // known from 08-31 (= 08-23 + 8) on
                tx("3", "late-fraud", "2018-08-28", 1),       // known only from 09-05: never excluded
                tx("4", "before-train", "2018-08-10", 1),     // before the training week: not counted
                tx("t1", "train-fraud", "2018-08-29", 0),
                tx("t2", "delay-fraud", "2018-08-30", 1),
                tx("t3", "delay-fraud", "2018-08-31", 1),
                tx("t4", "late-fraud", "2018-09-04", 1),
                tx("t5", "before-train", "2018-08-29", 0),
                tx("t6", "clean", "2018-09-01", 0));

        List<Transaction> test = HandbookMetrics.testSet(all, FOLD);

        assertThat(test).extracting(Transaction::eventId).containsExactly("t5", "t2", "t6", "t4");
        assertThat(HandbookMetrics.knownCompromised(all, FOLD.trainStart(), LocalDate.of(2018, 8, 30), 7))
                .containsExactly("train-fraud");
        assertThat(HandbookMetrics.knownCompromised(all, FOLD.trainStart(), LocalDate.of(2018, 8, 31), 7))
                .containsExactlyInAnyOrder("train-fraud", "delay-fraud");
    }

    @Test
    void shouldComputeCardPrecisionPerDayFromEachCardsMaximumScoreAndLabel() {
        List<HandbookMetrics.Scored> scored = new ArrayList<>();
        // day 1: card a has one fraud (low score) and one genuine (high score): max score 0.9, max label 1
        scored.add(new HandbookMetrics.Scored(tx("a1", "a", "2018-08-29", 1), 0.2));
        scored.add(new HandbookMetrics.Scored(tx("a2", "a", "2018-08-29", 0), 0.9));
        scored.add(new HandbookMetrics.Scored(tx("b1", "b", "2018-08-29", 0), 0.8));
        scored.add(new HandbookMetrics.Scored(tx("c1", "c", "2018-08-29", 1), 0.1));
        // day 2: a again (fraud, top score), d genuine
        scored.add(new HandbookMetrics.Scored(tx("a3", "a", "2018-08-30", 1), 0.95));
        scored.add(new HandbookMetrics.Scored(tx("d1", "d", "2018-08-30", 0), 0.5));

        // k = 2. Day 1 top 2: a (fraud), b -> 1/2. Day 2 without removal: a, d -> 1/2
        assertThat(HandbookMetrics.cardPrecisionAtK(scored, 2, false)).isCloseTo(0.5, within(1e-12));
        // with removal, a was detected on day 1 and is left out on day 2: top 2 = d only -> 0/2
        assertThat(HandbookMetrics.cardPrecisionAtK(scored, 2, true)).isCloseTo(0.25, within(1e-12));
        // k larger than the number of cards still divides by k: day 1 (a, c) / 3, day 2 a / 3
        assertThat(HandbookMetrics.cardPrecisionAtK(scored, 3, false)).isCloseTo((2 / 3.0 + 1 / 3.0) / 2,
                within(1e-12));
    }

    @Test
    void shouldAssessAucAndAveragePrecisionOverTheTestTransactions() {
        List<HandbookMetrics.Scored> scored = List.of(
                new HandbookMetrics.Scored(tx("1", "a", "2018-08-29", 1), 0.9),
                new HandbookMetrics.Scored(tx("2", "b", "2018-08-29", 0), 0.8),
                new HandbookMetrics.Scored(tx("3", "c", "2018-08-29", 1), 0.7),
                new HandbookMetrics.Scored(tx("4", "d", "2018-08-29", 0), 0.1));

        HandbookMetrics.Result result = HandbookMetrics.assess(scored);

        assertThat(result.auc()).isCloseTo(0.75, within(1e-12));
        assertThat(result.averagePrecision()).isCloseTo((1.0 + 2 / 3.0) / 2, within(1e-12));
        assertThat(result.frauds()).isEqualTo(2);
        assertThat(result.compromisedCards()).isEqualTo(2);
    }
}

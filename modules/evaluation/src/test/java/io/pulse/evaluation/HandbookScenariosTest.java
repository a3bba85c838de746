package io.pulse.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-scenario breakdown on a hand-computed example, and the scenario column read beside the events. */
class HandbookScenariosTest {

    private static HandbookMetrics.Scored scored(String id, String card, String day, int scenario, double score) {
        return new HandbookMetrics.Scored(new Transaction(id, card, LocalDate.parse(day), scenario == 0 ? 0 : 1,
                scenario, false), score);
    }

    @Test
    void shouldRankEachScenariosFraudsAgainstTheGenuineAndCountItsCardDaysInTheDailyQueue() {
        List<HandbookMetrics.Scored> test = List.of(
                scored("1", "A", "2018-09-01", 2, 0.9), // day 1 queue (1 card): A
                scored("2", "B", "2018-09-01", 0, 0.5),
                scored("3", "C", "2018-09-01", 3, 0.1),
                scored("4", "A", "2018-09-02", 2, 0.2), // day 2 queue: B
                scored("5", "B", "2018-09-02", 0, 0.8));

        List<HandbookScenarios.Row> rows = HandbookScenarios.assess(test, 1);

        assertThat(rows).extracting(HandbookScenarios.Row::scenario).containsExactly(1, 2, 3);
        HandbookScenarios.Row amount = rows.get(0);
        assertThat(amount.frauds()).isZero();
        assertThat(amount.auc()).isNaN();
        assertThat(amount.caughtShare()).isNaN();
        // terminal: frauds 0.9 and 0.2 against genuine 0.5 and 0.8 win 2 of 4 pairs; card-days A/1 (queued), A/2 (not)
        HandbookScenarios.Row terminal = rows.get(1);
        assertThat(terminal.frauds()).isEqualTo(2);
        assertThat(terminal.cardDays()).isEqualTo(2);
        assertThat(terminal.auc()).isEqualTo(0.5);
        assertThat(terminal.caughtShare()).isEqualTo(0.5);
        // leaked card: 0.1 loses to both genuine scores, and C is not queued
        HandbookScenarios.Row card = rows.get(2);
        assertThat(card.auc()).isEqualTo(0.0);
        assertThat(card.caughtShare()).isEqualTo(0.0);

        List<HandbookScenarios.Row> mean = HandbookScenarios.mean(List.of(rows, rows));
        assertThat(mean.get(1).frauds()).isEqualTo(4);
        assertThat(mean.get(1).auc()).isEqualTo(0.5);
        assertThat(mean.get(0).auc()).isNaN();
    }

    @Test
    void shouldSplitCompromisedTerminalFraudsByWhetherALabelCouldHaveRevealedThemAndBoundTheAuc() {
        List<HandbookMetrics.Scored> test = List.of(
                terminal("1", true, 0.9),
                terminal("2", true, 0.3),
                terminal("3", false, 0.1),
                terminal("4", false, 0.6),
                scored("5", "E", "2018-09-01", 3, 0.7),
                scored("6", "F", "2018-09-01", 0, 0.5),
                scored("7", "G", "2018-09-01", 0, 0.2));

        HandbookScenarios.TerminalSplit split = HandbookScenarios.terminalSplit(test);

        assertThat(split.revealed()).isEqualTo(2);
        assertThat(split.revealedAuc()).as("0.9 beats both genuine scores, 0.3 beats one: 3 of 4 pairs")
                .isEqualTo(0.75);
        assertThat(split.unrevealed()).isEqualTo(2);
        assertThat(split.unrevealedAuc()).as("0.1 beats none, 0.6 beats both").isEqualTo(0.5);
        assertThat(split.ceilingAuc()).as("5 frauds, 2 of them at random: (5 - 1) / 5").isEqualTo(0.8);
        var mean = HandbookScenarios.TerminalSplit.mean(List.of(split, new HandbookScenarios.TerminalSplit(0,
                Double.NaN, 2, 0.25, 0.6)));
        assertThat(mean.revealed()).isEqualTo(2);
        assertThat(mean.revealedAuc()).as("a fold without revealed frauds does not count").isEqualTo(0.75);
        assertThat(mean.unrevealedAuc()).isEqualTo(0.375);
        assertThat(mean.ceilingAuc()).isEqualTo(0.7, within(1e-12));
    }

    private static HandbookMetrics.Scored terminal(String id, boolean revealed, double score) {
        return new HandbookMetrics.Scored(new Transaction(id, "C" + id, LocalDate.parse("2018-09-01"), 1, 2,
                revealed), score);
    }

    @Test
    void shouldMarkAFraudRevealedWhenTheRunOfFraudsAtItsTerminalBeganAtLeastTheLabelDelayBefore(@TempDir Path dir)
            throws IOException {
        for (int day = 1; day <= 20; day++) {
            Files.writeString(dir.resolve(String.format("2018-04-%02d.csv", day)), header());
        }
        // terminal 7: a run of frauds from 04-01 00:10, its first label arrives 04-08 00:10; terminal 9: a fraud,
        // then a genuine transaction that ends its run
        Files.writeString(dir.resolve("2018-04-01.csv"), header()
                + "0,0,2018-04-01 00:10:00,1,7,10.00,0,0,1,2\n"
                + "1,1,2018-04-01 00:20:00,1,9,10.00,0,0,1,2\n"
                + "2,2,2018-04-01 00:30:00,2,9,10.00,0,0,0,0\n");
        Files.writeString(dir.resolve("2018-04-08.csv"), header()
                + "3,3,2018-04-08 00:09:59,2,7,10.00,0,0,1,2\n"       // the first label has not arrived yet
                + "4,4,2018-04-08 00:10:00,3,7,10.00,0,0,1,2\n"       // it has (7 days to the second)
                + "5,5,2018-04-08 00:10:00,4,8,10.00,0,0,0,0\n"       // genuine, another terminal: never
                + "6,6,2018-04-08 01:00:00,5,9,10.00,0,0,1,2\n");     // terminal 9's run began again: not yet
        Files.writeString(dir.resolve("2018-04-15.csv"), header()
                + "7,7,2018-04-15 01:00:00,6,9,10.00,0,0,1,2\n");     // its new run's first label has arrived

        HandbookData data = HandbookData.read(dir, LocalDate.parse("2018-04-01"), LocalDate.parse("2018-04-21"));

        assertThat(data.transactions()).extracting(Transaction::eventId, Transaction::compromiseRevealed)
                .containsExactly(tuple("0", false), tuple("1", false), tuple("2", false), tuple("3", false),
                        tuple("4", true), tuple("5", false), tuple("6", false), tuple("7", true));
    }

    private static String header() {
        return ",TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,"
                + "TX_FRAUD_SCENARIO\n";
    }

    @Test
    void shouldReadEachFraudsScenarioBesideTheEventsWithoutPuttingItIntoThem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("2018-04-01.csv"), """
                ,TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO
                0,0,2018-04-01 00:00:31,596,3156,57.16,31,0,0,0
                1,1,2018-04-01 00:02:10,4961,3412,281.51,130,0,1,1
                2,2,2018-04-01 00:07:56,2,1365,146.00,476,0,1,2
                """);

        HandbookData data = HandbookData.read(dir, LocalDate.parse("2018-04-01"), LocalDate.parse("2018-04-02"));

        assertThat(data.transactions()).extracting(Transaction::scenario).containsExactly(0, 1, 2);
        assertThat(data.transactions()).extracting(Transaction::fraud).containsExactly(0, 1, 1);
        assertThat(data.records()).allSatisfy(r -> assertThat(r.event().getAttributes()).doesNotContainKey(
                "TX_FRAUD_SCENARIO").doesNotContainValue("2"));
    }

    @Test
    void shouldNameTheFileWhenTheScenarioColumnIsMissing(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("2018-04-01.csv"), """
                ,TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD
                0,0,2018-04-01 00:00:31,596,3156,57.16,31,0,0
                """);

        assertThatThrownBy(() -> HandbookData.read(dir, LocalDate.parse("2018-04-01"), LocalDate.parse("2018-04-02")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2018-04-01.csv")
                .hasMessageContaining("TX_FRAUD_SCENARIO");
    }
}

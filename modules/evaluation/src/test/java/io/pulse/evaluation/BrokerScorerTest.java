package io.pulse.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.schema.Contracts;
import io.pulse.infra.LocalInfraConfig;
import io.pulse.model.EntityWindowSpec;
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
import org.apache.kafka.server.config.ServerLogConfigs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BrokerScorer} on the real local broker and registry, over a small handbook-shaped data set of fold 0 (2018
 * timestamps; eight cards, three terminals, the third compromised from the fifth day on) with the terminal entity,
 * against {@link DriverScorer} on the same bundle and data. The broker deletes by time every second here and keeps a
 * topic 7 days by default, so a 2018 record survives only if the scorer made its topics keep it.
 */
@Tag("integration")
class BrokerScorerTest {

    private static final HandbookFold FOLD = HandbookFold.of(0);
    private static final TrainingConfig TRAINING = TrainingConfig.defaults().withHiddenSize(4).withMaxEpochs(1)
            .withChurnHorizon(Duration.ofDays(7)).withSeed(7);
    private static final List<EntityWindowSpec> ENTITIES = HandbookEntities.parse("terminal");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int CARDS = 8;
    private static final int PER_DAY = 16;

    @TempDir
    static Path dir;

    private static HandbookData data;
    private static FoldTrainer.Trained trained;
    private static Set<String> wanted;
    private static Map<String, Double> driverScores;

    @BeforeAll
    static void trainAndScoreWithTheDriver() throws Exception {
        Contracts.trustGeneratedClasses();
        data = HandbookData.read(writeDataSet(Files.createDirectories(dir.resolve("data"))), FOLD.warmUpStart(),
                FOLD.testEnd());
        trained = FoldTrainer.train(data, FOLD, TRAINING, 2, 0, "pulse-lstm", ENTITIES, TrainingProgress.NONE);
        int[] range = data.range(FOLD.testStart(), FOLD.testEnd());
        wanted = new HashSet<>();
        for (int i = range[0]; i < range[1]; i++) {
            wanted.add(data.transactions().get(i).eventId());
        }
        try (DriverScorer driver = new DriverScorer(Files.createDirectories(dir.resolve("driver")), ENTITIES)) {
            driverScores = driver.score(data, FOLD, trained.bundle(), wanted, line -> { });
        }
    }

    /**
     * One CSV per day from the warm-up start to the end of the test week. Seconds are even on even days and odd on
     * odd days, so no label (due 7 days after its fraud, to the millisecond) falls on the millisecond of an event:
     * the driver pipes such a label first, the broker's timestamp merge may take either.
     */
    private static Path writeDataSet(Path days) throws IOException {
        Random random = new Random(42);
        LocalDate compromised = FOLD.warmUpStart().plusDays(4);
        int id = 0;
        for (LocalDate day = FOLD.warmUpStart(); day.isBefore(FOLD.testEnd()); day = day.plusDays(1)) {
            StringBuilder csv = new StringBuilder(
                    ",TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,"
                            + "TX_FRAUD,TX_FRAUD_SCENARIO\n");
            int parity = (int) (day.toEpochDay() % 2);
            for (int slot = 0; slot < PER_DAY; slot++) {
                int customer = (slot * 5 + day.getDayOfMonth()) % CARDS;
                int terminal = (customer + slot + day.getDayOfMonth()) % 3;
                boolean fraud = terminal == 2 && !day.isBefore(compromised);
                LocalDateTime at = day.atTime(slot + 1, random.nextInt(60), 2 * random.nextInt(30) + parity);
                csv.append(id).append(',').append(id).append(',').append(TIME.format(at)).append(',')
                        .append(customer).append(',').append(terminal).append(',')
                        .append(String.format(Locale.ROOT, "%.2f", 10 + 90 * random.nextDouble())).append(",0,0,")
                        .append(fraud ? 1 : 0).append(',').append(fraud ? 2 : 0).append('\n');
                id++;
            }
            Files.writeString(days.resolve(day + ".csv"), csv);
        }
        return days;
    }

    /** A broker that keeps topics 7 days by default and applies retention every second from its start on. */
    private static LocalInfraConfig eagerRetention() {
        return LocalInfraConfig.forTests().toBuilder()
                .brokerProperty(ServerLogConfigs.LOG_INITIAL_TASK_DELAY_MS_CONFIG, "0")
                .brokerProperty(ServerLogConfigs.LOG_CLEANUP_INTERVAL_MS_CONFIG, "1000")
                .build();
    }

    private static BrokerScorer.Run scoreOnTheBroker(int partitions, Map<String, Double> scores) throws Exception {
        try (BrokerScorer scorer = new BrokerScorer(Files.createDirectories(dir.resolve("broker-" + partitions)),
                ENTITIES, partitions, eagerRetention(), line -> { })) {
            scores.putAll(scorer.score(data, FOLD, trained.bundle(), wanted, line -> { }));
            return scorer.lastRun();
        }
    }

    private static void assertNothingLost(BrokerScorer.Run run) {
        long events = ScoringStream.size(data, FOLD);
        // a label goes out just before the first event at or after its arrival: none after the last event
        long last = data.records().get(data.records().size() - 1).event().getEventTime().toEpochMilli();
        long labels = data.records().stream()
                .filter(r -> r.label() != null && r.label().getObservedAt().toEpochMilli() <= last).count();
        assertThat(run.events()).isEqualTo(events);
        assertThat(run.labels()).isPositive().isEqualTo(labels);
        assertThat(run.predictions()).isEqualTo(events);
        // every topic of the run was made to keep its records before the first was written, and still starts at
        // offset 0: the broker deleted nothing
        assertThat(run.retentionSetLate()).isEmpty();
        assertThat(run.logStarts()).isNotEmpty().allSatisfy((topic, start) -> assertThat(start).as(topic).isZero());
        assertThat(run.logStarts().keySet()).anyMatch(t -> t.endsWith("-scored-events-changelog"))
                .anyMatch(t -> t.endsWith("-entity-terminal-changelog"));
        // each hop: every event to the terminal and back, and every fraud label to the terminal once
        assertThat(run.records()).hasEntrySatisfying(key("entity-terminal-requests-repartition"),
                n -> assertThat(n).isEqualTo(events + run.labels()))
                .hasEntrySatisfying(key("entity-responses-repartition"), n -> assertThat(n).isEqualTo(events));
    }

    private static String key(String suffix) {
        return "pulse-handbook-fold0-" + suffix;
    }

    @Test
    void shouldScoreEveryTransactionAsTheDriverDoesOnOnePartitionWithoutLosingA2018Record() throws Exception {
        Map<String, Double> scores = new HashMap<>();

        BrokerScorer.Run run = scoreOnTheBroker(1, scores);

        assertNothingLost(run);
        assertThat(scores.keySet()).isEqualTo(wanted).isEqualTo(driverScores.keySet());
        // one partition: every processor sees the driver's order, so the same features and the same scores
        assertThat(run.outOfOrder()).isZero();
        assertThat(scores).allSatisfy((id, score) -> assertThat(score).as(id)
                .isCloseTo(driverScores.get(id), within(1e-9)));
    }

    @Test
    void shouldScoreEveryTransactionOnTwoPartitionsWithoutLosingA2018Record() throws Exception {
        Map<String, Double> scores = new HashMap<>();

        BrokerScorer.Run run = scoreOnTheBroker(2, scores);

        // as deployed: users and terminals spread over two partitions, every hop keyed and counted
        assertNothingLost(run);
        assertThat(scores.keySet()).isEqualTo(wanted);
        assertThat(scores.values()).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
        // scores are not compared with the driver's here: one stream thread interleaves the two user tasks' writes
        // to a terminal's partition, and a card's events at terminals of both partitions come back from two entity
        // tasks, so the order (and with it features and scores) can differ from event time (BrokerScorer's
        // DEFAULT_PARTITIONS says why the evaluation runs on one)
    }
}

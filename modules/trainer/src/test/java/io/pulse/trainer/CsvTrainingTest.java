package io.pulse.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.simulator.replay.ColumnMapping;
import io.pulse.trainer.data.CsvHistory;
import io.pulse.trainer.data.History;
import io.pulse.trainer.eval.Evaluation;
import io.pulse.trainer.eval.Evaluator;
import io.pulse.trainer.train.TrainingConfig;
import io.pulse.trainer.train.TrainingProgress;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} on an event log it has never seen: a MovieLens-style ratings file, through a column mapping. */
class CsvTrainingTest {

    private static final long START = 1_262_304_000L; // 2010-01-01, epoch seconds, as MovieLens writes them

    @TempDir
    Path dir;

    @Test
    void shouldReportChurnAndNextActionAgainstTheBaselinesForARatingsLog() throws IOException {
        Path csv = dir.resolve("ratings.csv");
        writeRatings(csv, 120, 60);
        History history = CsvHistory.read(csv, ColumnMapping.parse(
                "user=userId,item=movieId,rating=rating,time=timestamp:epoch-s,type=const:RATING"));
        assertThat(history.fraudLabelled()).isFalse();

        TrainJobConfig config = TrainJobConfig.defaults()
                .withOutBase(dir.resolve("out"))
                .withTraining(TrainingConfig.defaults().withHiddenSize(8).withMaxEpochs(3)
                        .withChurnHorizon(Duration.ofDays(3)));
        TrainResult result = TrainJob.run(history, config, TrainingProgress.NONE);

        Evaluation test = result.report().test();
        assertThat(test.fraud()).as("no label column: no fraud head").isNull();
        assertThat(test.nextAction().labelled()).isPositive();
        assertThat(test.nextAction().metrics()).containsOnlyKeys("model", "majority", "markov");
        assertThat(test.churn().positives()).isPositive();
        assertThat(test.churn().metrics()).containsOnlyKeys("model", "recency", "rfm_logistic");
        for (String scorer : test.churn().metrics().keySet()) {
            assertThat(test.churn().metric(scorer, Evaluator.LOG_LOSS)).as(scorer).isFinite();
            assertThat(test.churn().metric(scorer, Evaluator.ROC_AUC)).as(scorer).isBetween(0.0, 1.0);
        }
        assertThat(result.bundle().getProvenance().getNotes()).contains("fraud head untrained");
        assertThat(Files.readString(result.outDir().resolve("report.md"))).contains("baseline: rfm_logistic",
                "baseline: markov", "csv " + csv);
    }

    /** Users rate in sessions of a few movies; some users fade out, so churn has positives. */
    private static void writeRatings(Path csv, int users, int days) throws IOException {
        Random random = new Random(5);
        try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("userId,movieId,rating,timestamp\n");
            for (int user = 1; user <= users; user++) {
                double sessionsPerDay = 0.3 + random.nextDouble() * 2;
                double fade = random.nextDouble() < 0.4 ? 0.05 + random.nextDouble() * 0.1 : 0;
                double t = random.nextDouble() * 86_400 * 3;
                while (t < days * 86_400.0) {
                    double rate = sessionsPerDay * Math.exp(-fade * t / 86_400);
                    if (rate < 0.02) {
                        break;
                    }
                    int ratings = 1 + random.nextInt(5);
                    for (int r = 0; r < ratings; r++) {
                        long second = START + (long) t + r * (30L + random.nextInt(300));
                        out.write(user + "," + (1 + random.nextInt(2000)) + "," + (1 + random.nextInt(10)) / 2.0
                                + "," + second + "\n");
                    }
                    t += -Math.log(1 - random.nextDouble()) / rate * 86_400;
                }
            }
        }
    }
}

package io.pulse.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.contracts.ModelBundle;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.model.Scores;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.UserSequence;
import io.pulse.trainer.eval.Evaluation;
import io.pulse.trainer.eval.Evaluator;
import io.pulse.trainer.eval.HeadEvaluation;
import io.pulse.trainer.train.TrainedNetwork;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A full round on a simulated history: quality against the baselines, the exported bundle, the report. */
class SimulatedTrainingTest {

    private static final float PARITY_TOLERANCE = 1e-5f;

    @Test
    void shouldBeatEveryBaselineOnTheTestPeriod() {
        Evaluation test = SimulatedRound.result().report().test();
        printTable(test);
        HeadEvaluation next = test.nextAction();
        double model = next.metric("model", Evaluator.LOG_LOSS);
        assertThat(next.labelled()).isGreaterThan(5_000);
        assertThat(model).as("next-action log-loss vs majority").isLessThan(next.metric("majority", Evaluator.LOG_LOSS));
        assertThat(model).as("next-action log-loss vs Markov").isLessThan(next.metric("markov", Evaluator.LOG_LOSS));
        assertThat(model).as("no model beats the truth").isGreaterThan(next.metric(Evaluator.BAYES, Evaluator.LOG_LOSS));

        HeadEvaluation churn = test.churn();
        assertThat(churn.positives()).isGreaterThan(200);
        for (String baseline : List.of("recency", "rfm_logistic")) {
            assertThat(churn.metric("model", Evaluator.LOG_LOSS)).as("churn log-loss vs " + baseline)
                    .isLessThan(churn.metric(baseline, Evaluator.LOG_LOSS));
            assertThat(churn.metric("model", Evaluator.ROC_AUC)).as("churn ROC AUC vs " + baseline)
                    .isGreaterThan(churn.metric(baseline, Evaluator.ROC_AUC));
        }
        assertThat(churn.metric("model", Evaluator.LOG_LOSS)).as("no model beats the truth")
                .isGreaterThan(churn.metric(Evaluator.BAYES, Evaluator.LOG_LOSS));
    }

    @Test
    void shouldExportABundleThatReproducesDl4jRnnTimeStep() throws Exception {
        TrainResult result = SimulatedRound.result();
        TrainedNetwork network = result.report().network();
        ComputationGraph graph = network.graph();
        ModelBundle bundle = ModelBundles.read(result.outDir().resolve(TrainJob.BUNDLE_FILE));
        assertThat(bundle).isEqualTo(result.bundle());
        LstmModel model = ModelBundles.toModel(bundle);
        int in = model.inputSize();
        int users = 0;
        long steps = 0;
        double worst = 0;
        for (UserSequence sequence : result.report().data().sequences()) {
            int last = sequence.lastStepUpTo(Period.TEST);
            if (last < 0 || sequence.period(last) != Period.TEST || last > 1500) {
                continue;
            }
            int length = last + 1;
            float[] x = new float[in];
            float[] features = new float[in * length];
            for (int t = 0; t < length; t++) {
                model.featureSpec().normalise(sequence.raw(t), x);
                for (int f = 0; f < in; f++) {
                    features[f * length + t] = x[f];
                }
            }
            graph.rnnClearPreviousState();
            INDArray[] out = graph.rnnTimeStep(Nd4j.create(features, new long[] {1, in, length}, 'c'));
            float[] next = out[0].dup('c').data().asFloat();
            float[] churn = out[1].dup('c').data().asFloat();
            float[] fraud = out[2].dup('c').data().asFloat();

            float[] h = new float[model.hiddenSize()];
            float[] c = new float[model.hiddenSize()];
            Scores scores = Scores.forModel(model);
            for (int t = 0; t < length; t++) {
                model.featureSpec().normalise(sequence.raw(t), x);
                model.predict(x, h, c, scores);
                String where = sequence.userId() + " step " + t;
                for (int a = 0; a < 8; a++) {
                    assertThat(scores.nextAction[a]).as(where + " next action " + a)
                            .isCloseTo(next[a * length + t], within(PARITY_TOLERANCE));
                    worst = Math.max(worst, Math.abs(scores.nextAction[a] - next[a * length + t]));
                }
                assertThat(scores.churn).as(where + " churn").isCloseTo(churn[t], within(PARITY_TOLERANCE));
                assertThat(scores.fraud).as(where + " fraud").isCloseTo(fraud[t], within(PARITY_TOLERANCE));
                worst = Math.max(worst, Math.max(Math.abs(scores.churn - churn[t]), Math.abs(scores.fraud - fraud[t])));
            }
            steps += length;
            if (++users == 20) {
                break;
            }
        }
        assertThat(users).isEqualTo(20);
        System.out.printf(Locale.ROOT, "bundle vs DL4J rnnTimeStep: %d users, %d steps, max |difference| %.2e%n",
                users, steps, worst);
    }

    @Test
    void shouldWriteTheReportWithMetricsPlotsAndVerdict() throws Exception {
        TrainResult result = SimulatedRound.result();
        assertThat(result.files()).contains("report.json", "report.md", "learning-curves.png", "churn-roc.png",
                "churn-precision-recall.png", "model.bundle");
        for (String file : result.files()) {
            assertThat(result.outDir().resolve(file)).isNotEmptyFile();
        }
        JsonNode json = new ObjectMapper().readTree(result.outDir().resolve("report.json").toFile());
        assertThat(json.path("version").asText()).matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
        assertThat(json.path("test").path("next_action").path("scorers").fieldNames())
                .toIterable().containsExactly("model", "majority", "markov", "bayes");
        assertThat(json.path("test").path("churn").path("scorers").fieldNames())
                .toIterable().containsExactly("model", "recency", "rfm_logistic", "bayes");
        assertThat(json.path("test").path("fraud").path("scorers").fieldNames())
                .toIterable().containsExactly("model", "windowed_logistic");
        assertThat(json.path("verdict").path("publish").asBoolean()).as("no current model: publish").isTrue();
        assertThat(json.path("verdict").path("published").asBoolean()).as("publishing is off").isFalse();
        String markdown = Files.readString(result.outDir().resolve("report.md"));
        assertThat(markdown).contains("Bayes-optimal (simulator truth)", "baseline: markov", "baseline: rfm_logistic");
        ModelBundle bundle = result.bundle();
        assertThat(bundle.getProvenance().getProducer()).isEqualTo(TrainJob.PRODUCER);
        assertThat(bundle.getProvenance().getSeed()).isEqualTo(1L);
        assertThat(bundle.getProvenance().getConfig()).containsEntry("churnHorizon", "PT12H");
        assertThat(bundle.getMetrics()).containsKeys("test.next_action.log_loss", "test.churn.roc_auc",
                "test.mean_log_loss");
    }

    private static void printTable(Evaluation test) {
        for (HeadEvaluation head : new HeadEvaluation[] {test.nextAction(), test.churn(), test.fraud()}) {
            if (head == null) {
                continue;
            }
            System.out.printf(Locale.ROOT, "%s (%d labelled, %d positive)%n", head.head(), head.labelled(),
                    head.positives());
            head.metrics().forEach((scorer, metrics) -> System.out.printf(Locale.ROOT, "  %-18s %s%n", scorer,
                    metrics));
        }
    }
}

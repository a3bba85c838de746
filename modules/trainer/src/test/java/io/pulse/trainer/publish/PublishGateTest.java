package io.pulse.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Provenance;
import io.pulse.contracts.schema.Contracts;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.model.ModelBundles;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.eval.Evaluation;
import io.pulse.trainer.eval.Evaluator;
import io.pulse.trainer.eval.HeadEvaluation;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PublishGateTest {

    private static final Duration HORIZON = Duration.ofDays(7);

    @BeforeAll
    static void trustContracts() {
        // copying a generated record (newBuilder(other)) instantiates contract classes through Avro
        Contracts.trustGeneratedClasses();
    }

    @Test
    void shouldPublishTheFirstModel() {
        Verdict verdict = PublishGate.decide(evaluation(1.0, 0.2, Double.NaN), CurrentModel.none(PulseTopics.MODEL_WEIGHTS.name()));
        assertThat(verdict.publish()).isTrue();
        assertThat(verdict.candidateLoss()).isEqualTo(0.6);
    }

    @Test
    void shouldPublishOnlyAModelWithALowerMeanTestLogLoss() {
        CurrentModel current = CurrentModel.of(ModelBundles.seededRandom("pulse-lstm", 3L, 8), "file", HORIZON);
        assertThat(current.comparable()).isTrue();
        // mean over next action and churn (fraud unlabelled): candidate 0.6, current 0.65
        Verdict better = PublishGate.decide(evaluation(1.0, 0.2, 1.1, 0.2, Double.NaN), current);
        assertThat(better.publish()).as(better.reason()).isTrue();
        assertThat(better.currentLoss()).isEqualTo(0.65);

        Verdict worse = PublishGate.decide(evaluation(1.2, 0.2, 1.1, 0.2, Double.NaN), current);
        assertThat(worse.publish()).as(worse.reason()).isFalse();
        assertThat(worse.reason()).contains("does not beat");

        Verdict tie = PublishGate.decide(evaluation(1.1, 0.2, 1.1, 0.2, Double.NaN), current);
        assertThat(tie.publish()).as("a tie keeps the current model").isFalse();
    }

    @Test
    void shouldCountTheFraudHeadWhenItHasLabels() {
        CurrentModel current = CurrentModel.of(ModelBundles.seededRandom("pulse-lstm", 3L, 8), "file", HORIZON);
        // equal on next action and churn, better on fraud
        Verdict verdict = PublishGate.decide(evaluation(1.0, 0.2, 1.0, 0.2, 0.01, 0.05), current);
        assertThat(verdict.publish()).isTrue();
    }

    @Test
    void shouldTreatAnIncompatibleCurrentModelAsBeaten() {
        ModelBundle random = ModelBundles.seededRandom("pulse-lstm", 3L, 8);
        ModelBundle otherSpec = ModelBundle.newBuilder(random)
                .setFeatureSpec(random.getFeatureSpec().replace("\"version\":1", "\"version\":2")).build();
        CurrentModel incompatible = CurrentModel.of(otherSpec, "file", HORIZON);
        assertThat(incompatible.comparable()).isFalse();
        assertThat(incompatible.incompatibility()).contains("feature spec");
        Verdict verdict = PublishGate.decide(evaluation(5.0, 5.0, Double.NaN), incompatible);
        assertThat(verdict.publish()).isTrue();
        assertThat(verdict.reason()).contains("incompatible");
    }

    @Test
    void shouldTreatACurrentModelForAnotherChurnHorizonAsIncompatible() {
        ModelBundle random = ModelBundles.seededRandom("pulse-lstm", 3L, 8);
        Map<String, String> config = new HashMap<>(random.getProvenance().getConfig());
        config.put(CurrentModel.CHURN_HORIZON_KEY, "PT24H");
        ModelBundle daily = ModelBundle.newBuilder(random)
                .setProvenance(Provenance.newBuilder(random.getProvenance()).setConfig(config).build()).build();
        CurrentModel current = CurrentModel.of(daily, "file", HORIZON);
        assertThat(current.comparable()).isFalse();
        assertThat(current.incompatibility()).contains("PT24H");
    }

    /** Next action, churn (and fraud) log-losses of the candidate only. */
    private static Evaluation evaluation(double next, double churn, double fraud) {
        return new Evaluation(Period.TEST, head(ModelBundles.NEXT_ACTION_HEAD, next, Double.NaN),
                head(ModelBundles.CHURN_HEAD, churn, Double.NaN), Double.isNaN(fraud) ? null
                        : head(ModelBundles.FRAUD_HEAD, fraud, Double.NaN));
    }

    private static Evaluation evaluation(double next, double churn, double currentNext, double currentChurn,
            double fraud) {
        return new Evaluation(Period.TEST, head(ModelBundles.NEXT_ACTION_HEAD, next, currentNext),
                head(ModelBundles.CHURN_HEAD, churn, currentChurn), Double.isNaN(fraud) ? null
                        : head(ModelBundles.FRAUD_HEAD, fraud, Double.NaN));
    }

    private static Evaluation evaluation(double next, double churn, double currentNext, double currentChurn,
            double fraud, double currentFraud) {
        return new Evaluation(Period.TEST, head(ModelBundles.NEXT_ACTION_HEAD, next, currentNext),
                head(ModelBundles.CHURN_HEAD, churn, currentChurn), head(ModelBundles.FRAUD_HEAD, fraud, currentFraud));
    }

    private static HeadEvaluation head(String name, double candidate, double current) {
        Map<String, Map<String, Double>> metrics = new java.util.LinkedHashMap<>();
        metrics.put(PublishGate.CANDIDATE, Map.of(Evaluator.LOG_LOSS, candidate));
        if (!Double.isNaN(current)) {
            metrics.put(PublishGate.CURRENT, Map.of(Evaluator.LOG_LOSS, current));
        }
        return new HeadEvaluation(name, 100, 10, metrics, Map.of(), Map.of());
    }
}

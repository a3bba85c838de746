package io.pulse.trainer.report;

import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.eval.Evaluation;
import io.pulse.trainer.interest.CooccurrencePriors;
import io.pulse.trainer.publish.Verdict;
import io.pulse.trainer.train.FraudTreesTrainer;
import io.pulse.trainer.train.TrainedNetwork;
import java.time.Instant;
import java.util.Map;

/**
 * Everything a training round reports.
 *
 * @param modelName   the model name (key on model-weights)
 * @param version     the new bundle's version
 * @param createdAt   when the round finished
 * @param config      the round's settings (training and job), as text
 * @param data        the data and its split
 * @param network     the training history
 * @param test        metrics on the test period: the new model ({@code model}), the current one ({@code current}) if
 *                    comparable, the baselines and, when simulated, the Bayes-optimal truth ({@code bayes})
 * @param verdict     the publishing gate's decision
 * @param published   whether the bundle was produced to the weights topic
 * @param bundleFile  where the bundle file was written
 * @param prior       the next-item co-occurrence prior in the bundle and how its blend was chosen; null for a model
 *                    without interest heads
 */
public record TrainingReport(String modelName, String version, Instant createdAt, Map<String, String> config,
        TrainingData data, TrainedNetwork network, Evaluation test, Verdict verdict, boolean published,
        String bundleFile, CooccurrencePriors.Selection prior, FraudTreesTrainer.Result fraudTrees) {
}

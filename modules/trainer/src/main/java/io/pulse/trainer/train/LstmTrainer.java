package io.pulse.trainer.train;

import io.pulse.contracts.Provenance;
import io.pulse.model.Catalogue;
import io.pulse.model.FeatureSpec;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.model.dl4j.Dl4jLayout;
import io.pulse.model.dl4j.PulseNetwork;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.eval.Evaluation;
import io.pulse.trainer.eval.Evaluator;
import io.pulse.trainer.eval.Losses;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Trains Pulse's network ({@link PulseNetwork}) in Deeplearning4j: an {@code LSTM} (tanh, sigmoid gates, no
 * peepholes) feeding three {@code RnnOutputLayer}s — next action (softmax, MCXENT, 8 classes), churn and fraud
 * (sigmoid, XENT) — the network the plain-Java kernel reproduces.
 *
 * <h2>Sequences</h2>
 * A user's history is trained in chunks of {@link TrainingConfig#chunkLength()} labelled steps, each preceded by
 * {@link TrainingConfig#warmUpSteps()} of the user's earlier steps (unlabelled) that warm the state up from zero;
 * minibatches group chunks of similar length, padded at the end, with a feature mask and one label mask per output.
 * Chunks rather than truncated BPTT over whole histories: the inputs already carry the long-range memory (decayed
 * counts and amounts up to 30 days, gap statistics, events seen), so the recurrent state only needs the recent
 * steps, and chunks make minibatches dense (a history of thousands of events does not pad a batch to its length;
 * about four times faster here). Whether that holds is checked, not assumed: losses, early stopping and every metric
 * are computed by the plain-Java kernel running each user's whole history from their first event, as the pipeline
 * does.
 *
 * <h2>Optimisation</h2>
 * Adam, Xavier initialisation, L2, element-wise gradient clipping at 1; DL4J's seed and the minibatch order derive
 * from {@link TrainingConfig#seed()}. After every epoch the train and validation losses (mean log-loss per head,
 * averaged over the heads with labels) are computed by the plain-Java kernel over whole histories; the weights of the
 * best epoch by {@link TrainingConfig#selection()} are kept (the lowest mean validation loss, or the highest validation
 * fraud average precision), and training stops after {@link TrainingConfig#patience()} epochs without improvement.
 * (No class weight for the rare frauds: a label mask is not a loss weight here, because DL4J's RNN output layer also
 * multiplies its mask into the activations; a weighted loss would need its own {@code ILossFunction}.)
 *
 * <p>Without fraud labels the fraud head's loss is masked everywhere; its weights are then set to zero and its bias
 * to {@value #UNTRAINED_FRAUD_BIAS} (a fraud probability of about 0.1 %) so an untrained head never raises alerts.
 */
public final class LstmTrainer {

    /** Logit of the fraud head when there were no fraud labels to learn from. */
    public static final float UNTRAINED_FRAUD_BIAS = -7f;
    private static final double MIN_IMPROVEMENT = 1e-5;
    /** Element-wise gradient clipping threshold. */
    private static final double GRADIENT_CLIP = 1.0;

    private LstmTrainer() {
    }

    /** The untrained network for {@code inputSize} features ({@link PulseNetwork}, trained as configured). */
    public static ComputationGraph network(int inputSize, TrainingConfig config) {
        return PulseNetwork.forTraining(inputSize, config.hiddenSize(), new PulseNetwork.Training(config.seed(),
                new Adam(config.learningRate()), config.l2(), GRADIENT_CLIP));
    }

    /**
     * Trains on the training period, stops early on the validation period, and returns the best epoch's network.
     *
     * @param spec the normalisation to train with ({@link TrainingData#normalisedSpec()})
     * @throws IllegalStateException if the training or validation period has no labelled steps
     */
    public static TrainedNetwork train(TrainingData data, FeatureSpec spec, TrainingConfig config,
            TrainingProgress progress) {
        return train(data, spec, config, null, progress);
    }

    /**
     * {@link #train(TrainingData, FeatureSpec, TrainingConfig, TrainingProgress)} for a version-2 spec with its
     * catalogue: the next-category and next-item heads are trained alongside the others with a full softmax over the
     * catalogue (DL4J's MCXENT; at 12k items a step's output layer is about 1.5 MFLOP forward, affordable on a CPU,
     * and DL4J has no sampled softmax), masked where the next event is unknown or not in the catalogue. Their
     * validation log-losses join the mean that early stopping minimises.
     *
     * @param catalogue null for a version-1 spec
     */
    public static TrainedNetwork train(TrainingData data, FeatureSpec spec, TrainingConfig config, Catalogue catalogue,
            TrainingProgress progress) {
        Objects.requireNonNull(progress, "progress");
        if (spec.hasInterests() != (catalogue != null)) {
            throw new IllegalArgumentException("a catalogue goes with a version-2 feature spec, and only with one");
        }
        if (config.selection() == TrainingConfig.Selection.FRAUD_AVERAGE_PRECISION && !data.fraudLabelled()) {
            throw new IllegalArgumentException("selection on the fraud head's validation average precision needs"
                    + " fraud labels, and this history has none; select on the validation loss instead");
        }
        if (config.selection() == TrainingConfig.Selection.FRAUD_AVERAGE_PRECISION
                && data.summary(Period.VALIDATION).fraudPositives() == 0) {
            throw new IllegalStateException("selection on the fraud head's validation average precision needs frauds"
                    + " in the validation period, and it has none; lengthen the validation period");
        }
        long started = System.nanoTime();
        SequenceBatches train = SequenceBatches.of(data, Period.TRAIN, config, spec, catalogue);
        if (train.isEmpty() || !hasLabels(data.summary(Period.VALIDATION))) {
            throw new IllegalStateException("nothing to train on: the training period has " + train.size()
                    + " minibatches with labels, the validation period " + data.summary(Period.VALIDATION)
                    + "; more data or a longer time range is needed");
        }
        // network(inputSize, ...) builds the version-1 shape: a spec with entities (or interests) needs its own
        ComputationGraph graph = catalogue == null && !spec.hasEntities() ? network(spec.inputSize(), config)
                : PulseNetwork.forTraining(new PulseNetwork.Shape(spec, config.hiddenSize(),
                        catalogue == null ? 0 : catalogue.items(), catalogue == null ? 0 : catalogue.categories()),
                        new PulseNetwork.Training(config.seed(), new Adam(config.learningRate()), config.l2(),
                                GRADIENT_CLIP));
        Random shuffle = new Random(config.seed());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            order.add(i);
        }
        List<EpochResult> epochs = new ArrayList<>();
        INDArray best = null;
        double bestCriterion = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
            long epochStart = System.nanoTime();
            progress.epochStarted(epoch, config.maxEpochs(), train.size());
            Collections.shuffle(order, shuffle);
            for (int b = 0; b < order.size(); b++) {
                graph.fit(train.batch(order.get(b)).data());
                progress.batchDone(b + 1);
            }
            LstmModel kernel = kernelModel(graph, spec, config, catalogue);
            Losses trainLoss = Evaluator.losses(kernel, data, Period.TRAIN);
            Evaluation validation = Evaluator.evaluate(data, Period.VALIDATION, Map.of("model", kernel), List.of(),
                    List.of(), List.of());
            Losses validationLoss = Evaluator.losses(validation);
            double validationFraudAp = validation.fraud() == null ? Double.NaN
                    : validation.fraud().metric("model", Evaluator.AVERAGE_PRECISION);
            // both criteria as "lower is better": the kept epoch and the patience count follow the configured one
            double criterion = config.selection() == TrainingConfig.Selection.FRAUD_AVERAGE_PRECISION
                    ? -validationFraudAp : validationLoss.mean();
            boolean improved = criterion < bestCriterion - MIN_IMPROVEMENT;
            if (improved) {
                bestCriterion = criterion;
                best = graph.params().dup();
                bestEpoch = epoch;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            EpochResult result = new EpochResult(epoch, trainLoss, validationLoss, improved,
                    (System.nanoTime() - epochStart) / 1e9, validationFraudAp);
            epochs.add(result);
            progress.epochDone(result);
            if (!Double.isFinite(trainLoss.mean())) {
                throw new IllegalStateException("training diverged in epoch " + epoch + " (train loss "
                        + trainLoss.mean() + "); lower the learning rate");
            }
            if (sinceBest >= config.patience()) {
                stoppedEarly = epoch < config.maxEpochs();
                break;
            }
        }
        if (best != null) {
            graph.setParams(best);
        }
        if (!data.fraudLabelled()) {
            neutraliseFraudHead(graph);
        }
        return new TrainedNetwork(graph, spec, config, epochs, bestEpoch, stoppedEarly,
                (System.nanoTime() - started) / 1e9, catalogue);
    }

    private static void neutraliseFraudHead(ComputationGraph graph) {
        var fraud = graph.getLayer(ModelBundles.FRAUD_HEAD);
        fraud.setParam(Dl4jLayout.WEIGHTS, fraud.getParam(Dl4jLayout.WEIGHTS).mul(0));
        INDArray bias = fraud.getParam(Dl4jLayout.BIAS).dup();
        bias.assign(UNTRAINED_FRAUD_BIAS);
        fraud.setParam(Dl4jLayout.BIAS, bias);
    }

    private static boolean hasLabels(TrainingData.PeriodSummary summary) {
        return summary.nextActionLabels() + summary.churnLabels() + summary.fraudLabels() > 0;
    }

    /** The graph's current weights on the plain-Java kernel. */
    static LstmModel kernelModel(ComputationGraph graph, FeatureSpec spec, TrainingConfig config,
            Catalogue catalogue) {
        Provenance provenance = Provenance.newBuilder().setProducer("pulse-trainer").setProducerVersion("epoch")
                .build();
        return ModelBundles.toModel(ModelBundles.fromWeights("epoch", "epoch", spec, config.hiddenSize(), catalogue,
                PulseNetwork.rowMajorTensors(graph), provenance).build());
    }
}

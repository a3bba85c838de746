package io.pulse.evaluation;

import io.pulse.contracts.Label;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Provenance;
import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ModelBundles;
import io.pulse.simulator.replay.ReplayRecord;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TimeSplit;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.train.FraudTreesTrainer;
import io.pulse.trainer.train.LstmTrainer;
import io.pulse.trainer.train.TrainedNetwork;
import io.pulse.trainer.train.TrainingConfig;
import io.pulse.trainer.train.TrainingProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains one fold's model with Pulse's trainer, as the trainer would at the fold's training time (the start of the
 * test week, after the delay): the history is every transaction from the warm-up start to the end of the training
 * week, and every FRAUD label of that history counts as known (with the 7-day delay, the last of them arrives when the
 * test week starts). The delay week is not trained on: its labels are not known yet. The last
 * {@code validationDays} of the training week are the trainer's validation period (early stopping).
 */
public final class FoldTrainer {

    private FoldTrainer() {
    }

    /**
     * The trained fold model; {@code fraudTrees} is the gradient-boosted fraud head fitted on it (null when none was
     * asked for), served in {@code bundle} only if it beat the linear head on validation.
     */
    public record Trained(ModelBundle bundle, TrainedNetwork network, TrainingData.PeriodSummary train,
            TrainingData.PeriodSummary validation, FraudTreesTrainer.Result fraudTrees) {

        /** The validation fraud average precision of the head the bundle serves (trees or the kept epoch's). */
        public double servedValidationAveragePrecision() {
            if (fraudTrees != null && fraudTrees.beatsHead()) {
                return fraudTrees.treesValidationAp();
            }
            return network.bestEpoch() < 1 ? Double.NaN
                    : network.epochs().get(network.bestEpoch() - 1).validationFraudAveragePrecision();
        }
    }

    /** As {@link #train(HandbookData, HandbookFold, TrainingConfig, int, int, String, List, TrainingProgress)}. */
    public static Trained train(HandbookData data, HandbookFold fold, TrainingConfig config, int validationDays,
            String modelName, TrainingProgress progress) {
        return train(data, fold, config, validationDays, 0, modelName, List.of(), progress);
    }

    /**
     * Trains the fold's model; with {@code entities} (see {@link HandbookEntities}) its features include their
     * windows, replayed over the whole history with every label at its real arrival (the transaction's time + the
     * 7-day delay, as the scorers pipe it), so the entity features see a fraud only from when the pipeline does.
     * The first {@code contextDays} of the warm-up are context only ({@link TimeSplit#from()}): they warm the
     * customer and entity windows, but their steps, whose windows are still cold, are not learned from.
     */
    public static Trained train(HandbookData data, HandbookFold fold, TrainingConfig config, int validationDays,
            int contextDays, String modelName, List<EntityWindowSpec> entities, TrainingProgress progress) {
        return train(data, fold, config, validationDays, contextDays, modelName, entities, null, progress);
    }

    /**
     * As above; with {@code fraudTrees} settings, also fits a gradient-boosted fraud head on the trained LSTM
     * ({@link FraudTreesTrainer}, the same validation days) and serves it if it beats the linear head there.
     */
    public static Trained train(HandbookData data, HandbookFold fold, TrainingConfig config, int validationDays,
            int contextDays, String modelName, List<EntityWindowSpec> entities, FraudTreesTrainer.Settings fraudTrees,
            TrainingProgress progress) {
        int[] range = data.range(fold.warmUpStart(), fold.trainEnd());
        List<UserEvent> events = new ArrayList<>(range[1] - range[0]);
        List<Label> labels = new ArrayList<>();
        for (int i = range[0]; i < range[1]; i++) {
            ReplayRecord record = data.records().get(i);
            events.add(record.event());
            if (record.label() != null) {
                if (entities.isEmpty()) {
                    // known at training time: the trainer sees it as observed when the event happened
                    labels.add(Label.newBuilder(record.label()).setObservedAt(record.event().getEventTime()).build());
                } else {
                    // at its real arrival, as the scorers pipe it: the entity replay applies it from then; the
                    // targets still count it (trained at the test week's start, when every one has arrived)
                    labels.add(record.label());
                }
            }
        }
        Instant from = HandbookFold.at(fold.warmUpStart().plusDays(contextDays));
        Instant trainEnd = HandbookFold.at(fold.trainEnd().minusDays(validationDays));
        Instant end = HandbookFold.at(fold.trainEnd());
        History history = History.of("fraud handbook " + fold.warmUpStart() + "…" + fold.trainEnd().minusDays(1),
                events, labels, true, Map.of());
        TimeSplit split = new TimeSplit(from, trainEnd, end, end);
        try (TrainingData trainingData = entities.isEmpty()
                ? TrainingData.build(history, split, config.churnHorizon())
                : TrainingData.build(history, split, config.churnHorizon(), FeatureSpec.v1().withEntities(entities),
                        HandbookFold.at(fold.testStart()))) {
            return train(trainingData, fold, end, config, validationDays, contextDays, modelName, entities, fraudTrees,
                    progress);
        }
    }

    private static Trained train(TrainingData trainingData, HandbookFold fold, Instant end, TrainingConfig config,
            int validationDays, int contextDays, String modelName, List<EntityWindowSpec> entities,
            FraudTreesTrainer.Settings fraudTrees, TrainingProgress progress) {
        TrainedNetwork network = LstmTrainer.train(trainingData, trainingData.normalisedSpec(), config, progress);

        Map<String, String> provenanceConfig = new LinkedHashMap<>(config.asMap());
        provenanceConfig.put("protocol", "fraud-handbook prequential, " + fold);
        provenanceConfig.put("validationDays", Integer.toString(validationDays));
        if (contextDays > 0) {
            provenanceConfig.put("contextDays", Integer.toString(contextDays));
        }
        if (!entities.isEmpty()) {
            provenanceConfig.put("entities", HandbookEntities.describe(entities));
        }
        String version = "handbook-fold" + fold.index() + "-" + fold.trainStart();
        FraudTreesTrainer.Result trees = null;
        if (fraudTrees != null) {
            ModelBundle linear = network.toBundle(modelName, version, provenance(config, fold, end, provenanceConfig))
                    .build();
            trees = FraudTreesTrainer.fit(trainingData, ModelBundles.toModel(linear), fraudTrees);
            provenanceConfig.putAll(fraudTrees.asMap());
            provenanceConfig.put("fraudTrees", String.format(Locale.ROOT, "%s: %d trees, validation fraud AP %.4f vs"
                    + " %.4f for the linear head", trees.beatsHead() ? "served" : "not served", trees.trees().trees(),
                    trees.treesValidationAp(), trees.headValidationAp()));
        }
        ModelBundle bundle = network.toBundle(modelName, version, provenance(config, fold, end, provenanceConfig))
                .build();
        if (trees != null && trees.beatsHead()) {
            bundle = ModelBundles.withFraudTrees(bundle, trees.trees());
        }
        return new Trained(bundle, network, trainingData.summary(Period.TRAIN),
                trainingData.summary(Period.VALIDATION), trees);
    }

    private static Provenance provenance(TrainingConfig config, HandbookFold fold, Instant end,
            Map<String, String> provenanceConfig) {
        return Provenance.newBuilder()
                .setProducer("pulse-evaluation")
                .setProducerVersion("fraud-handbook")
                .setSeed(config.seed())
                .setDataFrom(HandbookFold.at(fold.warmUpStart()))
                .setDataTo(end)
                .setConfig(new LinkedHashMap<>(provenanceConfig))
                .build();
    }
}

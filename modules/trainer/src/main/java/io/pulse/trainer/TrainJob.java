package io.pulse.trainer;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Provenance;
import io.pulse.contracts.schema.Contracts;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.FeatureSpec;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.trainer.baseline.Baselines;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.eval.Evaluation;
import io.pulse.trainer.eval.Evaluator;
import io.pulse.trainer.eval.HeadEvaluation;
import io.pulse.trainer.eval.RankingMetrics;
import io.pulse.trainer.interest.CooccurrencePriors;
import io.pulse.trainer.publish.CurrentModel;
import io.pulse.trainer.publish.ModelWeightsTopic;
import io.pulse.trainer.publish.PublishGate;
import io.pulse.trainer.publish.Verdict;
import io.pulse.trainer.report.ReportWriter;
import io.pulse.trainer.report.TrainingReport;
import io.pulse.trainer.train.FraudTreesTrainer;
import io.pulse.trainer.train.InterestConfig;
import io.pulse.trainer.train.LstmTrainer;
import io.pulse.trainer.train.TrainedNetwork;
import io.pulse.trainer.train.TrainingProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training round, end to end: history → sequences and split → DL4J training with early stopping → bundle →
 * baselines, the new model and the current model evaluated on the test period → report → gated publishing. A model
 * with interest heads also gets the next-item co-occurrence prior the pipeline blends into its recommendations
 * ({@link CooccurrencePriors#select}: counted on the training period, its weight chosen on the validation period), so
 * the candidate evaluated, written and published is the one the pipeline serves.
 *
 * <p>Reads {@code model-weights} (the current model) and writes it (the new model, if it wins and publishing is on);
 * the history comes from the caller ({@link io.pulse.trainer.data.KafkaSnapshot} for {@code user-events} and
 * {@code user-labels}, a CSV log or a simulation). The new bundle is always written to {@code <out>/model.bundle},
 * whatever the verdict, so a losing candidate can be inspected.
 */
public final class TrainJob {

    public static final String PRODUCER = "pulse-trainer";
    public static final String BUNDLE_FILE = "model.bundle";
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    private static final DateTimeFormatter VERSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private TrainJob() {
    }

    /** Runs one round on {@code history}. */
    public static TrainResult run(History history, TrainJobConfig config, TrainingProgress progress) {
        Contracts.trustGeneratedClasses();
        var training = config.training();
        // with entity types, one replay of every user's events and the fraud labels (each at its observedAt) computes
        // their features, exactly as the pipeline's entity tasks do
        FeatureSpec features = config.entities().isEmpty() ? FeatureSpec.v1()
                : FeatureSpec.v1().withEntities(config.entities());
        TrainingData data = TrainingData.build(history, training.churnHorizon(), training.trainFraction(),
                training.validationFraction(), features);
        try {
            return run(history, config, progress, data);
        } catch (RuntimeException | Error e) {
            data.close();
            throw e;
        }
    }

    /** The round on the built sequences, which the result owns (closing it deletes them). */
    private static TrainResult run(History history, TrainJobConfig config, TrainingProgress progress,
            TrainingData data) {
        var training = config.training();
        LOG.info("{} users, {} events; split {}{}", data.sequences().size(), data.steps(), data.split(),
                config.entities().isEmpty() ? "" : "; entities " + config.asMap().get("entities"));
        InterestConfig interests = config.interests();
        TrainedNetwork network = interests == null
                ? LstmTrainer.train(data, data.normalisedSpec(), training, progress)
                : LstmTrainer.train(data, interests.spec(data.normalisedSpec()), training, interests.catalogue(data),
                        progress);
        Baselines baselines = Baselines.fit(data);

        Instant now = Instant.now();
        String version = version(now, network, data);
        Map<String, String> provenanceConfig = new LinkedHashMap<>(config.asMap());
        provenanceConfig.put(CurrentModel.CHURN_HORIZON_KEY, training.churnHorizon().toString());
        provenanceConfig.put("source", history.source());
        Provenance provenance = Provenance.newBuilder()
                .setProducer(PRODUCER)
                .setProducerVersion(producerVersion())
                .setSeed(training.seed())
                .setDataFrom(data.split().from())
                .setDataTo(data.split().to())
                .setConfig(provenanceConfig)
                .setNotes(data.fraudLabelled() ? null : "no fraud labels: fraud head untrained (constant ~0.1 %)")
                .build();
        ModelBundle candidate = network.toBundle(config.modelName(), version, provenance).build();
        CooccurrencePriors.Selection prior = null;
        if (interests != null) {
            prior = CooccurrencePriors.select(data, candidate, interests.itemBrands(network.catalogue()));
            LOG.info("next-item co-occurrence prior: {} entries, best blend without affinities {} on {} validation"
                    + " steps (NDCG@{} {})", prior.prior().entries(), prior.chosen().blend(), prior.validationSteps(),
                    CooccurrencePriors.CUTOFF, prior.chosen().validation().ndcg(CooccurrencePriors.CUTOFF));
            LOG.info("next-item category affinity {}, brand affinity {} and blend {} chosen on the same steps"
                    + " (NDCG@{} {})", prior.affinity(), prior.brand(), prior.blend(), CooccurrencePriors.CUTOFF,
                    prior.served().validation().ndcg(CooccurrencePriors.CUTOFF));
            LOG.info("next-category history weight {} chosen on the same steps (HR@3 {})", prior.categoryBlend(),
                    prior.chosenCategory().validation().hitRate(3));
            candidate = interestChoices(candidate, prior);
        }
        FraudTreesTrainer.Result trees = fraudTrees(config, data, candidate);
        if (trees != null && trees.beatsHead()) {
            candidate = ModelBundles.withFraudTrees(candidate, trees.trees());
        }
        LstmModel candidateModel = ModelBundles.toModel(candidate);

        CurrentModel current = sameEntities(currentModel(config, training.churnHorizon()), config.entities());
        Map<String, LstmModel> models = new LinkedHashMap<>();
        models.put(PublishGate.CANDIDATE, candidateModel);
        if (current.comparable()) {
            models.put(PublishGate.CURRENT, current.model());
        }
        Evaluation test = Evaluator.evaluate(data, Period.TEST, models, baselines.nextAction(), baselines.churn(),
                baselines.fraud());
        Verdict verdict = PublishGate.decide(test, current);

        ModelBundle bundle = network.toBundle(config.modelName(), version, provenance)
                .setCreatedAt(candidate.getCreatedAt())
                .setMetrics(metrics(test, network, prior, trees))
                .build();
        if (prior != null) {
            bundle = interestChoices(bundle, prior);
        }
        if (trees != null && trees.beatsHead()) {
            bundle = ModelBundles.withFraudTrees(bundle, trees.trees());
        }
        Path outDir = config.outBase().resolve(version);
        boolean published = false;
        try {
            Files.createDirectories(outDir);
            ModelBundles.write(bundle, outDir.resolve(BUNDLE_FILE));
            if (verdict.publish() && config.publish()) {
                var metadata = new ModelWeightsTopic(config.clientConfig(), config.weightsTopic(), config.timeout())
                        .publish(bundle);
                published = true;
                LOG.info("published {} {} to {}-{}@{}", bundle.getName(), version, metadata.topic(),
                        metadata.partition(), metadata.offset());
            }
            TrainingReport report = new TrainingReport(config.modelName(), version, now, config.asMap(), data,
                    network, test, verdict, published, outDir.resolve(BUNDLE_FILE).toString(), prior, trees);
            List<String> files = new ArrayList<>(ReportWriter.write(outDir, report));
            files.add(BUNDLE_FILE);
            return new TrainResult(bundle, outDir, files, report, verdict, published);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + outDir, e);
        }
    }

    /**
     * The gradient-boosted fraud head fitted on the candidate's LSTM, or null when the job asks for none or the data
     * has no fraud labels.
     */
    private static FraudTreesTrainer.Result fraudTrees(TrainJobConfig config, TrainingData data,
            ModelBundle candidate) {
        if (config.fraudTrees() == null) {
            return null;
        }
        if (!data.fraudLabelled()) {
            LOG.warn("--fraud-trees: the history has no fraud labels; no fraud trees fitted");
            return null;
        }
        FraudTreesTrainer.Result trees = FraudTreesTrainer.fit(data, ModelBundles.toModel(candidate),
                config.fraudTrees());
        LOG.info("fraud trees: {} trees, validation fraud AP {} vs {} for the linear head: {}", trees.trees().trees(),
                trees.treesValidationAp(), trees.headValidationAp(), trees.beatsHead() ? "served" : "not served");
        return trees;
    }

    private static CurrentModel currentModel(TrainJobConfig config, Duration horizon) {
        if (config.currentFile() != null) {
            try {
                return CurrentModel.of(ModelBundles.read(config.currentFile()), config.currentFile().toString(),
                        horizon);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the current bundle " + config.currentFile(), e);
            }
        }
        if (!config.publish()) {
            return CurrentModel.none("publishing off and no current bundle file given");
        }
        String origin = "looked on " + config.weightsTopic() + " at " + config.clientConfig().get("bootstrap.servers");
        Optional<ModelBundle> latest = new ModelWeightsTopic(config.clientConfig(), config.weightsTopic(),
                config.timeout()).latest(config.modelName());
        return latest.map(b -> CurrentModel.of(b, origin, horizon)).orElseGet(() -> CurrentModel.none(origin));
    }

    /**
     * {@code current}, or incompatible if it reads entity types this round's data does not carry: the evaluation
     * feeds every model the same raw features, and a model without entities reads only their version-1 prefix.
     */
    static CurrentModel sameEntities(CurrentModel current, List<EntityWindowSpec> entities) {
        if (!current.comparable()) {
            return current;
        }
        List<EntityWindowSpec> declared = current.model().featureSpec().entities();
        if (declared.isEmpty() || declared.equals(entities)) {
            return current;
        }
        return new CurrentModel(current.bundle(), null, "its feature spec reads entity types "
                + declared.stream().map(TrainJobConfig::describe).toList() + ", not this round's "
                + entities.stream().map(TrainJobConfig::describe).toList(), current.origin());
    }

    /**
     * {@code bundle} with the prior, the category and brand affinities and the category-history weight chosen on the
     * validation period.
     */
    private static ModelBundle interestChoices(ModelBundle bundle, CooccurrencePriors.Selection choices) {
        return ModelBundles.withCategoryHistory(choices.applyTo(bundle), choices.categoryBlend());
    }

    /** {@code test.<head>.<metric>} of the new model, plus training facts and the co-occurrence prior's choice. */
    private static Map<String, Double> metrics(Evaluation test, TrainedNetwork network,
            CooccurrencePriors.Selection prior, FraudTreesTrainer.Result trees) {
        Map<String, Double> metrics = new HashMap<>();
        for (HeadEvaluation head : test.heads()) {
            if (!head.metrics().containsKey(PublishGate.CANDIDATE)) {
                continue;
            }
            head.metrics().get(PublishGate.CANDIDATE).forEach((name, value) -> {
                if (Double.isFinite(value)) {
                    metrics.put("test." + head.head() + "." + name, value);
                }
            });
        }
        double mean = test.meanLogLoss(PublishGate.CANDIDATE);
        if (Double.isFinite(mean)) {
            metrics.put("test.mean_log_loss", mean);
        }
        metrics.put("train.epochs", (double) network.epochs().size());
        metrics.put("train.best_epoch", (double) network.bestEpoch());
        if (trees != null) {
            metrics.put("fraud_trees.served", trees.beatsHead() ? 1.0 : 0.0);
            metrics.put("fraud_trees.trees", (double) trees.trees().trees());
            metrics.put("validation.fraud_trees.average_precision", trees.treesValidationAp());
            metrics.put("validation.fraud_head.average_precision", trees.headValidationAp());
        }
        if (prior != null) {
            String head = ModelBundles.NEXT_ITEM_HEAD;
            metrics.put(head + ".cooccurrence_blend", (double) prior.blend());
            metrics.put(head + ".cooccurrence_entries", (double) prior.prior().entries());
            metrics.put(head + ".category_affinity", (double) prior.affinity());
            metrics.put(head + ".brand_affinity", (double) prior.brand());
            RankingMetrics validation = prior.served().validation();
            int k = CooccurrencePriors.CUTOFF;
            if (validation.users() > 0) {
                metrics.put("validation." + head + ".hr_at_" + k, validation.hitRate(k));
                metrics.put("validation." + head + ".ndcg_at_" + k, validation.ndcg(k));
            }
            String categoryHead = ModelBundles.NEXT_CATEGORY_HEAD;
            metrics.put(categoryHead + ".history_weight", (double) prior.categoryBlend());
            RankingMetrics categories = prior.chosenCategory().validation();
            if (categories.users() > 0) {
                metrics.put("validation." + categoryHead + ".hr_at_1", categories.hitRate(1));
                metrics.put("validation." + categoryHead + ".hr_at_3", categories.hitRate(3));
            }
        }
        return metrics;
    }

    /** {@code yyyyMMdd'T'HHmmss'Z'-<8 hex>}: sortable by time, the hash of the weights and what they came from. */
    static String version(Instant now, TrainedNetwork network, TrainingData data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            network.rowMajorTensors().forEach((name, values) -> {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES);
                for (float v : values) {
                    buffer.putFloat(v);
                }
                digest.update(buffer.array());
            });
            digest.update(network.config().asMap().toString().getBytes(StandardCharsets.UTF_8));
            digest.update(data.split().toString().getBytes(StandardCharsets.UTF_8));
            return VERSION_TIME.format(now) + "-" + HexFormat.of().formatHex(digest.digest(), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String producerVersion() {
        String version = TrainJob.class.getPackage().getImplementationVersion();
        return PRODUCER + "-" + (version == null ? "dev" : version);
    }
}

package io.pulse.trainer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.model.ModelBundles;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TimeSplit;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.eval.Evaluator;
import io.pulse.trainer.eval.HeadEvaluation;
import io.pulse.trainer.eval.Losses;
import io.pulse.trainer.interest.CooccurrencePriors;
import io.pulse.trainer.interest.NextItemServing.BlendTrial;
import io.pulse.trainer.interest.RankingWeights;
import io.pulse.trainer.train.EpochResult;
import io.pulse.trainer.train.FraudTreesTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a round's report into a directory: {@code report.json} (machine-readable: config, data summary, training
 * history, every head's metrics for the model, the current model, every baseline and the Bayes row, the verdict,
 * and for a model with interest heads its next-item co-occurrence prior: size, blend chosen and the validation figures
 * of every blend tried), {@code report.md} (the same as tables, model and baselines side by side) and the PNG plots
 * ({@link Plots}).
 */
public final class ReportWriter {

    public static final String JSON_FILE = "report.json";
    public static final String MARKDOWN_FILE = "report.md";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    /** Writes everything; returns the files written, relative to {@code dir}. */
    public static List<String> write(Path dir, TrainingReport report) throws IOException {
        Files.createDirectories(dir);
        List<String> plots = Plots.all(dir, report);
        Files.writeString(dir.resolve(JSON_FILE), JSON.writeValueAsString(json(report, plots)),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(MARKDOWN_FILE), markdown(report, plots), StandardCharsets.UTF_8);
        List<String> files = new ArrayList<>(List.of(JSON_FILE, MARKDOWN_FILE));
        files.addAll(plots);
        return files;
    }

    static ObjectNode json(TrainingReport report, List<String> plots) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", report.modelName());
        root.put("version", report.version());
        root.put("createdAt", report.createdAt().toString());
        ObjectNode config = root.putObject("config");
        report.config().forEach(config::put);

        TrainingData data = report.data();
        ObjectNode dataNode = root.putObject("data");
        dataNode.put("source", data.history().source());
        dataNode.put("users", data.sequences().size());
        dataNode.put("events", data.steps());
        dataNode.put("labels", data.history().labels().size());
        dataNode.put("duplicatesDropped", data.duplicatesDropped());
        ObjectNode skipped = dataNode.putObject("skipped");
        data.history().skipped().forEach(skipped::put);
        dataNode.put("fraudLabelled", data.fraudLabelled());
        dataNode.put("simulated", data.history().simulated());
        dataNode.put("churnHorizon", data.churnHorizon().toString());
        TimeSplit split = data.split();
        dataNode.put("from", split.from().toString());
        dataNode.put("trainEnd", split.trainEnd().toString());
        dataNode.put("validationEnd", split.validationEnd().toString());
        dataNode.put("to", split.to().toString());
        ObjectNode periods = dataNode.putObject("periods");
        for (Period period : Period.values()) {
            TrainingData.PeriodSummary s = data.summary(period);
            ObjectNode p = periods.putObject(period.name().toLowerCase(Locale.ROOT));
            p.put("users", s.users());
            p.put("steps", s.steps());
            p.put("nextActionLabels", s.nextActionLabels());
            p.put("churnLabels", s.churnLabels());
            p.put("churnPositives", s.churnPositives());
            p.put("fraudLabels", s.fraudLabels());
            p.put("fraudPositives", s.fraudPositives());
        }

        ObjectNode training = root.putObject("training");
        training.put("seconds", report.network().seconds());
        training.put("bestEpoch", report.network().bestEpoch());
        training.put("stoppedEarly", report.network().stoppedEarly());
        ArrayNode epochs = training.putArray("epochs");
        for (EpochResult epoch : report.network().epochs()) {
            ObjectNode e = epochs.addObject();
            e.put("epoch", epoch.epoch());
            losses(e.putObject("train"), epoch.train());
            losses(e.putObject("validation"), epoch.validation());
            e.put("improved", epoch.improved());
            e.put("seconds", epoch.seconds());
            if (!Double.isNaN(epoch.validationFraudAveragePrecision())) {
                e.put("validationFraudAveragePrecision", epoch.validationFraudAveragePrecision());
            }
        }

        ObjectNode heads = root.putObject("test");
        for (HeadEvaluation head : heads(report)) {
            ObjectNode h = heads.putObject(head.head());
            h.put("labelled", head.labelled());
            if (!head.head().equals(ModelBundles.NEXT_ACTION_HEAD)) {
                h.put("positives", head.positives());
            }
            ObjectNode scorers = h.putObject("scorers");
            head.metrics().forEach((scorer, metrics) -> {
                ObjectNode m = scorers.putObject(scorer);
                metrics.forEach((name, value) -> number(m, name, value));
            });
        }
        if (report.prior() != null) {
            priorJson(root.putObject("cooccurrencePrior"), report.prior());
        }
        if (report.fraudTrees() != null) {
            FraudTreesTrainer.Result trees = report.fraudTrees();
            ObjectNode node = root.putObject("fraudTrees");
            node.put("served", trees.beatsHead());
            node.put("trees", trees.trees().trees());
            number(node, "validationAveragePrecision", trees.treesValidationAp());
            number(node, "linearHeadValidationAveragePrecision", trees.headValidationAp());
            node.put("trainSteps", trees.trainSteps());
            node.put("validationSteps", trees.validationSteps());
            node.put("refitted", trees.refitted());
        }
        ObjectNode verdict = root.putObject("verdict");
        verdict.put("publish", report.verdict().publish());
        verdict.put("published", report.published());
        verdict.put("reason", report.verdict().reason());
        number(verdict, "candidateMeanLogLoss", report.verdict().candidateLoss());
        number(verdict, "currentMeanLogLoss", report.verdict().currentLoss());
        verdict.put("currentVersion", report.verdict().currentVersion());
        root.put("bundle", report.bundleFile());
        ArrayNode plotArray = root.putArray("plots");
        plots.forEach(plotArray::add);
        return root;
    }

    private static void priorJson(ObjectNode node, CooccurrencePriors.Selection selection) {
        int k = CooccurrencePriors.CUTOFF;
        node.put("items", selection.prior().items());
        node.put("entries", selection.prior().entries());
        node.put("window", CooccurrencePriors.WINDOW);
        node.put("similarity", CooccurrencePriors.SIMILARITY);
        node.put("similarityReach", CooccurrencePriors.SIMILARITY_REACH);
        node.put("neighbours", CooccurrencePriors.NEIGHBOURS);
        node.put("recentItems", selection.prior().recentItems());
        node.put("decay", selection.prior().decay());
        node.put("blend", selection.blend());
        node.put("validationSteps", selection.validationSteps());
        node.put("eligibleValidationSteps", selection.eligibleSteps());
        itemTrials(node.putArray("blends"), "blend", selection.trials(), k);
        node.put("categoryAffinity", selection.affinity());
        itemTrials(node.putArray("categoryAffinities"), "weight", selection.affinityTrials(), k);
        node.put("brandAffinity", selection.brand());
        ArrayNode search = node.putArray("rankingSearch");
        for (RankingWeights.Step step : selection.ranking().steps()) {
            ObjectNode s = search.addObject();
            s.put("weight", step.weight().name().toLowerCase(Locale.ROOT));
            s.put("blend", step.from().blend());
            s.put("categoryAffinity", step.from().affinity());
            s.put("brandAffinity", step.from().brand());
            s.put("chosen", step.chosen().value(step.weight()));
            itemTrials(s.putArray("trials"), "value", step.trials(), k);
        }
        node.put("categoryHistoryWeight", selection.categoryBlend());
        ArrayNode weights = node.putArray("categoryHistoryWeights");
        for (BlendTrial trial : selection.categoryTrials()) {
            ObjectNode t = weights.addObject();
            t.put("weight", trial.blend());
            number(t, "hrAt1", trial.validation().hitRate(1));
            number(t, "hrAt3", trial.validation().hitRate(3));
        }
    }

    /** One object per trial: its weight under {@code key}, validation HR@k and NDCG@k. */
    private static void itemTrials(ArrayNode array, String key, List<BlendTrial> trials, int k) {
        for (BlendTrial trial : trials) {
            ObjectNode t = array.addObject();
            t.put(key, trial.blend());
            number(t, "hrAt" + k, trial.validation().hitRate(k));
            number(t, "ndcgAt" + k, trial.validation().ndcg(k));
        }
    }

    private static void priorMarkdown(StringBuilder md, CooccurrencePriors.Selection selection) {
        int k = CooccurrencePriors.CUTOFF;
        md.append("## Next-item co-occurrence prior\n\n");
        md.append(String.format(Locale.ROOT, "Counted on the training period: %d neighbour entries over %d item rows"
                + " (per item the %d or fewer heaviest: %s). At serving time the user's last %d items vote (decay %s)"
                + " and blend × log(1 + votes) is added to the next-item logits.%n%n", selection.prior().entries(),
                selection.prior().items(), CooccurrencePriors.NEIGHBOURS, CooccurrencePriors.describeWeights(),
                selection.prior().recentItems(), selection.prior().decay()));
        RankingWeights chosen = selection.ranking().chosen();
        md.append(String.format(Locale.ROOT, "**Blend %s, category affinity %s, brand affinity %s**, chosen on"
                + " validation NDCG@%d over %d of the %d validation steps with a known next item (history kept in), one"
                + " weight at a time in the order below, the others held (blend 0 is the head alone). An affinity"
                + " adds weight × log(1 + n) to the logit of every item of a category (brand) the user has n of among"
                + " their last %d distinct items (0: none; brands come from the item file).%n%n",
                chosen.blend(), chosen.affinity(), chosen.brand(), k, selection.validationSteps(),
                selection.eligibleSteps(), CooccurrencePriors.CATEGORY_HISTORY_ITEMS));
        int number = 1;
        for (RankingWeights.Step step : selection.ranking().steps()) {
            RankingWeights from = step.from();
            md.append(String.format(Locale.ROOT, "Step %d, the %s (blend %s, category affinity %s, brand affinity %s"
                    + " held):%n%n", number++, step.weight().label(), from.blend(), from.affinity(), from.brand()));
            md.append("| ").append(step.weight() == RankingWeights.Weight.BLEND ? "blend" : "weight")
                    .append(" | validation HR@").append(k).append(" | validation NDCG@").append(k).append(" |\n");
            md.append("|---:|---:|---:|\n");
            float best = step.chosen().value(step.weight());
            for (BlendTrial trial : step.trials()) {
                String value = Float.toString(trial.blend());
                md.append("| ").append(trial.blend() == best ? "**" + value + "**" : value).append(" | ")
                        .append(format(trial.validation().hitRate(k))).append(" | ")
                        .append(format(trial.validation().ndcg(k))).append(" |\n");
            }
            md.append('\n');
        }
        md.append(String.format(Locale.ROOT, "**Next-category history weight %s**, chosen on validation HR@3 over the"
                + " same steps whose next item has a category: the head's probabilities times (1 + n_c)^w, n_c"
                + " counting category c among the user's last %d distinct items (w 0 is the head alone).%n%n",
                selection.categoryBlend(), CooccurrencePriors.CATEGORY_HISTORY_ITEMS));
        md.append("| w | validation HR@1 | validation HR@3 |\n|---:|---:|---:|\n");
        for (BlendTrial trial : selection.categoryTrials()) {
            String weight = Float.toString(trial.blend());
            md.append("| ").append(trial.blend() == selection.categoryBlend() ? "**" + weight + "**" : weight)
                    .append(" | ").append(format(trial.validation().hitRate(1))).append(" | ")
                    .append(format(trial.validation().hitRate(3))).append(" |\n");
        }
        md.append('\n');
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static void losses(ObjectNode node, Losses losses) {
        number(node, "nextAction", losses.nextAction());
        number(node, "churn", losses.churn());
        number(node, "fraud", losses.fraud());
        number(node, "mean", losses.mean());
    }

    /** JSON has no NaN: absent metrics are null. */
    private static void number(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    private static List<HeadEvaluation> heads(TrainingReport report) {
        List<HeadEvaluation> heads = new ArrayList<>();
        heads.add(report.test().nextAction());
        heads.add(report.test().churn());
        if (report.test().fraud() != null) {
            heads.add(report.test().fraud());
        }
        return heads;
    }

    static String markdown(TrainingReport report, List<String> plots) {
        StringBuilder md = new StringBuilder();
        TrainingData data = report.data();
        TimeSplit split = data.split();
        md.append("# Training report: ").append(report.modelName()).append(' ').append(report.version())
                .append("\n\n");
        md.append("**Verdict:** ").append(report.verdict().publish() ? "publish" : "keep the current model")
                .append(report.published() ? " (published)" : report.verdict().publish() ? " (not published:"
                        + " publishing is off)" : "").append(" — ").append(report.verdict().reason()).append(".\n\n");
        md.append("Rule: the new model is published if there is no current model, if the current one is"
                + " incompatible, or if its mean test log-loss over the heads with labels is strictly lower.\n\n");
        md.append("## Data\n\n");
        md.append("- source: ").append(data.history().source()).append('\n');
        md.append(String.format(Locale.ROOT, "- %d users, %d events (%d repeated event ids dropped), %d labels%s%n",
                data.sequences().size(), data.steps(), data.duplicatesDropped(), data.history().labels().size(),
                data.history().skipped().isEmpty() ? "" : ", skipped: " + data.history().skipped()));
        md.append("- churn horizon ").append(data.churnHorizon()).append("; fraud labels: ")
                .append(data.fraudLabelled() ? "yes" : "none (fraud head untrained)").append('\n');
        md.append("- split: train ").append(split.from()).append(" to ").append(split.trainEnd())
                .append(", validation to ").append(split.validationEnd()).append(", test to ").append(split.to())
                .append("\n\n");
        md.append("| period | users | steps | next-action labels | churn labels (positive) | fraud labels (positive) |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (Period period : Period.values()) {
            TrainingData.PeriodSummary s = data.summary(period);
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d (%d) | %d (%d) |%n",
                    period.name().toLowerCase(Locale.ROOT), s.users(), s.steps(), s.nextActionLabels(),
                    s.churnLabels(), s.churnPositives(), s.fraudLabels(), s.fraudPositives()));
        }
        md.append("\n## Test period: model vs baselines\n\n");
        for (HeadEvaluation head : heads(report)) {
            md.append("### ").append(head.head()).append(String.format(Locale.ROOT, " (%d labelled steps%s)%n%n",
                    head.labelled(), head.head().equals(ModelBundles.NEXT_ACTION_HEAD) ? ""
                            : ", " + head.positives() + " positive"));
            List<String> metricNames = new ArrayList<>();
            head.metrics().values().forEach(m -> m.keySet().forEach(k -> {
                if (!metricNames.contains(k)) {
                    metricNames.add(k);
                }
            }));
            md.append("| scorer |");
            metricNames.forEach(m -> md.append(' ').append(m).append(" |"));
            md.append("\n|---|");
            metricNames.forEach(m -> md.append("---:|"));
            md.append('\n');
            for (Map.Entry<String, Map<String, Double>> scorer : head.metrics().entrySet()) {
                String name = scorer.getKey();
                String label = switch (name) {
                    case "model" -> "**model " + report.version() + "**";
                    case "current" -> "current " + report.verdict().currentVersion();
                    case Evaluator.BAYES -> "Bayes-optimal (simulator truth)";
                    default -> "baseline: " + name;
                };
                md.append("| ").append(label).append(" |");
                for (String metric : metricNames) {
                    Double value = scorer.getValue().get(metric);
                    md.append(' ').append(value == null || value.isNaN() ? "–"
                            : String.format(Locale.ROOT, "%.4f", value)).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        if (report.prior() != null) {
            priorMarkdown(md, report.prior());
        }
        if (report.fraudTrees() != null) {
            FraudTreesTrainer.Result trees = report.fraudTrees();
            md.append("## Fraud head\n\n");
            md.append(String.format(Locale.ROOT, "Gradient-boosted trees (XGBoost, %d trees) fitted on the normalised"
                    + " input and the LSTM's hidden state of %,d labelled training steps: validation fraud average"
                    + " precision **%s** against %s for the LSTM's linear fraud head, over %,d validation steps."
                    + " %s%n%n", trees.trees().trees(), trees.trainSteps(), format(trees.treesValidationAp()),
                    format(trees.headValidationAp()), trees.validationSteps(), !trees.beatsHead()
                            ? "Not served: the bundle keeps the linear head."
                            : trees.refitted() ? "The bundle serves the trees, fitted again with as many trees on the"
                                    + " training and validation steps together; the test figures above are theirs."
                            : "The bundle serves the trees; the test figures above are theirs."));
        }
        md.append("## Training\n\n");
        md.append(String.format(Locale.ROOT, "%d epochs in %.1f s, kept epoch %d%s.%n%n",
                report.network().epochs().size(), report.network().seconds(), report.network().bestEpoch(),
                report.network().stoppedEarly() ? " (stopped early)" : ""));
        md.append("| epoch | train loss | validation loss | next action (val) | churn (val) | fraud (val) |\n");
        md.append("|---:|---:|---:|---:|---:|---:|\n");
        for (EpochResult e : report.network().epochs()) {
            md.append(String.format(Locale.ROOT, "| %d%s | %.4f | %.4f | %.4f | %.4f | %s |%n", e.epoch(),
                    e.improved() ? "*" : "", e.train().mean(), e.validation().mean(), e.validation().nextAction(),
                    e.validation().churn(), Double.isNaN(e.validation().fraud()) ? "–"
                            : String.format(Locale.ROOT, "%.4f", e.validation().fraud())));
        }
        md.append("\n## Plots\n\n");
        plots.forEach(p -> md.append("![").append(p).append("](").append(p).append(")\n"));
        md.append("\n## Configuration\n\n");
        report.config().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\nBundle: ").append(report.bundleFile()).append('\n');
        return md.toString();
    }
}

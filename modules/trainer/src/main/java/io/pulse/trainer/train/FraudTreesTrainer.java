package io.pulse.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.model.AmountHistory;
import io.pulse.model.FraudTrees;
import io.pulse.model.LstmModel;
import io.pulse.model.Scores;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.data.UserSequence;
import io.pulse.trainer.eval.Evaluator;
import io.pulse.trainer.eval.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Fits a gradient-boosted fraud head ({@link FraudTrees}) on top of a trained LSTM, with XGBoost: the features of a
 * step are its normalised dense input and the LSTM's hidden state after it — what the linear fraud head reads, plus
 * the input itself, so the trees can use thresholds and interactions (a terminal's delayed risk above some level)
 * that a linear read of {@code h} captures only partly — and, with {@link Settings#amountHistory()}, the
 * {@link AmountHistory} features (the amount against the user's own mean amounts: a ratio of two inputs, which
 * axis-aligned splits cannot form themselves). Labelled fraud steps of the training period are fitted, boosting stops
 * on the validation period's average precision (XGBoost's {@code aucpr}), and the result says whether the trees beat
 * the linear head on that validation period: serve them only if they do.
 * With {@link Settings#refit()} the served trees are then fitted once more, on the training <em>and</em> validation
 * steps with the number of rounds chosen on validation: the validation days are the most recent labelled ones (in the
 * fraud handbook's protocol, two of the seven days of the training week), and a fraud head should learn from them
 * before it is served; every choice (rounds, trees or head) is still made on the first fit's validation figures.
 *
 * <p>The hidden states come from {@link LstmModel#step}, the kernel the pipeline runs, over each user's whole
 * sequence from its first event, so the trees learn from exactly the states they will be served with. The exported
 * trees are checked against XGBoost's own predictions ({@code FraudTreesTrainerTest}).
 */
public final class FraudTreesTrainer {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Labelled steps kept per period at most: beyond it every fraud is kept and an evenly spaced share of the genuine
     * steps, each weighted by the inverse of that share (so the trees still see the real fraud rate), which bounds the
     * rows' memory ({@code (inputs + hidden) * 4} bytes each) whatever the history's length.
     */
    static final int MAX_ROWS_PER_PERIOD = 1_000_000;

    private FraudTreesTrainer() {
    }

    /**
     * XGBoost's settings for the fraud head.
     *
     * @param maxRounds           boosting rounds at most (one tree each)
     * @param maxDepth            depth of each tree
     * @param learningRate        shrinkage ({@code eta})
     * @param earlyStoppingRounds stop after this many rounds without a better validation average precision
     * @param maxBin              histogram bins per feature ({@code max_bin} of XGBoost's {@code hist} method): the
     *                            candidate thresholds are this many quantiles of each feature, so a threshold that
     *                            matters for a rare class (an amount of 220, a terminal's first known fraud) is only
     *                            found if the bins are fine enough to place it
     * @param minChildWeight      the least hessian (about: weighted steps) a leaf may hold ({@code min_child_weight}):
     *                            larger values keep leaves from isolating a handful of frauds
     * @param amountHistory       whether the trees also read the {@link AmountHistory} features
     * @param seed                XGBoost's seed
     * @param refit               whether the served trees are fitted again on the training and validation steps
     *                            with the rounds chosen on validation
     */
    public record Settings(int maxRounds, int maxDepth, double learningRate, int earlyStoppingRounds, int maxBin,
            double minChildWeight, boolean amountHistory, long seed, boolean refit) {

        public Settings {
            if (maxRounds < 1 || maxDepth < 1 || maxDepth > 16 || !(learningRate > 0) || earlyStoppingRounds < 1
                    || maxBin < 2 || !(minChildWeight >= 0)) {
                throw new IllegalArgumentException("fraud trees need maxRounds >= 1, maxDepth in [1, 16],"
                        + " learningRate > 0, earlyStoppingRounds >= 1, maxBin >= 2 and minChildWeight >= 0");
            }
        }

        /**
         * Up to 400 trees of depth 4, learning rate 0.1, 50 rounds of patience, 4096 bins, leaves of weight 5 or more.
         * Rounds, depth and rate: on the fraud handbook's fold 0 the validation average precision was flat from about
         * 200 rounds on at depths 4 and 6 and learning rate 0.1, and fell at 0.3 (validation data only). Bins and leaf
         * weight: chosen on the validation days of the handbook's folds 4 to 7, whose weeks all precede the protocol's
         * test weeks (trees on the step inputs alone): XGBoost's default 256 bins cost every one of those folds
         * validation average precision against 1024, 4096 or 16384 bins — the bins are quantiles, and the rare
         * thresholds that separate frauds fell inside one — and 4096 bins with leaf weight 5 had the best mean over
         * the four folds, ahead of depth 3 or 6, leaf weight 1 and the exact (unbinned) method. The amount-history
         * features: on the same folds' validation days they raised the average precision on every fold (leaked cards
         * spend several times their usual amount, which no single input shows); their two mean shifts (the card's 24 h
         * and 7 d mean amount against its 30 d mean) raised, in the whole protocol on folds 4 to 7
         * ({@code benchmarks/FRAUD_HANDBOOK-validation.md}), the trees' validation average precision, the assessed
         * weeks' AUC and average precision and the leaked cards' AUC on every fold (mean AUC 0.894 to 0.897, AP 0.729
         * to 0.742, leaked cards 0.976 to 0.987).
         */
        public static Settings defaults() {
            return new Settings(400, 4, 0.1, 50, 4096, 5.0, true, 1L, true);
        }

        /** How many {@link AmountHistory} features the trees read after x and h: 0 or {@link AmountHistory#COUNT}. */
        public int amountHistoryCount() {
            return amountHistory ? AmountHistory.COUNT : 0;
        }

        /** These settings without the refit on training + validation steps. */
        public Settings withoutRefit() {
            return new Settings(maxRounds, maxDepth, learningRate, earlyStoppingRounds, maxBin, minChildWeight,
                    amountHistory, seed, false);
        }

        /** For reports and provenance. */
        public Map<String, String> asMap() {
            Map<String, String> map = new LinkedHashMap<>();
            map.put("fraudTrees.maxRounds", Integer.toString(maxRounds));
            map.put("fraudTrees.maxDepth", Integer.toString(maxDepth));
            map.put("fraudTrees.learningRate", Double.toString(learningRate));
            map.put("fraudTrees.earlyStoppingRounds", Integer.toString(earlyStoppingRounds));
            map.put("fraudTrees.maxBin", Integer.toString(maxBin));
            map.put("fraudTrees.minChildWeight", Double.toString(minChildWeight));
            map.put("fraudTrees.amountHistory", Boolean.toString(amountHistory));
            map.put("fraudTrees.refit", Boolean.toString(refit));
            return map;
        }
    }

    /**
     * The fitted trees and how they compare with the linear head on the validation period.
     *
     * @param trees                 the ensemble to serve, cut at the round with the best validation average precision
     *                              (with {@link Settings#refit()}, that many rounds fitted on training + validation)
     * @param treesValidationAp     the trees' validation average precision (computed with {@link FraudTrees}, for the
     *                              trees fitted on the training steps only)
     * @param headValidationAp      the linear fraud head's on the same steps
     * @param trainSteps            labelled training steps fitted
     * @param validationSteps       labelled validation steps
     * @param refitted              whether {@code trees} were fitted again on the training and validation steps
     */
    public record Result(FraudTrees trees, double treesValidationAp, double headValidationAp, long trainSteps,
            long validationSteps, boolean refitted) {

        /** Whether the trees rank the validation frauds better than the linear head: only then are they served. */
        public boolean beatsHead() {
            return treesValidationAp > headValidationAp;
        }
    }

    /**
     * Fits the trees on {@code data}'s training period, with {@code model} (the trained LSTM, its linear fraud head
     * still in place) giving the hidden states.
     *
     * @throws IllegalStateException if the training or validation period has no fraud (nothing to fit or select on)
     */
    public static Result fit(TrainingData data, LstmModel model, Settings settings) {
        if (model.hasFraudTrees()) {
            throw new IllegalArgumentException("fit fraud trees on a model with the linear fraud head");
        }
        int amounts = settings.amountHistoryCount();
        int width = model.inputSize() + model.hiddenSize() + amounts;
        Rows train = new Rows(width, data.summary(Period.TRAIN));
        Rows validation = new Rows(width, data.summary(Period.VALIDATION));
        List<Double> headScores = new ArrayList<>();
        collect(data, model, amounts, train, validation, headScores);
        if (train.positives() == 0 || validation.positives() == 0) {
            throw new IllegalStateException("fraud trees need frauds in the training and the validation period; found "
                    + train.positives() + " and " + validation.positives());
        }
        Booster booster;
        float[][] metrics = new float[1][settings.maxRounds()];
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("eval_metric", "aucpr");
        params.put("max_depth", settings.maxDepth());
        params.put("eta", settings.learningRate());
        params.put("tree_method", "hist");
        params.put("max_bin", settings.maxBin());
        params.put("min_child_weight", settings.minChildWeight());
        params.put("seed", settings.seed());
        params.put("nthread", Runtime.getRuntime().availableProcessors());
        params.put("verbosity", 0);
        try {
            DMatrix trainMatrix = train.matrix();
            DMatrix validationMatrix = validation.matrix();
            Map<String, DMatrix> watches = new LinkedHashMap<>();
            watches.put("validation", validationMatrix);
            booster = XGBoost.train(trainMatrix, params, settings.maxRounds(), watches, metrics, null, null,
                    settings.earlyStoppingRounds());
            trainMatrix.dispose();
            validationMatrix.dispose();
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed to fit the fraud trees: " + e.getMessage(), e);
        }
        int best = 0;
        for (int r = 1; r < metrics[0].length; r++) {
            if (metrics[0][r] > metrics[0][best]) {
                best = r;
            }
        }
        FraudTrees trees = fromBooster(booster, best + 1, model.inputSize(), model.hiddenSize(), amounts);
        booster.dispose();
        double[] treeScores = new double[validation.size()];
        float[] x = new float[model.inputSize()];
        float[] h = new float[model.hiddenSize()];
        float[] a = new float[amounts];
        for (int k = 0; k < treeScores.length; k++) {
            validation.row(k, x, h, a);
            treeScores[k] = trees.probability(x, h, a);
        }
        int[] labels = validation.labels();
        double[] head = headScores.stream().mapToDouble(Double::doubleValue).toArray();
        FraudTrees served = settings.refit() ? refit(train, validation, params, best + 1, model, amounts) : trees;
        return new Result(served, Metrics.averagePrecision(treeScores, labels), Metrics.averagePrecision(head, labels),
                train.size(), validation.size(), settings.refit());
    }

    /**
     * Keep one genuine step in this many so that a period with these labelled steps stays within
     * {@link #MAX_ROWS_PER_PERIOD} rows (every fraud is kept).
     */
    static long negativeStride(long positives, long negatives) {
        long room = Math.max(1, MAX_ROWS_PER_PERIOD - positives);
        return Math.max(1, (negatives + room - 1) / room);
    }

    /** {@code rounds} trees fitted on the training and validation rows together, without early stopping. */
    private static FraudTrees refit(Rows train, Rows validation, Map<String, Object> params, int rounds,
            LstmModel model, int amounts) {
        Rows all = new Rows(model.inputSize() + model.hiddenSize() + amounts, 1);
        all.reserve(train.size() + validation.size());
        all.addAll(train);
        all.addAll(validation);
        try {
            DMatrix matrix = all.matrix();
            Booster booster = XGBoost.train(matrix, params, rounds, Map.of(), null, null);
            matrix.dispose();
            FraudTrees trees = fromBooster(booster, rounds, model.inputSize(), model.hiddenSize(), amounts);
            booster.dispose();
            return trees;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed to refit the fraud trees: " + e.getMessage(), e);
        }
    }

    /** Steps every sequence through the model up to the validation period; keeps the labelled fraud steps. */
    private static void collect(TrainingData data, LstmModel model, int amounts, Rows train, Rows validation,
            List<Double> headScores) {
        float[] x = new float[model.inputSize()];
        float[] h = new float[model.hiddenSize()];
        float[] a = new float[amounts];
        float[] c = new float[model.hiddenSize()];
        Scores scores = Scores.forModel(model);
        for (UserSequence sequence : data.sequences()) {
            int last = sequence.lastStepUpTo(Period.VALIDATION);
            Arrays.fill(h, 0f);
            Arrays.fill(c, 0f);
            for (int i = 0; i <= last; i++) {
                Evaluator.step(model, sequence, i, x, h, c);
                int label = sequence.fraud(i);
                if (label < 0) {
                    continue;
                }
                if (amounts > 0) {
                    AmountHistory.compute(model.featureSpec(), x, a, 0, amounts);
                }
                if (sequence.period(i) == Period.TRAIN) {
                    train.offer(x, h, a, label);
                } else if (sequence.period(i) == Period.VALIDATION && validation.offer(x, h, a, label)) {
                    model.heads(x, h, scores);
                    headScores.add((double) scores.fraud);
                }
            }
        }
    }

    /**
     * The first {@code rounds} trees of a binary-logistic booster as {@link FraudTrees} over [x, h, amount history],
     * read from XGBoost's JSON model (base score in probability space, one tree per round; a leaf's value is in
     * {@code split_conditions}).
     */
    static FraudTrees fromBooster(Booster booster, int rounds, int inputs, int hidden, int amounts) {
        JsonNode learner;
        try {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            booster.saveModel(json, "json");
            learner = JSON.readTree(json.toByteArray()).path("learner");
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not export the fraud trees: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String objective = learner.path("objective").path("name").asText();
        if (!"binary:logistic".equals(objective)) {
            throw new IllegalStateException("fraud trees must be fitted with binary:logistic, not " + objective);
        }
        double baseScore = Double.parseDouble(learner.path("learner_model_param").path("base_score").asText()
                .replace("[", "").replace("]", ""));
        float baseMargin = (float) Math.log(baseScore / (1 - baseScore));
        JsonNode treeNodes = learner.path("gradient_booster").path("model").path("trees");
        if (treeNodes.size() < rounds) {
            throw new IllegalStateException("the booster has " + treeNodes.size() + " trees, not " + rounds);
        }
        int total = 0;
        for (int t = 0; t < rounds; t++) {
            total += treeNodes.get(t).path("left_children").size();
        }
        int[] roots = new int[rounds];
        int[] feature = new int[total];
        float[] value = new float[total];
        int[] left = new int[total];
        int[] right = new int[total];
        boolean[] defaultLeft = new boolean[total];
        int offset = 0;
        for (int t = 0; t < rounds; t++) {
            JsonNode tree = treeNodes.get(t);
            JsonNode lefts = tree.path("left_children");
            JsonNode rights = tree.path("right_children");
            JsonNode indices = tree.path("split_indices");
            JsonNode conditions = tree.path("split_conditions");
            JsonNode defaults = tree.path("default_left");
            roots[t] = offset;
            for (int n = 0; n < lefts.size(); n++) {
                int at = offset + n;
                boolean leaf = lefts.get(n).asInt() == -1;
                feature[at] = leaf ? -1 : indices.get(n).asInt();
                value[at] = (float) conditions.get(n).asDouble();
                left[at] = leaf ? 0 : offset + lefts.get(n).asInt();
                right[at] = leaf ? 0 : offset + rights.get(n).asInt();
                JsonNode nanLeft = defaults.get(n);
                defaultLeft[at] = nanLeft.isBoolean() ? nanLeft.asBoolean() : nanLeft.asInt() != 0;
            }
            offset += lefts.size();
        }
        return new FraudTrees(inputs, hidden, amounts, baseMargin, roots, feature, value, left, right, defaultLeft);
    }

    /** Rows of [x, h, amount history] and their labels, in one growing float array. */
    private static final class Rows {
        private final int width;
        private final long negativeStride;
        private long negativesOffered;
        private float[] values = new float[0];
        private int[] labels = new int[0];
        private float[] weights = new float[0];
        private int size;
        private int positives;

        /** Rows of a period whose labelled steps are counted in {@code summary}, capped. */
        Rows(int width, TrainingData.PeriodSummary summary) {
            this(width, negativeStride(summary.fraudPositives(), summary.fraudLabels() - summary.fraudPositives()));
            long negatives = summary.fraudLabels() - summary.fraudPositives();
            reserve((int) (summary.fraudPositives() + (negatives + negativeStride - 1) / negativeStride));
        }

        /** Room for {@code rows} rows in all, so a known count is allocated once rather than doubled into. */
        void reserve(int rows) {
            if (rows > labels.length) {
                values = Arrays.copyOf(values, Math.multiplyExact(rows, width));
                labels = Arrays.copyOf(labels, rows);
                weights = Arrays.copyOf(weights, rows);
            }
        }

        Rows(int width, long negativeStride) {
            this.width = width;
            this.negativeStride = negativeStride;
        }

        /** Adds the step if it is kept (every fraud, the sampled genuine steps); returns whether it was. */
        boolean offer(float[] x, float[] h, float[] a, int label) {
            if (label == 0 && negativesOffered++ % negativeStride != 0) {
                return false;
            }
            makeRoom();
            System.arraycopy(x, 0, values, size * width, x.length);
            System.arraycopy(h, 0, values, size * width + x.length, h.length);
            System.arraycopy(a, 0, values, size * width + x.length + h.length, a.length);
            weights[size] = label == 0 ? negativeStride : 1f;
            labels[size++] = label;
            positives += label;
            return true;
        }

        void addAll(Rows other) {
            for (int k = 0; k < other.size; k++) {
                makeRoom();
                System.arraycopy(other.values, k * width, values, size * width, width);
                weights[size] = other.weights[k];
                labels[size++] = other.labels[k];
                positives += other.labels[k];
            }
        }

        private void makeRoom() {
            if (size == labels.length) {
                int capacity = Math.max(1024, size * 2);
                values = Arrays.copyOf(values, capacity * width);
                labels = Arrays.copyOf(labels, capacity);
                weights = Arrays.copyOf(weights, capacity);
            }
        }

        void row(int k, float[] x, float[] h, float[] a) {
            System.arraycopy(values, k * width, x, 0, x.length);
            System.arraycopy(values, k * width + x.length, h, 0, h.length);
            System.arraycopy(values, k * width + x.length + h.length, a, 0, a.length);
        }

        int size() {
            return size;
        }

        int positives() {
            return positives;
        }

        int[] labels() {
            return Arrays.copyOf(labels, size);
        }

        DMatrix matrix() throws XGBoostError {
            DMatrix matrix = new DMatrix(values.length == size * width ? values : Arrays.copyOf(values, size * width),
                    size, width, Float.NaN);
            float[] y = new float[size];
            boolean weighted = false;
            for (int k = 0; k < size; k++) {
                y[k] = labels[k];
                weighted |= weights[k] != 1f;
            }
            matrix.setLabel(y);
            if (weighted) {
                matrix.setWeight(Arrays.copyOf(weights, size));
            }
            return matrix;
        }
    }
}

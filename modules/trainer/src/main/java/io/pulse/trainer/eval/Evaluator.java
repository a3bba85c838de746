package io.pulse.trainer.eval;

import io.pulse.model.Catalogue;
import io.pulse.model.ItemCooccurrence;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.model.Scores;
import io.pulse.simulator.BayesLogLoss;
import io.pulse.simulator.SimulatedEvent;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.data.UserSequence;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores one period with models (through the plain-Java kernel, exactly as the pipeline would: each user's state
 * warmed up from their first event) and baselines, on the same labelled steps, and computes every metric. When the
 * history is simulated and its truth refers to the same churn horizon, the simulator's ground truth is scored too
 * ({@value #BAYES}): its log-loss is the Bayes-optimal one, computed by {@link BayesLogLoss}.
 *
 * <p>The next-item head's log-loss is its softmax's; its {@code hr_at_10} ranks as the pipeline serves, so with the
 * bundle's {@link ItemCooccurrence} prior of the user's recent items ({@link #recentItemRows}) and the category
 * affinity of their last {@value #SEEN_ITEMS} distinct items when it has them.
 */
public final class Evaluator {

    public static final String ACCURACY = "accuracy";
    public static final String MACRO_F1 = "macro_f1";
    public static final String LOG_LOSS = "log_loss";
    public static final String ROC_AUC = "roc_auc";
    public static final String AVERAGE_PRECISION = "average_precision";
    public static final String BAYES = "bayes";
    private static final int ACTIONS = 8;
    /** The next-item cut-off ({@code hr_at_10}); with a co-occurrence prior, ranks beyond it are not resolved. */
    private static final int RANKED = 10;
    /**
     * The user's most recent distinct items whose categories weigh the served ranking (category affinity and history):
     * the pipeline's default {@code interests.seen.size}, whose seen items it weighs them with.
     */
    public static final int SEEN_ITEMS = 50;

    private Evaluator() {
    }

    /**
     * Evaluates {@code models} (name to model, in report order) and the baselines on {@code period}.
     *
     * @param models a model whose feature spec this build cannot reproduce must be rejected before (see
     *               {@code ModelBundles.toModel}); every model reads the same raw features, normalised by its own spec
     */
    public static Evaluation evaluate(TrainingData data, Period period, Map<String, LstmModel> models,
            List<NextActionPredictor> nextActionBaselines, List<BinaryPredictor> churnBaselines,
            List<BinaryPredictor> fraudBaselines) {
        Objects.requireNonNull(data, "data");
        Steps next = new Steps();
        Steps churn = new Steps();
        Steps fraud = new Steps();
        List<UserSequence> sequences = data.sequences();
        for (int s = 0; s < sequences.size(); s++) {
            UserSequence sequence = sequences.get(s);
            for (int i = 0; i < sequence.length(); i++) {
                if (sequence.period(i) != period) {
                    continue;
                }
                if (sequence.nextAction(i) >= 0) {
                    next.add(s, i, sequence.nextAction(i));
                }
                if (sequence.churn(i) >= 0) {
                    churn.add(s, i, sequence.churn(i));
                }
                if (sequence.fraud(i) >= 0) {
                    fraud.add(s, i, sequence.fraud(i));
                }
            }
        }
        Map<String, NextScores> nextScores = new LinkedHashMap<>();
        Map<String, double[]> churnScores = new LinkedHashMap<>();
        Map<String, double[]> fraudScores = new LinkedHashMap<>();
        Map<String, double[]> categoryLosses = new LinkedHashMap<>();
        Map<String, double[]> itemLosses = new LinkedHashMap<>();
        Map<String, int[]> itemRanks = new LinkedHashMap<>();
        models.forEach((name, model) -> {
            NextScores n = new NextScores(next);
            double[] c = new double[churn.size()];
            double[] f = new double[fraud.size()];
            Interests interests = model.hasInterests() ? new Interests(next.size()) : null;
            scoreModel(model, sequences, period, next, churn, fraud, n, c, f, interests);
            nextScores.put(name, n);
            churnScores.put(name, c);
            fraudScores.put(name, f);
            if (interests != null) {
                categoryLosses.put(name, interests.categoryLoss);
                itemLosses.put(name, interests.itemLoss);
                itemRanks.put(name, interests.itemRank);
            }
        });
        for (NextActionPredictor baseline : nextActionBaselines) {
            NextScores n = new NextScores(next);
            float[] p = new float[ACTIONS];
            for (int k = 0; k < next.size(); k++) {
                Arrays.fill(p, 0f);
                baseline.predict(sequences.get(next.sequence(k)), next.step(k), p);
                n.set(k, p);
            }
            nextScores.put(baseline.name(), n);
        }
        for (BinaryPredictor baseline : churnBaselines) {
            churnScores.put(baseline.name(), binary(baseline, sequences, churn));
        }
        for (BinaryPredictor baseline : fraudBaselines) {
            fraudScores.put(baseline.name(), binary(baseline, sequences, fraud));
        }

        HeadEvaluation nextEvaluation = nextActionHead(next, nextScores);
        HeadEvaluation churnEvaluation = binaryHead(ModelBundles.CHURN_HEAD, churn, churnScores);
        History history = data.history();
        if (history.simulated() && data.churnHorizon().equals(history.truthHorizon())) {
            nextEvaluation = withBayesNextAction(nextEvaluation, next, sequences, history);
            churnEvaluation = withBayesChurn(churnEvaluation, churn, sequences, history);
        }
        HeadEvaluation fraudEvaluation = data.fraudLabelled() ? binaryHead(ModelBundles.FRAUD_HEAD, fraud, fraudScores)
                : null;
        if (categoryLosses.isEmpty()) {
            return new Evaluation(period, nextEvaluation, churnEvaluation, fraudEvaluation);
        }
        return new Evaluation(period, nextEvaluation, churnEvaluation, fraudEvaluation,
                interestHead(ModelBundles.NEXT_CATEGORY_HEAD, categoryLosses, null),
                interestHead(ModelBundles.NEXT_ITEM_HEAD, itemLosses, itemRanks));
    }

    /** Per labelled next-action step: the interest heads' losses (NaN where the next item or category is unknown). */
    private static final class Interests {
        final double[] categoryLoss;
        final double[] itemLoss;
        final int[] itemRank;

        Interests(int steps) {
            categoryLoss = new double[steps];
            itemLoss = new double[steps];
            itemRank = new int[steps];
        }
    }

    /** Log-loss over the steps with a known target (and HR@10 over all catalogue items for the next item). */
    private static HeadEvaluation interestHead(String head, Map<String, double[]> losses, Map<String, int[]> ranks) {
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        long labelled = 0;
        for (Map.Entry<String, double[]> scorer : losses.entrySet()) {
            double sum = 0;
            double hits = 0;
            long n = 0;
            double[] loss = scorer.getValue();
            for (int k = 0; k < loss.length; k++) {
                if (!Double.isNaN(loss[k])) {
                    sum += loss[k];
                    n++;
                    if (ranks != null && ranks.get(scorer.getKey())[k] <= RANKED) {
                        hits++;
                    }
                }
            }
            labelled = n;
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(LOG_LOSS, n == 0 ? Double.NaN : sum / n);
            if (ranks != null) {
                m.put("hr_at_10", n == 0 ? Double.NaN : hits / n);
            }
            metrics.put(scorer.getKey(), m);
        }
        return new HeadEvaluation(head, labelled, 0, metrics, Map.of(), Map.of());
    }

    /**
     * The mean log-loss per head of a model on a period's labelled steps (the training loop's learning curve and early
     * stopping criterion): each user's state runs from their first event, as in the pipeline.
     */
    public static Losses losses(LstmModel model, TrainingData data, Period period) {
        // one streaming pass: running sums, in the order evaluate() sums its arrays, so the figures are the same
        // without holding a score per step (the training period is most of the history)
        Catalogue catalogue = model.hasInterests() ? model.catalogue() : null;
        float[] itemScores = catalogue == null ? null : new float[catalogue.items()];
        Interests interests = catalogue == null ? null : new Interests(1);
        float[] x = new float[model.inputSize()];
        float[] h = new float[model.hiddenSize()];
        float[] c = new float[model.hiddenSize()];
        Scores scores = Scores.forModel(model);
        double[] sums = new double[5];
        long[] counts = new long[5];
        for (UserSequence sequence : data.sequences()) {
            int last = sequence.lastStepUpTo(period);
            if (!hasStepsIn(sequence, last, period)) {
                continue;
            }
            Arrays.fill(h, 0f);
            Arrays.fill(c, 0f);
            for (int i = 0; i <= last; i++) {
                step(model, sequence, i, x, h, c);
                if (sequence.period(i) != period
                        || (sequence.nextAction(i) < 0 && sequence.churn(i) < 0 && sequence.fraud(i) < 0)) {
                    continue;
                }
                model.heads(x, h, scores);
                if (sequence.nextAction(i) >= 0) {
                    sums[0] -= Math.log(Metrics.clip(scores.nextAction[sequence.nextAction(i)]));
                    counts[0]++;
                    if (interests != null) {
                        scoreInterests(model, catalogue, sequence, i, h, scores, itemScores, null, interests, 0);
                        for (int head = 3; head <= 4; head++) {
                            double loss = head == 3 ? interests.categoryLoss[0] : interests.itemLoss[0];
                            if (!Double.isNaN(loss)) {
                                sums[head] += loss;
                                counts[head]++;
                            }
                        }
                    }
                }
                if (sequence.churn(i) >= 0) {
                    sums[1] += binaryLoss(sequence.churn(i), scores.churn);
                    counts[1]++;
                }
                if (sequence.fraud(i) >= 0) {
                    sums[2] += binaryLoss(sequence.fraud(i), scores.fraud);
                    counts[2]++;
                }
            }
        }
        double[] mean = new double[5];
        for (int head = 0; head < 5; head++) {
            mean[head] = counts[head] == 0 ? Double.NaN : sums[head] / counts[head];
        }
        return Losses.of(mean[0], mean[1], data.fraudLabelled() ? mean[2] : Double.NaN,
                catalogue == null ? Double.NaN : mean[3], catalogue == null ? Double.NaN : mean[4]);
    }

    /** The mean log-loss per head of the model named {@code "model"} in an evaluation. */
    public static Losses losses(Evaluation evaluation) {
        return Losses.of(evaluation.nextAction().metric("model", LOG_LOSS),
                evaluation.churn().metric("model", LOG_LOSS),
                evaluation.fraud() == null ? Double.NaN : evaluation.fraud().metric("model", LOG_LOSS),
                evaluation.nextCategory() == null ? Double.NaN : evaluation.nextCategory().metric("model", LOG_LOSS),
                evaluation.nextItem() == null ? Double.NaN : evaluation.nextItem().metric("model", LOG_LOSS));
    }

    /**
     * Advances {@code h, c} by step {@code i} of {@code sequence} as the pipeline does: the raw features normalised by
     * the model's spec into {@code x}, and for a model with interest heads the step's item and category rows.
     */
    public static void step(LstmModel model, UserSequence sequence, int i, float[] x, float[] h, float[] c) {
        model.featureSpec().normalise(sequence.raw(i), x);
        if (model.hasInterests()) {
            Catalogue catalogue = model.catalogue();
            model.step(x, catalogue.itemRow(sequence.itemId(i)), catalogue.categoryRow(sequence.category(i)), h, c);
        } else {
            model.step(x, h, c);
        }
    }

    /** One step's binary log-loss, as {@link Metrics#logLoss(double[], int[])} adds it up. */
    private static double binaryLoss(int label, double p) {
        return -Math.log(Metrics.clip(label == 1 ? p : 1 - p));
    }

    /** Whether any of steps 0..last is in {@code period}. */
    private static boolean hasStepsIn(UserSequence sequence, int last, Period period) {
        for (int i = 0; i <= last; i++) {
            if (sequence.period(i) == period) {
                return true;
            }
        }
        return false;
    }

    private static void scoreModel(LstmModel model, List<UserSequence> sequences, Period period, Steps next,
            Steps churn, Steps fraud, NextScores nextOut, double[] churnOut, double[] fraudOut, Interests interests) {
        Catalogue catalogue = interests == null ? null : model.catalogue();
        float[] itemScores = interests == null ? null : new float[catalogue.items()];
        Ranked ranked = interests == null || (model.cooccurrence() == null && !model.ranksWithHistory())
                ? null : new Ranked();
        float[] x = new float[model.inputSize()];
        float[] h = new float[model.hiddenSize()];
        float[] c = new float[model.hiddenSize()];
        Scores scores = Scores.forModel(model);
        int n = 0;
        int ch = 0;
        int fr = 0;
        for (int s = 0; s < sequences.size(); s++) {
            UserSequence sequence = sequences.get(s);
            int last = sequence.lastStepUpTo(period);
            if (!hasStepsIn(sequence, last, period)) {
                continue;
            }
            Arrays.fill(h, 0f);
            Arrays.fill(c, 0f);
            if (ranked != null) {
                ranked.seenCount = 0;
            }
            for (int i = 0; i <= last; i++) {
                step(model, sequence, i, x, h, c);
                if (ranked != null) {
                    ranked.see(catalogue.itemRow(sequence.itemId(i)));
                }
                boolean isNext = n < next.size() && next.sequence(n) == s && next.step(n) == i;
                boolean isChurn = ch < churn.size() && churn.sequence(ch) == s && churn.step(ch) == i;
                boolean isFraud = fr < fraud.size() && fraud.sequence(fr) == s && fraud.step(fr) == i;
                if (!isNext && !isChurn && !isFraud) {
                    continue;
                }
                model.heads(x, h, scores);
                if (isNext) {
                    if (interests != null) {
                        scoreInterests(model, catalogue, sequence, i, h, scores, itemScores, ranked, interests, n);
                    }
                    nextOut.set(n++, scores.nextAction);
                }
                if (isChurn) {
                    churnOut[ch++] = scores.churn;
                }
                if (isFraud) {
                    fraudOut[fr++] = scores.fraud;
                }
            }
        }
        if (n != next.size() || ch != churn.size() || fr != fraud.size()) {
            throw new IllegalStateException("model scoring missed labelled steps: " + n + "/" + next.size() + ", "
                    + ch + "/" + churn.size() + ", " + fr + "/" + fraud.size());
        }
    }

    /** Scratch of the served top-{@value #RANKED} ranking (models with a co-occurrence prior). */
    private static final class Ranked {
        final int[] recent = new int[ItemCooccurrence.MAX_RECENT_ITEMS];
        final int[] rows = new int[RANKED];
        final float[] scores = new float[RANKED];
        /** The user's last {@value #SEEN_ITEMS} distinct known items up to the step, oldest first (the seen items). */
        final int[] seen = new int[SEEN_ITEMS];
        int seenCount;

        void see(int row) {
            if (row <= 0) {
                return;
            }
            int at = 0;
            while (at < seenCount && seen[at] != row) {
                at++;
            }
            if (at == seenCount && seenCount == seen.length) {
                at = 0; // full: the oldest goes
            }
            if (at < seenCount) {
                System.arraycopy(seen, at + 1, seen, at, seenCount - at - 1);
                seenCount--;
            }
            seen[seenCount++] = row;
        }
    }

    /**
     * The user's last {@link ItemCooccurrence#MAX_RECENT_ITEMS} item rows up to and including step {@code i}, newest
     * first, into {@code recent}: what the pipeline's re-warm ring hands the prior after that event (row 0 for an
     * event whose item the catalogue does not know or that has none). Returns how many were written.
     */
    public static int recentItemRows(Catalogue catalogue, UserSequence sequence, int i, int[] recent) {
        int count = Math.min(Math.min(recent.length, ItemCooccurrence.MAX_RECENT_ITEMS), i + 1);
        for (int l = 0; l < count; l++) {
            recent[l] = catalogue.itemRow(sequence.itemId(i - l));
        }
        return count;
    }

    /**
     * The interest heads' log-losses for the next event of step i, and the next item's rank (history kept in): over
     * the head's scores, or, with {@code ranked} (the model has a co-occurrence prior or a category affinity), its
     * position in the served top {@value #RANKED} ({@link Integer#MAX_VALUE} beyond).
     */
    private static void scoreInterests(LstmModel model, Catalogue catalogue, UserSequence sequence, int i, float[] h,
            Scores scores, float[] itemScores, Ranked ranked, Interests interests, int k) {
        int item = catalogue.itemRow(sequence.itemId(i + 1));
        int category = catalogue.categoryRow(sequence.category(i + 1));
        category = category > 0 ? category : catalogue.itemCategory(item);
        interests.categoryLoss[k] = category > 0
                ? -Math.log(Math.max(scores.nextCategory[category], Metrics.EPSILON)) : Double.NaN;
        interests.itemLoss[k] = Double.NaN;
        if (item > 0) {
            model.nextItemScores(h, itemScores);
            double max = Double.NEGATIVE_INFINITY;
            for (float score : itemScores) {
                max = Math.max(max, score);
            }
            double sum = 0;
            int better = 0;
            for (int j = 0; j < itemScores.length; j++) {
                sum += Math.exp(itemScores[j] - max);
                if (j > 0 && (itemScores[j] > itemScores[item] || (itemScores[j] == itemScores[item] && j < item))) {
                    better++;
                }
            }
            interests.itemLoss[k] = max + Math.log(sum) - itemScores[item];
            interests.itemRank[k] = ranked == null ? better + 1 : servedRank(model, catalogue, sequence, i, h, ranked,
                    item);
        }
    }

    private static int servedRank(LstmModel model, Catalogue catalogue, UserSequence sequence, int i, float[] h,
            Ranked ranked, int item) {
        int recentCount = recentItemRows(catalogue, sequence, i, ranked.recent);
        int found = model.nextItems(h, ranked.recent, recentCount, ranked.seen, ranked.seenCount, RANKED, null, 0,
                ranked.rows, ranked.scores);
        for (int r = 0; r < found; r++) {
            if (ranked.rows[r] == item) {
                return r + 1;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static double[] binary(BinaryPredictor baseline, List<UserSequence> sequences, Steps steps) {
        double[] p = new double[steps.size()];
        for (int k = 0; k < steps.size(); k++) {
            p[k] = baseline.predict(sequences.get(steps.sequence(k)), steps.step(k));
        }
        return p;
    }

    private static HeadEvaluation nextActionHead(Steps steps, Map<String, NextScores> scores) {
        int[] actual = steps.labels();
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        scores.forEach((name, p) -> metrics.put(name, nextActionMetrics(p, actual)));
        return new HeadEvaluation(ModelBundles.NEXT_ACTION_HEAD, actual.length, 0, metrics, Map.of(), Map.of());
    }

    private static Map<String, Double> nextActionMetrics(NextScores p, int[] actual) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(LOG_LOSS, Metrics.logLoss(p.ofActual));
        m.put(ACCURACY, Metrics.accuracy(actual, p.predicted));
        m.put(MACRO_F1, Metrics.macroF1(actual, p.predicted));
        return m;
    }

    /**
     * What the next-action metrics need of a scorer's distribution at each labelled step: its arg-max and the
     * probability it gave the actual next action (not the whole distribution, which would be eight floats a step).
     */
    private static final class NextScores {
        final int[] actual;
        final int[] predicted;
        final float[] ofActual;

        NextScores(Steps steps) {
            actual = steps.labels();
            predicted = new int[actual.length];
            ofActual = new float[actual.length];
        }

        void set(int k, float[] p) {
            predicted[k] = Metrics.argMax(p);
            ofActual[k] = p[actual[k]];
        }
    }

    private static HeadEvaluation binaryHead(String head, Steps steps, Map<String, double[]> scores) {
        int[] actual = steps.labels();
        long positives = 0;
        for (int a : actual) {
            positives += a;
        }
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        Map<String, Curve> roc = new LinkedHashMap<>();
        Map<String, Curve> pr = new LinkedHashMap<>();
        scores.forEach((name, p) -> {
            metrics.put(name, binaryMetrics(p, actual));
            Curve r = Metrics.roc(p, actual);
            Curve q = Metrics.precisionRecall(p, actual);
            if (r != null) {
                roc.put(name, r);
            }
            if (q != null) {
                pr.put(name, q);
            }
        });
        return new HeadEvaluation(head, actual.length, positives, metrics, roc, pr);
    }

    private static Map<String, Double> binaryMetrics(double[] p, int[] actual) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(LOG_LOSS, Metrics.logLoss(p, actual));
        m.put(ROC_AUC, Metrics.rocAuc(p, actual));
        m.put(AVERAGE_PRECISION, Metrics.averagePrecision(p, actual));
        return m;
    }

    private static HeadEvaluation withBayesNextAction(HeadEvaluation head, Steps steps, List<UserSequence> sequences,
            History history) {
        float[][] truth = new float[steps.size()][];
        int[] actual = steps.labels();
        NextScores scores = new NextScores(steps);
        for (int k = 0; k < steps.size(); k++) {
            SimulatedEvent event = history.truths().get(sequences.get(steps.sequence(k)).eventId(steps.step(k)));
            if (event == null) {
                return head;
            }
            truth[k] = event.truth().nextAction();
            scores.set(k, truth[k]);
        }
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>(head.metrics());
        Map<String, Double> bayes = nextActionMetrics(scores, actual);
        bayes.put(LOG_LOSS, BayesLogLoss.categorical(truth, actual));
        metrics.put(BAYES, bayes);
        return new HeadEvaluation(head.head(), head.labelled(), head.positives(), metrics, head.roc(), head.pr());
    }

    private static HeadEvaluation withBayesChurn(HeadEvaluation head, Steps steps, List<UserSequence> sequences,
            History history) {
        double[] truth = new double[steps.size()];
        boolean[] outcomes = new boolean[steps.size()];
        int[] actual = steps.labels();
        for (int k = 0; k < steps.size(); k++) {
            SimulatedEvent event = history.truths().get(sequences.get(steps.sequence(k)).eventId(steps.step(k)));
            if (event == null) {
                return head;
            }
            truth[k] = event.truth().churnProbability();
            outcomes[k] = actual[k] == 1;
        }
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>(head.metrics());
        Map<String, Double> bayes = binaryMetrics(truth, actual);
        bayes.put(LOG_LOSS, BayesLogLoss.binary(truth, outcomes));
        metrics.put(BAYES, bayes);
        Map<String, Curve> roc = new LinkedHashMap<>(head.roc());
        Map<String, Curve> pr = new LinkedHashMap<>(head.pr());
        Curve r = Metrics.roc(truth, actual);
        Curve q = Metrics.precisionRecall(truth, actual);
        if (r != null) {
            roc.put(BAYES, r);
        }
        if (q != null) {
            pr.put(BAYES, q);
        }
        return new HeadEvaluation(head.head(), head.labelled(), head.positives(), metrics, roc, pr);
    }

    /** Labelled steps of one head, in sequence then step order: three ints a step. */
    private static final class Steps {
        private int[] sequences = new int[64];
        private int[] steps = new int[64];
        private int[] labels = new int[64];
        private int size;

        void add(int sequence, int step, int label) {
            if (size == labels.length) {
                int capacity = Math.multiplyExact(size, 2);
                sequences = Arrays.copyOf(sequences, capacity);
                steps = Arrays.copyOf(steps, capacity);
                labels = Arrays.copyOf(labels, capacity);
            }
            sequences[size] = sequence;
            steps[size] = step;
            labels[size] = label;
            size++;
        }

        int size() {
            return size;
        }

        int sequence(int k) {
            return sequences[k];
        }

        int step(int k) {
            return steps[k];
        }

        int[] labels() {
            return Arrays.copyOf(labels, size);
        }
    }
}

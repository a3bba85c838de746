package io.pulse.trainer.interest;

import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Provenance;
import io.pulse.model.BehaviourWindows;
import io.pulse.model.Catalogue;
import io.pulse.model.FeatureEncoder;
import io.pulse.model.FeatureSpec;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.model.Scores;
import io.pulse.model.dl4j.PulseNetwork;
import io.pulse.simulator.sequences.ItemAttributes;
import io.pulse.simulator.sequences.ItemAttributesFile;
import io.pulse.simulator.sequences.SequenceFile;
import io.pulse.simulator.sequences.SequenceFormat;
import io.pulse.simulator.sequences.UserSequence;
import io.pulse.trainer.eval.RankingMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Trains Pulse's network (feature spec v2: item and category embeddings, next-category and next-item heads) on the
 * {@link LeaveOneOut} training prefixes of a public sequence file and scores it like the baselines
 * ({@link BaselineReport}): HR@10/NDCG@10/HR@20/NDCG@20 over all items with the user's history removed, category
 * HR@1/@3. Scoring uses the plain-Java kernel on the exported bundle, i.e. what the pipeline computes per event.
 *
 * <p>Events: one per item in file order, type {@code PURCHASE}, event times one hour apart, category = the item's
 * category path cut at {@code --level} (derived by {@link ItemAttributesFile}). Training: each training prefix (its
 * last {@code maxLength + 1} items) predicts item t+1 and its category from items up to t, full softmax (DL4J MCXENT)
 * over the whole catalogue, Adam, input dropout on the LSTM. Hyperparameters and the epoch (early stopping) are chosen
 * on validation NDCG@10 only; the test targets are scored once, with the chosen model, and — as a second variant —
 * blended with the co-occurrence rule ({@code log p_model(j) + w * log(1 + cooc(j))}, w chosen on validation).
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp ... io.pulse.trainer.interest.NextItemModelReport --data Beauty.txt \
 *     --items Beauty_item2attributes.json [--level 2] [--users N] [--hidden 64] [--item-dim 64] [--dropout 0.2] \
 *     [--lr 0.001] [--epochs 30] [--patience 3] [--batch-steps 2048] [--max-minutes M] [--out FILE]
 * </pre>
 * Lists ({@code --hidden 64,128}) run every combination.
 */
public final class NextItemModelReport {

    private static final int[] ITEM_CUTOFFS = {10, 20};
    private static final int[] CATEGORY_CUTOFFS = {1, 3};
    private static final long STEP_MILLIS = 3_600_000L;
    private static final long START_MILLIS = 1_577_836_800_000L;
    /** The one category of every item when there is no item file. */
    static final String ALL_ITEMS = "all";
    private static final double[] BLEND_WEIGHTS = {0, 0.25, 0.5, 1, 2, 4, 8, 16};

    /** One hyperparameter setting. */
    public record Settings(int hidden, int itemDim, int categoryDim, double dropout, double learningRate, double l2,
            int maxEpochs, int patience, int maxLength, int batchSteps, long seed, double maxMinutes,
            boolean tieItems, double plateauFactor) {

        public Settings {
            if (!(plateauFactor > 0 && plateauFactor <= 1)) {
                throw new IllegalArgumentException("the learning rate's plateau factor must be in (0, 1], was "
                        + plateauFactor);
            }
        }

        public Settings(int hidden, int itemDim, int categoryDim, double dropout, double learningRate, double l2,
                int maxEpochs, int patience, int maxLength, int batchSteps, long seed, double maxMinutes) {
            this(hidden, itemDim, categoryDim, dropout, learningRate, l2, maxEpochs, patience, maxLength, batchSteps,
                    seed, maxMinutes, false, 1);
        }

        public Settings(int hidden, int itemDim, int categoryDim, double dropout, double learningRate, double l2,
                int maxEpochs, int patience, int maxLength, int batchSteps, long seed) {
            this(hidden, itemDim, categoryDim, dropout, learningRate, l2, maxEpochs, patience, maxLength, batchSteps,
                    seed, Double.POSITIVE_INFINITY);
        }

        /** These settings with the item embedding tied to the next-item head ({@code PulseNetwork.Training}). */
        public Settings withTiedItems(boolean value) {
            return new Settings(hidden, itemDim, categoryDim, dropout, learningRate, l2, maxEpochs, patience,
                    maxLength, batchSteps, seed, maxMinutes, value, plateauFactor);
        }

        /**
         * These settings with the learning rate multiplied by {@code value} after every epoch whose validation NDCG@10
         * is not the best so far (1: a constant rate).
         */
        public Settings withPlateauFactor(double value) {
            return new Settings(hidden, itemDim, categoryDim, dropout, learningRate, l2, maxEpochs, patience,
                    maxLength, batchSteps, seed, maxMinutes, tieItems, value);
        }

        String label() {
            return String.format(Locale.ROOT, "hidden %d, item dim %d%s, category dim %d, dropout %s, lr %s%s, l2 %s",
                    hidden, itemDim, tieItems ? " (tied to the next-item head)" : "", categoryDim, dropout,
                    learningRate, plateauFactor < 1 ? " (× " + plateauFactor + " on a plateau)" : "", l2);
        }
    }

    /** The data as the network sees it: catalogue rows, categories and raw dense features per position. */
    static final class Prepared {
        final LeaveOneOut split;
        final Catalogue catalogue;
        final int items;
        final int[] categoryOfIndex;
        /** Each catalogue row's brand number ({@link RankingWeights#itemBrands}); null without brands. */
        final int[] itemBrand;
        final List<int[]> training;
        final List<float[][]> trainingRaw;
        final List<int[]> evaluated;
        final List<float[][]> evaluatedRaw;
        FeatureSpec spec;

        Prepared(LeaveOneOut split, Catalogue catalogue, int[] categoryOfIndex, int[] itemBrand,
                List<int[]> training, List<float[][]> trainingRaw, List<int[]> evaluated,
                List<float[][]> evaluatedRaw) {
            this.split = split;
            this.catalogue = catalogue;
            this.items = catalogue.items() - 1;
            this.categoryOfIndex = categoryOfIndex;
            this.itemBrand = itemBrand;
            this.training = training;
            this.trainingRaw = trainingRaw;
            this.evaluated = evaluated;
            this.evaluatedRaw = evaluatedRaw;
        }
    }

    private NextItemModelReport() {
    }

    public static void main(String[] args) throws IOException {
        Path data = null;
        Path itemsFile = null;
        Path out = null;
        Path saveBundle = null;
        int level = 2;
        int users = Integer.MAX_VALUE;
        int[] hidden = {64};
        int[] itemDims = {64};
        int[] categoryDims = {8};
        double[] dropouts = {0.2};
        double[] rates = {1e-3};
        double[] l2s = {0};
        int epochs = 30;
        int patience = 3;
        int maxLength = 50;
        int batchSteps = 2048;
        long seed = 1;
        double maxMinutes = Double.POSITIVE_INFINITY;
        boolean[] ties = {false};
        double plateauFactor = 1;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--data" -> data = Path.of(value);
                case "--items" -> itemsFile = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--save-bundle" -> saveBundle = Path.of(value);
                case "--level" -> level = Integer.parseInt(value);
                case "--users" -> users = Integer.parseInt(value);
                case "--hidden" -> hidden = ints(value);
                case "--item-dim" -> itemDims = ints(value);
                case "--category-dim" -> categoryDims = ints(value);
                case "--dropout" -> dropouts = doubles(value);
                case "--lr" -> rates = doubles(value);
                case "--l2" -> l2s = doubles(value);
                case "--epochs" -> epochs = Integer.parseInt(value);
                case "--patience" -> patience = Integer.parseInt(value);
                case "--max-length" -> maxLength = Integer.parseInt(value);
                case "--batch-steps" -> batchSteps = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--max-minutes" -> maxMinutes = Double.parseDouble(value);
                case "--tie-items" -> ties = booleans(value);
                case "--plateau-factor" -> plateauFactor = Double.parseDouble(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (data == null || itemsFile == null) {
            throw new IllegalArgumentException("--data FILE and --items FILE are required");
        }
        List<Settings> grid = new ArrayList<>();
        for (int h : hidden) {
            for (int e : itemDims) {
                for (int c : categoryDims) {
                    for (double d : dropouts) {
                        for (double r : rates) {
                            for (double l2 : l2s) {
                                for (boolean tie : ties) {
                                    grid.add(new Settings(h, e, c, d, r, l2, epochs, patience, maxLength,
                                            batchSteps, seed, maxMinutes, tie, plateauFactor));
                                }
                            }
                        }
                    }
                }
            }
        }
        String report = run(data, itemsFile, level, users, grid, saveBundle, System.err);
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, report);
        }
    }

    /** Prepares the data, trains every setting, and returns the markdown report; progress goes to {@code log}. */
    public static String run(Path data, Path itemsFile, int level, int maxUsers, List<Settings> grid,
            PrintStream log) throws IOException {
        return run(data, itemsFile, level, maxUsers, grid, null, log);
    }

    /**
     * {@link #run(Path, Path, int, int, List, PrintStream)}, writing the chosen network's bundle (epoch chosen on
     * validation, no co-occurrence prior) to {@code saveBundle} unless it is null.
     */
    public static String run(Path data, Path itemsFile, int level, int maxUsers, List<Settings> grid,
            Path saveBundle, PrintStream log) throws IOException {
        long start = System.nanoTime();
        List<UserSequence> users = SequenceFile.read(data, SequenceFormat.AUTO);
        if (users.size() > maxUsers) {
            users = users.subList(0, maxUsers);
        }
        Map<String, ItemAttributes> attributes = ItemAttributesFile.readJsonArrays(itemsFile);
        Prepared prepared = prepare(users, attributes, level);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Pulse's network on %s (next item, next category)%n%n",
                data.getFileName()));
        md.append(String.format(Locale.ROOT, "- data: `%s`%s: %,d users, %,d items, %,d categories at level %d;"
                + " %,d users evaluated%n", data, maxUsers == Integer.MAX_VALUE ? "" : " (first " + maxUsers
                + " users)", users.size(), prepared.items, prepared.catalogue.categories() - 1, level,
                prepared.split.users()));
        md.append("- protocol: leave-one-out as BaselineReport (one model for validation and test, trained on the"
                + " training prefixes; ranking over all items, history removed, ties to the lower index);"
                + " hyperparameters and epoch chosen on validation NDCG@10; scored by the plain-Java kernel\n\n");

        md.append("## Hyperparameter search (validation)\n\n| setting | best epoch | epochs run | valid HR@10 |"
                + " valid NDCG@10 | s/epoch |\n|---|---|---|---|---|---|\n");
        Trained best = null;
        for (Settings settings : grid) {
            Trained trained = train(prepared, settings, log);
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.4f | %.4f | %.0f |%n", settings.label(),
                    trained.bestEpoch, trained.epochsRun, trained.validation.hitRate(10), trained.validation.ndcg(10),
                    trained.secondsPerEpoch));
            if (best == null || trained.validation.ndcg(10) > best.validation.ndcg(10)) {
                best = trained;
            }
        }
        md.append(String.format(Locale.ROOT, "%n## Chosen: %s, epoch %d%n%n", best.settings.label(),
                best.bestEpoch));
        if (saveBundle != null) {
            Files.write(saveBundle, ModelBundles.toBytes(best.bundle));
            log.printf(Locale.ROOT, "chosen bundle written to %s%n", saveBundle);
        }
        md.append(finalScores(prepared, best, log));
        md.append(String.format(Locale.ROOT, "%nRun time: %.0f s (training %d setting(s), OMP_NUM_THREADS=%s).%n",
                (System.nanoTime() - start) / 1e9, grid.size(), System.getenv("OMP_NUM_THREADS")));
        return md.toString();
    }

    static Prepared prepare(List<UserSequence> users, Map<String, ItemAttributes> attributes, int level) {
        ItemIndex itemIndex = new ItemIndex();
        List<int[]> sequences = new ArrayList<>(users.size());
        for (UserSequence user : users) {
            sequences.add(itemIndex.addAll(user.items()));
        }
        ItemIndex categoryIndex = new ItemIndex();
        List<String> itemIds = new ArrayList<>(List.of(Catalogue.OOV_ITEM));
        int[] categoryOfIndex = new int[itemIndex.size()];
        int[] itemCategory = new int[itemIndex.size() + 1];
        for (int item = 0; item < itemIndex.size(); item++) {
            itemIds.add(itemIndex.id(item));
            ItemAttributes attribute = attributes.get(itemIndex.id(item));
            // without any item attributes every item is in one category (a softmax needs two outputs)
            int row = attributes.isEmpty() ? 1 + categoryIndex.add(ALL_ITEMS)
                    : attribute == null ? 0 : 1 + categoryIndex.add(attribute.category().atLevel(level));
            categoryOfIndex[item] = row;
            itemCategory[item + 1] = row;
        }
        List<String> categoryIds = new ArrayList<>(List.of(Catalogue.UNKNOWN_CATEGORY));
        for (int c = 0; c < categoryIndex.size(); c++) {
            categoryIds.add(categoryIndex.id(c));
        }
        Catalogue catalogue = new Catalogue(itemIds, categoryIds, itemCategory, level);
        LeaveOneOut split = LeaveOneOut.split(sequences);
        List<int[]> evaluated = new ArrayList<>();
        for (int[] sequence : sequences) {
            if (sequence.length >= LeaveOneOut.MIN_ITEMS) {
                evaluated.add(sequence);
            }
        }
        List<float[][]> trainingRaw = new ArrayList<>();
        for (int[] sequence : split.training()) {
            trainingRaw.add(raw(sequence.length));
        }
        List<float[][]> evaluatedRaw = new ArrayList<>();
        for (int[] sequence : evaluated) {
            evaluatedRaw.add(raw(sequence.length));
        }
        Prepared prepared = new Prepared(split, catalogue, categoryOfIndex,
                RankingWeights.itemBrands(catalogue, RankingWeights.brands(attributes)), split.training(), trainingRaw, evaluated,
                evaluatedRaw);
        prepared.spec = normalised(trainingRaw);
        return prepared;
    }

    /** The event time of a user's {@code position}-th event (0-based). */
    static long eventTime(int position) {
        return START_MILLIS + position * STEP_MILLIS;
    }

    /** The encoder's raw features of a user's first {@code length} events (they only depend on the position). */
    private static float[][] raw(int length) {
        return raw(length, false);
    }

    /**
     * {@link #raw(int)}, optionally with the windows stored between events in their compact form
     * ({@link BehaviourWindows#toBytes()}), as the pipeline's state store keeps them.
     */
    static float[][] raw(int length, boolean storedWindows) {
        FeatureEncoder encoder = new FeatureEncoder(FeatureSpec.v1());
        BehaviourWindows windows = BehaviourWindows.empty();
        float[][] raw = new float[length][FeatureSpec.v1().inputSize()];
        for (int i = 0; i < length; i++) {
            encoder.encode(EventType.PURCHASE, eventTime(i), Double.NaN, Double.NaN, windows, raw[i]);
            if (storedWindows) {
                windows = BehaviourWindows.fromBytes(windows.toBytes());
            }
        }
        return raw;
    }

    /** Per-feature mean and std over the training events (std 1 for constant features). */
    private static FeatureSpec normalised(List<float[][]> trainingRaw) {
        int size = FeatureSpec.v1().inputSize();
        double[] sum = new double[size];
        double[] squares = new double[size];
        long n = 0;
        for (float[][] sequence : trainingRaw) {
            for (float[] x : sequence) {
                for (int f = 0; f < size; f++) {
                    sum[f] += x[f];
                    squares[f] += (double) x[f] * x[f];
                }
                n++;
            }
        }
        float[] mean = new float[size];
        float[] std = new float[size];
        for (int f = 0; f < size; f++) {
            double m = sum[f] / n;
            double variance = squares[f] / n - m * m;
            mean[f] = (float) m;
            std[f] = variance > 1e-8 ? (float) Math.sqrt(variance) : 1f;
        }
        return FeatureSpec.v1().withNormalisation(mean, std);
    }

    record Trained(Settings settings, ModelBundle bundle, int bestEpoch, int epochsRun,
            RankingMetrics validation, double secondsPerEpoch) {
    }

    static FeatureSpec spec(Prepared prepared, Settings settings) {
        FeatureSpec v2 = FeatureSpec.v2(settings.itemDim(), settings.categoryDim(), prepared.catalogue.level());
        return v2.withNormalisation(prepared.spec.mean(), prepared.spec.std());
    }

    static Trained train(Prepared prepared, Settings settings, PrintStream log) {
        FeatureSpec spec = spec(prepared, settings);
        Catalogue catalogue = prepared.catalogue;
        PulseNetwork.Shape shape = new PulseNetwork.Shape(spec, settings.hidden(), catalogue.items(),
                catalogue.categories());
        ComputationGraph graph = PulseNetwork.forTraining(shape, new PulseNetwork.Training(settings.seed(),
                new Adam(settings.learningRate()), settings.l2(), 1.0, settings.dropout(), settings.tieItems()));
        List<List<Integer>> batches = batches(prepared, settings);
        Random shuffle = new Random(settings.seed());
        ModelBundle best = null;
        RankingMetrics bestValidation = null;
        int bestEpoch = 0;
        int sinceBest = 0;
        int epoch = 0;
        double trainingSeconds = 0;
        double learningRate = settings.learningRate();
        long deadline = System.nanoTime() + (long) Math.min(Long.MAX_VALUE / 2.0, settings.maxMinutes() * 60e9);
        // A time budget ends training like early stopping does: no new epoch starts after it.
        while (epoch < settings.maxEpochs() && sinceBest < settings.patience() && System.nanoTime() < deadline) {
            epoch++;
            long started = System.nanoTime();
            Collections.shuffle(batches, shuffle);
            for (List<Integer> batch : batches) {
                graph.fit(batch(prepared, spec, batch, settings.maxLength()));
            }
            trainingSeconds += (System.nanoTime() - started) / 1e9;
            ModelBundle bundle = export(graph, spec, settings, catalogue, "epoch-" + epoch);
            RankingMetrics validation = evaluate(prepared, ModelBundles.toModel(bundle), LeaveOneOut.Target.VALIDATION,
                    null, null)[0];
            log.printf(Locale.ROOT, "%s epoch %d: %.0f s training, valid HR@10 %.4f NDCG@10 %.4f, score %.4f%n",
                    settings.label(), epoch, (System.nanoTime() - started) / 1e9, validation.hitRate(10),
                    validation.ndcg(10), graph.score());
            if (bestValidation == null || validation.ndcg(10) > bestValidation.ndcg(10)) {
                best = bundle;
                bestValidation = validation;
                bestEpoch = epoch;
                sinceBest = 0;
            } else {
                sinceBest++;
                if (settings.plateauFactor() < 1) {
                    learningRate *= settings.plateauFactor();
                    graph.setLearningRate(learningRate);
                    log.printf(Locale.ROOT, "%s: no better than epoch %d, learning rate now %s%n", settings.label(),
                            bestEpoch, learningRate);
                }
            }
        }
        return new Trained(settings, best, bestEpoch, epoch, bestValidation, trainingSeconds / epoch);
    }

    static ModelBundle export(ComputationGraph graph, FeatureSpec spec, Settings settings, Catalogue catalogue,
            String version) {
        Provenance provenance = Provenance.newBuilder().setProducer("pulse-trainer")
                .setProducerVersion("next-item-report").setSeed(settings.seed()).build();
        return ModelBundles.fromWeights("next-item", version, spec, settings.hidden(), catalogue,
                PulseNetwork.rowMajorTensors(graph), provenance).build();
    }

    /** Training sequences (indices into {@code prepared.training}) grouped by length, at most batchSteps cells. */
    private static List<List<Integer>> batches(Prepared prepared, Settings settings) {
        List<Integer> order = new ArrayList<>();
        for (int s = 0; s < prepared.training.size(); s++) {
            if (prepared.training.get(s).length >= 2) {
                order.add(s);
            }
        }
        order.sort(Comparator.comparingInt(s -> steps(prepared.training.get(s), settings.maxLength())));
        List<List<Integer>> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int s : order) {
            int steps = steps(prepared.training.get(s), settings.maxLength());
            if (!current.isEmpty() && (current.size() + 1) * steps > settings.batchSteps()) {
                batches.add(current);
                current = new ArrayList<>();
            }
            current.add(s);
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** Labelled steps of a training sequence: its last maxLength transitions. */
    private static int steps(int[] sequence, int maxLength) {
        return Math.min(sequence.length - 1, maxLength);
    }

    private static MultiDataSet batch(Prepared prepared, FeatureSpec spec, List<Integer> members, int maxLength) {
        int mb = members.size();
        int steps = 0;
        for (int s : members) {
            steps = Math.max(steps, steps(prepared.training.get(s), maxLength));
        }
        int dense = spec.inputSize();
        int items = prepared.catalogue.items();
        int categories = prepared.catalogue.categories();
        float[] features = new float[mb * dense * steps];
        float[] itemRows = new float[mb * steps];
        float[] categoryRows = new float[mb * steps];
        float[] mask = new float[mb * steps];
        float[] categoryMask = new float[mb * steps];
        float[] zeroMask = new float[mb * steps];
        float[] nextAction = new float[mb * 8 * steps];
        INDArray nextCategory = Nd4j.zeros(DataType.FLOAT, mb, categories, steps);
        INDArray nextItem = Nd4j.zeros(DataType.FLOAT, mb, items, steps);
        float[] x = new float[dense];
        for (int b = 0; b < mb; b++) {
            int[] sequence = prepared.training.get(members.get(b));
            float[][] raw = prepared.trainingRaw.get(members.get(b));
            int length = steps(sequence, maxLength);
            int from = sequence.length - 1 - length;
            for (int t = 0; t < length; t++) {
                int i = from + t;
                spec.normalise(raw[i], x);
                for (int f = 0; f < dense; f++) {
                    features[(b * dense + f) * steps + t] = x[f];
                }
                itemRows[b * steps + t] = sequence[i] + 1;
                categoryRows[b * steps + t] = prepared.categoryOfIndex[sequence[i]];
                mask[b * steps + t] = 1f;
                nextAction[(b * 8 + EventType.PURCHASE.ordinal()) * steps + t] = 1f;
                int next = sequence[i + 1];
                nextItem.putScalar(new long[] {b, next + 1, t}, 1f);
                int nextCategoryRow = prepared.categoryOfIndex[next];
                if (nextCategoryRow > 0) {
                    nextCategory.putScalar(new long[] {b, nextCategoryRow, t}, 1f);
                    categoryMask[b * steps + t] = 1f;
                }
            }
        }
        long[] shape2 = {mb, steps};
        INDArray featureMask = Nd4j.create(mask, shape2, 'c');
        INDArray[] inputs = {Nd4j.create(features, new long[] {mb, dense, steps}, 'c'),
            Nd4j.create(itemRows, new long[] {mb, 1, steps}, 'c'),
            Nd4j.create(categoryRows, new long[] {mb, 1, steps}, 'c')};
        INDArray[] inputMasks = {featureMask, featureMask, featureMask};
        INDArray[] labels = {Nd4j.create(nextAction, new long[] {mb, 8, steps}, 'c'),
            Nd4j.zeros(DataType.FLOAT, mb, 1, steps), Nd4j.zeros(DataType.FLOAT, mb, 1, steps), nextCategory,
            nextItem};
        INDArray zero = Nd4j.create(zeroMask, shape2, 'c');
        INDArray[] labelMasks = {featureMask, zero, zero, Nd4j.create(categoryMask, shape2, 'c'), featureMask};
        return new MultiDataSet(inputs, labels, inputMasks, labelMasks);
    }

    /**
     * Runs every evaluated user's history (before the target) through the kernel, as the pipeline would, and ranks
     * the target item (history removed) and the target category. With a fitted co-occurrence ranker, also the blends
     * {@code log p_model + w * log(1 + cooc)} for each of {@link #BLEND_WEIGHTS}.
     *
     * @return item metrics, category metrics, then (with a co-occurrence ranker) one item metrics per blend weight,
     *     then one category metrics per weight of the blend with the user's category counts
     */
    static RankingMetrics[] evaluate(Prepared prepared, LstmModel model, LeaveOneOut.Target target,
            SequenceRanker cooccurrence, int[] unused) {
        int n = prepared.items;
        int blends = cooccurrence == null ? 0 : BLEND_WEIGHTS.length;
        RankingMetrics[] metrics = new RankingMetrics[2 + 2 * blends];
        metrics[0] = new RankingMetrics(ITEM_CUTOFFS);
        metrics[1] = new RankingMetrics(CATEGORY_CUTOFFS);
        for (int w = 0; w < blends; w++) {
            metrics[2 + w] = new RankingMetrics(ITEM_CUTOFFS);
            metrics[2 + blends + w] = new RankingMetrics(CATEGORY_CUTOFFS);
        }
        double[] categoryCounts = new double[model.categoryCount() - 1];
        double[] categoryBlend = new double[categoryCounts.length];
        int hidden = model.hiddenSize();
        float[] h = new float[hidden];
        float[] c = new float[hidden];
        float[] x = new float[model.inputSize()];
        float[] logits = new float[n + 1];
        float[] scores = new float[n];
        double[] cooc = new double[n];
        double[] blended = new double[n];
        double[] categoryScores = new double[model.categoryCount() - 1];
        Scores heads = Scores.forModel(model);
        BitSet seen = new BitSet(n);
        BitSet none = new BitSet();
        FeatureSpec spec = model.featureSpec();
        for (int user = 0; user < prepared.evaluated.size(); user++) {
            int[] sequence = prepared.evaluated.get(user);
            float[][] raw = prepared.evaluatedRaw.get(user);
            int historyLength = sequence.length - (target == LeaveOneOut.Target.TEST ? 1 : 2);
            Arrays.fill(h, 0f);
            Arrays.fill(c, 0f);
            for (int i = 0; i < historyLength; i++) {
                spec.normalise(raw[i], x);
                model.step(x, sequence[i] + 1, prepared.categoryOfIndex[sequence[i]], h, c);
                seen.set(sequence[i]);
            }
            int item = sequence[historyLength];
            model.heads(h, heads);
            for (int k = 0; k < categoryScores.length; k++) {
                categoryScores[k] = heads.nextCategory[k + 1];
            }
            int targetCategory = prepared.categoryOfIndex[item];
            if (targetCategory > 0) {
                metrics[1].add(RankingMetrics.rank(categoryScores, targetCategory - 1, none));
                Arrays.fill(categoryCounts, 0);
                for (int i = 0; i < historyLength; i++) {
                    int category = prepared.categoryOfIndex[sequence[i]];
                    if (category > 0) {
                        categoryCounts[category - 1]++;
                    }
                }
                for (int w = 0; w < blends; w++) {
                    for (int k = 0; k < categoryBlend.length; k++) {
                        categoryBlend[k] = Math.log(Math.max(categoryScores[k], 1e-30))
                                + BLEND_WEIGHTS[w] * Math.log1p(categoryCounts[k]);
                    }
                    metrics[2 + blends + w].add(RankingMetrics.rank(categoryBlend, targetCategory - 1, none));
                }
            }
            if (seen.get(item)) {
                metrics[0].addMiss();
                for (int w = 0; w < blends; w++) {
                    metrics[2 + w].addMiss();
                }
            } else {
                model.nextItemScores(h, logits);
                System.arraycopy(logits, 1, scores, 0, n);
                metrics[0].add(RankingMetrics.rank(scores, item, seen));
                if (blends > 0) {
                    cooccurrence.score(Arrays.copyOf(sequence, historyLength), cooc);
                    double logSum = logSumExp(logits);
                    for (int w = 0; w < blends; w++) {
                        for (int j = 0; j < n; j++) {
                            blended[j] = scores[j] - logSum + BLEND_WEIGHTS[w] * Math.log1p(cooc[j]);
                        }
                        metrics[2 + w].add(RankingMetrics.rank(blended, item, seen));
                    }
                }
            }
            seen.clear();
        }
        return metrics;
    }

    private static double logSumExp(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        return max + Math.log(sum);
    }

    private static String finalScores(Prepared prepared, Trained best, PrintStream log) {
        LstmModel model = ModelBundles.toModel(best.bundle);
        CooccurrenceRanker cooccurrence = new CooccurrenceRanker(3, 5, 0.5, 0);
        cooccurrence.fit(prepared.training, prepared.items);
        RankingMetrics[] validation = evaluate(prepared, model, LeaveOneOut.Target.VALIDATION, cooccurrence, null);
        int blends = BLEND_WEIGHTS.length;
        int chosen = 2;
        int chosenCategory = 2 + blends;
        for (int w = 0; w < blends; w++) {
            if (validation[2 + w].ndcg(10) > validation[chosen].ndcg(10)) {
                chosen = 2 + w;
            }
            if (validation[2 + blends + w].hitRate(3) > validation[chosenCategory].hitRate(3)) {
                chosenCategory = 2 + blends + w;
            }
        }
        RankingMetrics[] test = evaluate(prepared, model, LeaveOneOut.Target.TEST, cooccurrence, null);
        RankingMetrics cooccurrenceTest = prepared.split.rankItems(cooccurrence, prepared.items,
                LeaveOneOut.Target.TEST, ITEM_CUTOFFS);
        RankingMetrics cooccurrenceValidation = prepared.split.rankItems(cooccurrence, prepared.items,
                LeaveOneOut.Target.VALIDATION, ITEM_CUTOFFS);
        log.printf(Locale.ROOT, "test: model NDCG@10 %.4f, blend NDCG@10 %.4f%n", test[0].ndcg(10),
                test[chosen].ndcg(10));
        StringBuilder md = new StringBuilder();
        md.append("| variant | valid HR@10 | valid NDCG@10 | test HR@10 | test NDCG@10 | test HR@20 | test NDCG@20 |\n"
                + "|---|---|---|---|---|---|---|\n");
        md.append(row("Pulse LSTM (kernel), next_item head", validation[0], test[0]));
        md.append(row(String.format(Locale.ROOT, "Pulse LSTM + co-occurrence blend (w = %s, chosen on validation"
                + " from %s)", BLEND_WEIGHTS[chosen - 2], Arrays.toString(BLEND_WEIGHTS)), validation[chosen],
                test[chosen]));
        md.append(row("co-occurrence W=3 L=5 decay=0.5 (baseline, same split)", cooccurrenceValidation,
                cooccurrenceTest));
        md.append(String.format(Locale.ROOT, "%n| next category (level %d) | valid HR@1 | valid HR@3 | test HR@1 |"
                + " test HR@3 |%n|---|---|---|---|---|%n| Pulse LSTM next_category head | %.4f | %.4f | %.4f |"
                + " %.4f |%n", prepared.catalogue.level(), validation[1].hitRate(1), validation[1].hitRate(3),
                test[1].hitRate(1), test[1].hitRate(3)));
        md.append(String.format(Locale.ROOT, "| Pulse LSTM next_category + the user's category counts"
                + " (log p + w log(1 + count), w = %s chosen on validation HR@3) | %.4f | %.4f | %.4f | %.4f |%n",
                BLEND_WEIGHTS[chosenCategory - 2 - blends], validation[chosenCategory].hitRate(1),
                validation[chosenCategory].hitRate(3), test[chosenCategory].hitRate(1),
                test[chosenCategory].hitRate(3)));
        return md.toString();
    }

    private static String row(String name, RankingMetrics validation, RankingMetrics test) {
        return String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f |%n", name,
                validation.hitRate(10), validation.ndcg(10), test.hitRate(10), test.ndcg(10), test.hitRate(20),
                test.ndcg(20));
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    private static double[] doubles(String list) {
        return Arrays.stream(list.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
    }

    private static boolean[] booleans(String list) {
        String[] values = list.split(",");
        boolean[] parsed = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            String value = values[i].trim();
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("expected true or false, was '" + value + "'");
            }
            parsed[i] = Boolean.parseBoolean(value);
        }
        return parsed;
    }
}

package io.pulse.model;

import io.pulse.model.internal.FastMath;
import io.pulse.model.internal.ItemTable;
import io.pulse.model.internal.Kernels;
import io.pulse.model.internal.PackedLstm;
import io.pulse.model.internal.StepKernel;
import io.pulse.model.internal.TopItems;
import io.pulse.model.internal.Workspace;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A runnable LSTM with its output heads: next action (softmax over event types), churn and fraud (sigmoids).
 * Immutable and thread-safe; build one with {@link ModelBundles#toModel}. Computes exactly what Deeplearning4j's
 * {@code LSTM} layer and output layers compute in {@code rnnTimeStep} (within 1e-5; proven by the parity test), in
 * plain Java at about 2 µs per step (see {@code benchmarks/README.md}).
 *
 * <p>A version-2 model (see {@link FeatureSpec#hasInterests()}) also reads the event's item and category through
 * embeddings of its {@link Catalogue} and has two more heads: the next category (softmax over the catalogue's
 * categories, in {@link Scores#nextCategory}) and the next item (a score per catalogue row, {@link #nextItems} picks
 * the top K with a SIMD kernel over an item-blocked table). Version-1 models compute exactly what they always did.
 *
 * <p>A model may score fraud with {@link FraudTrees} (a gradient-boosted ensemble over the step's input and hidden
 * state) instead of the linear fraud head: {@link #heads(float[], float[], Scores)} and {@link #predict} use them;
 * {@link #heads(float[], Scores)}, which has no input, then leaves {@link Scores#fraud} NaN.
 *
 * <p>Speed needs the JVM flag {@code --add-modules jdk.incubator.vector} (the Vector API kernel); without it a scalar
 * kernel runs. {@link #kernelName()} says which.
 */
public final class LstmModel {

    private static final int NEXT_ACTION = 0;
    private static final float[] NO_AMOUNTS = new float[0];

    private final String name;
    private final String version;
    private final FeatureSpec featureSpec;
    private final List<String> nextActionLabels;
    private final boolean randomInit;
    private final RawWeights raw;
    private final PackedLstm weights;
    private final StepKernel kernel;
    private final int churnIndex;
    private final int fraudIndex;
    private final ThreadLocal<Workspace> workspaces;
    private final InterestWeights interests;
    private final ItemTable itemTable;
    private final int categoryFrom;
    private final ThreadLocal<InterestScratch> scratch;
    private final FraudTrees fraudTrees;
    /** Per-thread room for the step's {@link AmountHistory} features, when the fraud trees read them; else null. */
    private final ThreadLocal<float[]> amountScratch;
    private final GroupAffinity categoryAffinity;
    private final GroupAffinity brandAffinity;

    /** Per-thread arrays of the version-2 paths, so they allocate nothing per event. */
    private static final class InterestScratch {
        final float[] input;
        final float[] itemScores;
        /** What nextItems adds to each item's score (prior, NaN for excluded): zero between calls. */
        final float[] extra;
        final float[] votes;
        final int[] touched;
        final float[] categoryCounts;
        final int[] touchedCategories;
        final float[] brandCounts;
        final int[] touchedBrands;
        TopItems top = new TopItems(16);

        InterestScratch(int inputSize, int paddedItems, boolean cooccurrence, int categories, int brands) {
            this.categoryCounts = new float[categories];
            this.touchedCategories = new int[categories];
            this.brandCounts = new float[brands];
            this.touchedBrands = new int[brands];
            this.input = new float[inputSize];
            this.itemScores = new float[paddedItems];
            this.extra = new float[paddedItems];
            this.votes = cooccurrence ? new float[paddedItems] : null;
            this.touched = cooccurrence ? new int[paddedItems] : null;
        }
    }

    LstmModel(String name, String version, FeatureSpec featureSpec, List<String> nextActionLabels, boolean randomInit,
            RawWeights raw, StepKernel kernel) {
        this(name, version, featureSpec, nextActionLabels, randomInit, raw, null, null, kernel);
    }

    LstmModel(String name, String version, FeatureSpec featureSpec, List<String> nextActionLabels, boolean randomInit,
            RawWeights raw, InterestWeights interests, FraudTrees fraudTrees, StepKernel kernel) {
        if (fraudTrees != null && (fraudTrees.inputs() != featureSpec.inputSize()
                || fraudTrees.hidden() != raw.hiddenSize())) {
            throw new IllegalArgumentException("fraud trees read " + fraudTrees.inputs() + " inputs and "
                    + fraudTrees.hidden() + " hidden units; the model has " + featureSpec.inputSize() + " and "
                    + raw.hiddenSize());
        }
        this.fraudTrees = fraudTrees;
        this.amountScratch = fraudTrees != null && fraudTrees.amountHistory() > 0
                ? ThreadLocal.withInitial(() -> new float[fraudTrees.amountHistory()]) : null;
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.featureSpec = Objects.requireNonNull(featureSpec, "featureSpec");
        this.nextActionLabels = List.copyOf(nextActionLabels);
        this.randomInit = randomInit;
        this.kernel = kernel;
        this.raw = raw;
        this.weights = raw.pack(kernel.blockUnits(), kernel.outputLanes());
        this.churnIndex = this.nextActionLabels.size();
        this.fraudIndex = churnIndex + 1;
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(weights));
        this.interests = interests;
        this.categoryFrom = fraudIndex + 1;
        if (interests == null) {
            this.itemTable = null;
            this.scratch = null;
            this.categoryAffinity = null;
            this.brandAffinity = null;
        } else {
            Catalogue catalogue = interests.catalogue();
            this.categoryAffinity = GroupAffinity.ofCategories(catalogue, interests.categoryAffinityBlend());
            int[] itemBrand = interests.itemBrand();
            this.brandAffinity = itemBrand == null ? null
                    : GroupAffinity.of(itemBrand, Arrays.stream(itemBrand).max().orElse(0) + 1,
                            interests.brandAffinityBlend(), "brand");
            int brands = brandAffinity == null ? 0 : brandAffinity.groups();
            this.itemTable = new ItemTable(raw.hiddenSize(), catalogue.items(), interests.nextItemW(),
                    interests.nextItemB(), kernel.blockItems(), kernel.coarseItems());
            this.scratch = ThreadLocal.withInitial(() -> new InterestScratch(raw.inputSize(),
                    itemTable.paddedItems(), interests.cooccurrence() != null, catalogue.categories(), brands));
        }
    }

    /**
     * The weight of the user's category affinity in {@link #nextItems(float[], int[], int, int[], int, int, int[],
     * int, int[], float[])}; 0 without one (or interest heads).
     */
    public float categoryAffinityBlend() {
        return categoryAffinity == null ? 0f : categoryAffinity.blend();
    }

    /**
     * The weight of the user's brand affinity in {@link #nextItems(float[], int[], int, int[], int, int, int[], int,
     * int[], float[])}; 0 without one (or interest heads).
     */
    public float brandAffinityBlend() {
        return brandAffinity == null ? 0f : brandAffinity.blend();
    }

    /**
     * Whether the next-item ranking reads the user's remembered items (a category or brand affinity): callers then
     * pass them as the history of {@link #nextItems(float[], int[], int, int[], int, int, int[], int, int[], float[])}.
     */
    public boolean ranksWithHistory() {
        return categoryAffinity != null || brandAffinity != null;
    }

    /** The weight of the user's category history in {@link #nextCategories}; 0 without one (or interest heads). */
    public float categoryHistoryBlend() {
        return interests == null ? 0f : interests.categoryHistoryBlend();
    }

    /**
     * The next-category distribution given the user's recent items: the head's probabilities times
     * {@code (1 + n_c)^w}, renormalised, where n_c counts the items of {@code recentItems[0..count)} in category c
     * and w is {@link #categoryHistoryBlend()} (people keep returning to their categories, which a small head
     * learns only partly). With w = 0, or no known categories among the items, a copy of the head's.
     *
     * @param headProbabilities the {@code next_category} head's output ({@link Scores#nextCategory})
     * @param recentItems       the user's recent item rows (unknown rows count nothing)
     * @param out               receives the distribution, as long as the head's
     */
    public void nextCategories(float[] headProbabilities, int[] recentItems, int count, float[] out) {
        requireInterests();
        float blend = interests.categoryHistoryBlend();
        System.arraycopy(headProbabilities, 0, out, 0, headProbabilities.length);
        if (blend == 0f || count == 0) {
            return;
        }
        Catalogue catalogue = interests.catalogue();
        float[] counts = scratch.get().categoryCounts;
        Arrays.fill(counts, 0f);
        for (int i = 0; i < count; i++) {
            int row = recentItems[i];
            if (row > 0 && row < catalogue.items()) {
                counts[catalogue.itemCategory(row)]++;
            }
        }
        counts[0] = 0f; // the unknown category gains nothing from items without a category
        double sum = 0;
        for (int c = 0; c < out.length; c++) {
            if (counts[c] > 0) {
                out[c] = (float) (out[c] * Math.pow(1 + counts[c], blend));
            }
            sum += out[c];
        }
        for (int c = 0; c < out.length; c++) {
            out[c] = (float) (out[c] / sum);
        }
    }

    /** The next-item head's co-occurrence prior, or null when the bundle has none (or no interest heads). */
    public ItemCooccurrence cooccurrence() {
        return interests == null ? null : interests.cooccurrence();
    }

    /** The model name (the key on the model-weights topic). */
    public String name() {
        return name;
    }

    /** The bundle version; hidden states carry it so a swap can re-warm them. */
    public String version() {
        return version;
    }

    /** Length of the (dense, encoded) input vector {@link #step} takes: the feature spec's input size. */
    public int inputSize() {
        return featureSpec.inputSize();
    }

    /** Whether the model reads items and categories and predicts them (feature spec version 2). */
    public boolean hasInterests() {
        return interests != null;
    }

    /**
     * The item catalogue of a version-2 model.
     *
     * @throws IllegalStateException for a version-1 model
     */
    public Catalogue catalogue() {
        requireInterests();
        return interests.catalogue();
    }

    private void requireInterests() {
        if (interests == null) {
            throw new IllegalStateException(this + " has no item and category heads (feature spec version 1)");
        }
    }

    /** Length of h and c. */
    public int hiddenSize() {
        return weights.hiddenSize();
    }

    /** The encoding and normalisation the model was trained with. */
    public FeatureSpec featureSpec() {
        return featureSpec;
    }

    /** Names of the next-action outputs in order: the event type names. */
    public List<String> nextActionLabels() {
        return nextActionLabels;
    }

    /** True for untrained seeded-random weights (provenance producer {@code seeded-random}). */
    public boolean isRandomInit() {
        return randomInit;
    }

    /** The kernel in use: {@code vector-<bits>} or {@code scalar}. */
    public String kernelName() {
        return kernel.name();
    }

    /**
     * Advances the state by one step in place, allocation-free. DL4J {@code LSTM} semantics without peepholes:
     * {@code c = sigmoid(f)*c + sigmoid(i)*tanh(g)}, {@code h = sigmoid(o)*tanh(c)}.
     *
     * @param x normalised input ({@link FeatureSpec#normalise}), {@link #inputSize()} long
     * @param h hidden state, {@link #hiddenSize()} long; zeros for a new user
     * @param c cell state, {@link #hiddenSize()} long; zeros for a new user
     */
    public void step(float[] x, float[] h, float[] c) {
        if (x.length < inputSize() || h.length < hiddenSize() || c.length < hiddenSize()) {
            throw new IllegalArgumentException("step needs x of length " + inputSize() + " and h, c of length "
                    + hiddenSize() + "; got " + x.length + ", " + h.length + ", " + c.length);
        }
        if (interests == null) {
            kernel.step(weights, x, h, c, workspaces.get());
        } else {
            step(x, 0, 0, h, c);
        }
    }

    /**
     * {@link #step} for a version-2 model with the event's item and category: the LSTM reads the dense features, the
     * item's embedding and the category's. An unknown item (row 0) whose category is known reads that category's
     * fallback embedding (the mean embedding of its known items); a known item without a category reads the
     * catalogue's category of the item.
     *
     * @param itemRow     {@link Catalogue#itemRow}, 0 when unknown
     * @param categoryRow {@link Catalogue#categoryRow}, 0 when unknown
     */
    public void step(float[] x, int itemRow, int categoryRow, float[] h, float[] c) {
        requireInterests();
        Catalogue catalogue = interests.catalogue();
        if (x.length < inputSize() || h.length < hiddenSize() || c.length < hiddenSize() || itemRow < 0
                || itemRow >= catalogue.items() || categoryRow < 0 || categoryRow >= catalogue.categories()) {
            throw new IllegalArgumentException("step needs x of length " + inputSize() + ", h and c of length "
                    + hiddenSize() + ", an item row below " + catalogue.items() + " and a category row below "
                    + catalogue.categories());
        }
        float[] input = scratch.get().input;
        int dense = inputSize();
        int itemDim = interests.itemDim();
        int categoryDim = interests.categoryDim();
        System.arraycopy(x, 0, input, 0, dense);
        int category = categoryRow > 0 ? categoryRow : catalogue.itemCategory(itemRow);
        if (itemRow == 0 && category > 0) {
            System.arraycopy(interests.itemFallback(), category * itemDim, input, dense, itemDim);
        } else {
            System.arraycopy(interests.itemEmbedding(), itemRow * itemDim, input, dense, itemDim);
        }
        System.arraycopy(interests.categoryEmbedding(), category * categoryDim, input, dense + itemDim, categoryDim);
        kernel.step(weights, input, h, c, workspaces.get());
    }

    /**
     * The next-item scores {@code s_j = h . W_j + b_j} (logits of the training softmax) of every catalogue row into
     * {@code out} (at least {@link Catalogue#items()} long).
     */
    public void nextItemScores(float[] h, float[] out) {
        requireInterests();
        float[] scores = scratch.get().itemScores;
        kernel.itemScores(itemTable, h, scores);
        System.arraycopy(scores, 0, out, 0, itemTable.items());
    }

    /**
     * The {@code k} highest-scored catalogue rows for hidden state {@code h}, best first, never row 0 nor a row in
     * {@code excluded[0..excludedCount)} (e.g. the user's seen items); ties go to the lower row. Allocation-free
     * once this thread has seen its largest k.
     *
     * @param rows   receives the rows, at least k long
     * @param scores receives their scores (logits), at least k long
     * @return how many were written: k unless the catalogue has fewer eligible rows
     */
    public int nextItems(float[] h, int k, int[] excluded, int excludedCount, int[] rows, float[] scores) {
        return nextItems(h, null, 0, k, excluded, excludedCount, rows, scores);
    }

    /**
     * {@link #nextItems(float[], int, int[], int, int[], float[])} with the bundle's {@link ItemCooccurrence} prior
     * of the user's recent items added to the logits first (when the bundle has one; otherwise the same as without).
     *
     * @param recent      the user's most recent item rows, newest first (row 0: an unknown item)
     * @param recentCount how many of {@code recent} are valid
     * @param scores      receives the blended scores (logit + prior), at least k long
     */
    public int nextItems(float[] h, int[] recent, int recentCount, int k, int[] excluded, int excludedCount,
            int[] rows, float[] scores) {
        return nextItems(h, recent, recentCount, null, 0, k, excluded, excludedCount, rows, scores);
    }

    /**
     * {@link #nextItems(float[], int[], int, int, int[], int, int[], float[])} with the user's category affinity
     * and brand affinity ({@link GroupAffinity}, each when the bundle gives it a weight) added to the logits as well:
     * items of the categories (brands) of {@code history[0..historyCount)} — the user's remembered items, e.g. the
     * pipeline's seen items — gain {@code weight × log(1 + n_c)} ({@code n_b}).
     *
     * @param history      the user's remembered item rows (any order; unknown rows count nothing), or null
     * @param historyCount how many of {@code history} are valid
     */
    public int nextItems(float[] h, int[] recent, int recentCount, int[] history, int historyCount, int k,
            int[] excluded, int excludedCount, int[] rows, float[] scores) {
        requireInterests();
        InterestScratch s = scratch.get();
        if (s.top.capacity() < k) {
            s.top = new TopItems(k);
        }
        float[] extra = s.extra;
        ItemCooccurrence prior = interests.cooccurrence();
        int touched = 0;
        int touchedCategories = 0;
        int touchedBrands = 0;
        try {
            if (prior != null && recentCount > 0) {
                touched = prior.addPrior(recent, recentCount, extra, s.votes, s.touched);
            }
            if (categoryAffinity != null && historyCount > 0) {
                touchedCategories = categoryAffinity.add(history, historyCount, extra, s.categoryCounts,
                        s.touchedCategories);
            }
            if (brandAffinity != null && historyCount > 0) {
                touchedBrands = brandAffinity.add(history, historyCount, extra, s.brandCounts, s.touchedBrands);
            }
            for (int i = 0; i < excludedCount; i++) {
                int row = excluded[i];
                if (row >= 0 && row < itemTable.items()) {
                    extra[row] = Float.NaN;
                }
            }
            return kernel.topItems(itemTable, h, extra, 1, itemTable.items(), k, s.top, s.itemScores, rows, scores);
        } finally {
            for (int t = 0; t < touched; t++) {
                extra[s.touched[t]] = 0f;
            }
            if (touchedCategories > 0) {
                categoryAffinity.clear(s.touchedCategories, touchedCategories, extra);
            }
            if (touchedBrands > 0) {
                brandAffinity.clear(s.touchedBrands, touchedBrands, extra);
            }
            for (int i = 0; i < excludedCount; i++) {
                int row = excluded[i];
                if (row >= 0 && row < itemTable.items()) {
                    extra[row] = 0f;
                }
            }
        }
    }

    /** Whether fraud is scored by {@link FraudTrees} rather than the linear fraud head. */
    public boolean hasFraudTrees() {
        return fraudTrees != null;
    }

    /**
     * Computes all heads of the step whose normalised dense input was {@code x} and whose hidden state is now
     * {@code h} into {@code out}: {@link #heads(float[], Scores)}, then the fraud score from the {@link FraudTrees}
     * when the model has them (and the {@link AmountHistory} features first, if the trees read them).
     * Allocation-free.
     */
    public void heads(float[] x, float[] h, Scores out) {
        heads(h, out);
        if (fraudTrees != null) {
            if (x.length < inputSize()) {
                throw new IllegalArgumentException("heads needs x of length " + inputSize() + ", got " + x.length);
            }
            float[] amounts = NO_AMOUNTS;
            if (amountScratch != null) {
                amounts = amountScratch.get();
                AmountHistory.compute(featureSpec, x, amounts, 0, amounts.length);
            }
            out.fraud = fraudTrees.probability(x, h, amounts);
        }
    }

    /**
     * Computes all heads from the hidden state into {@code out}, allocation-free. The heads that read only the hidden
     * state: with {@link #hasFraudTrees()}, {@link Scores#fraud} is NaN (use {@link #heads(float[], float[], Scores)}).
     */
    public void heads(float[] h, Scores out) {
        if (h.length < hiddenSize() || out.nextAction.length != nextActionLabels.size()
                || out.nextCategory.length != categoryCount()) {
            throw new IllegalArgumentException("heads needs h of length " + hiddenSize() + " and Scores.forModel");
        }
        float[] logits = workspaces.get().logits;
        kernel.heads(weights, h, logits);
        softmax(logits, NEXT_ACTION, out.nextAction);
        out.churn = FastMath.sigmoid(logits[churnIndex]);
        out.fraud = fraudTrees == null ? FastMath.sigmoid(logits[fraudIndex]) : Float.NaN;
        if (out.nextCategory.length > 0) {
            softmax(logits, categoryFrom, out.nextCategory);
        }
    }

    /** {@link #step} then {@link #heads(float[], float[], Scores)}. */
    public void predict(float[] x, float[] h, float[] c, Scores out) {
        step(x, h, c);
        heads(x, h, out);
    }

    private static void softmax(float[] logits, int from, float[] out) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < out.length; i++) {
            max = Math.max(max, logits[from + i]);
        }
        float sum = 0f;
        for (int i = 0; i < out.length; i++) {
            float e = FastMath.exp(logits[from + i] - max);
            out[i] = e;
            sum += e;
        }
        float inverse = 1f / sum;
        for (int i = 0; i < out.length; i++) {
            out[i] *= inverse;
        }
    }

    /**
     * Runs {@code steps} steps and heads on synthetic inputs (the model's own state is not touched) so that the JIT
     * compiles the kernel before real events arrive. It matters for the Vector API kernel: until C2 has compiled it,
     * each vector operation runs as plain Java with allocations, and a step costs 50–1000 µs instead of about 2 µs
     * (measured on this project's 2-core machines: about 10k steps before the first compiled step, more when the
     * compiler is busy with everything else a starting JVM loads).
     *
     * @return the mean cost of the last tenth of the steps, in nanoseconds per step (what a warmed step costs now)
     */
    public double warmUp(int steps) {
        if (steps <= 0) {
            return Double.NaN;
        }
        float[] x = new float[inputSize()];
        float[] h = new float[hiddenSize()];
        float[] c = new float[hiddenSize()];
        Scores out = Scores.forModel(this);
        int[] rows = new int[10];
        float[] best = new float[10];
        int[] none = new int[0];
        int tail = Math.max(1, steps / 10);
        long tailStarted = 0;
        for (int i = 0; i < steps; i++) {
            if (i == steps - tail) {
                tailStarted = System.nanoTime();
            }
            x[i % x.length] = (i % 17) * 0.125f - 1f;
            if (i % 64 == 0) {
                Arrays.fill(h, 0f); // keep the state in the range real sequences visit
                Arrays.fill(c, 0f);
            }
            predict(x, h, c, out);
            if (interests != null && i % 8 == 0) {
                // the next-item kernel is compiled separately; an eighth of the steps is enough to get it there
                nextItems(h, rows.length, none, 0, rows, best);
            }
        }
        return (double) (System.nanoTime() - tailStarted) / tail;
    }

    /** Rows of the next-category distribution (the catalogue's categories, row 0 unknown); 0 for version 1. */
    public int categoryCount() {
        return interests == null ? 0 : interests.catalogue().categories();
    }

    /**
     * The same weights on another kernel: tests and benchmarks compare kernels in one JVM, and the end-to-end
     * benchmark measures Pulse's topology with a kernel that computes nothing (to tell the model's cost from the
     * rest). Production code never needs it: a model gets its kernel from {@code Kernels.selected()}.
     */
    public LstmModel withKernel(StepKernel other) {
        return new LstmModel(name, version, featureSpec, nextActionLabels, randomInit, raw, interests, fraudTrees,
                other);
    }

    @Override
    public String toString() {
        return "LstmModel[" + name + " " + version + ", input " + inputSize() + ", hidden " + hiddenSize() + ", "
                + (interests == null ? "" : interests.catalogue() + ", ") + kernel.name() + "]";
    }

    static StepKernel defaultKernel() {
        return Kernels.selected();
    }
}

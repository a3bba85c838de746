package io.pulse.model;

import java.util.Arrays;

/**
 * A gradient-boosted tree ensemble that scores fraud instead of the LSTM's linear fraud head, from the step's
 * normalised dense input {@code x} and the hidden state {@code h} after the step, and optionally the step's
 * {@link AmountHistory} features {@code a} (the amount against the user's own recent amounts, computed from {@code x}):
 * feature {@code j} is {@code x[j]} for {@code j < inputs}, {@code h[j - inputs]} up to {@code inputs + hidden}, and
 * {@code a[j - inputs - hidden]} after. The probability is
 * {@code sigmoid(baseMargin + sum of one leaf per tree)}; at a split, a value below the threshold goes left, a NaN goes
 * the node's default way — XGBoost's semantics for its {@code binary:logistic} objective, which the trainer fits it
 * with ({@code FraudTreesTrainer}, checked against XGBoost's own predictions there).
 *
 * <p>Why Pulse evaluates the trees itself instead of calling XGBoost in the pipeline: XGBoost's JVM predictor is a
 * native library reached through JNI, with a native matrix built for every row; this is an allocation-free walk of
 * the trees in plain Java, and the model module stays free of native code. It reads the model as flat arrays
 * ({@link ModelBundles#withFraudTrees}), not XGBoost's files. Cost: each level of a walk is a chain of dependent
 * loads, so nodes are renumbered breadth-first (a right child follows its left sibling: no unpredictable branch) and
 * four trees are walked at once; a rough throw-away timing gave about 4.4 µs for 235 random depth-4 trees on this
 * project's machines (8.8 µs walking one tree at a time with branches), still a few LSTM steps. A JMH benchmark
 * beside the step benchmark is the next step.
 *
 * <p>Immutable and thread-safe.
 */
public final class FraudTrees {

    /** Largest node count: node indices are stored as exact integers in float tensors. */
    public static final int MAX_NODES = 1 << 24;

    private final int inputs;
    private final int hidden;
    private final int amountHistory;
    private final float baseMargin;
    private final int[] roots;
    private final int[] feature;
    private final float[] value;
    /** Per node, its left child; the right child is the next node (see the constructor). */
    private final int[] left;
    private final boolean[] defaultLeft;
    /** Per node, 0 when a NaN goes left, 1 when it goes right. */
    private final int[] nanStep;

    /**
     * @param inputs      length of the dense input x ({@link FeatureSpec#inputSize()})
     * @param hidden      length of the hidden state
     * @param amountHistory how many amount-history features the trees also read ({@link AmountHistory#isValidCount}: 0,
     *                    the first {@link AmountHistory#WITHOUT_MEAN_SHIFT}, or {@link AmountHistory#COUNT})
     * @param baseMargin  the ensemble's starting margin (log-odds)
     * @param roots       the index of each tree's root node
     * @param feature     per node, the feature it splits on, or -1 for a leaf
     * @param value       per node, the split threshold, or the leaf's value for a leaf
     * @param left        per node, the child for values below the threshold (ignored for leaves)
     * @param right       per node, the child for values at or above it (ignored for leaves)
     * @param defaultLeft per node, whether a NaN goes left
     * @throws IllegalArgumentException if the arrays differ in length, a feature is out of range or a child does not
     *                                  come after its parent (which rules out cycles)
     */
    public FraudTrees(int inputs, int hidden, int amountHistory, float baseMargin, int[] roots, int[] feature,
            float[] value, int[] left, int[] right, boolean[] defaultLeft) {
        int nodes = feature.length;
        if (inputs < 1 || hidden < 1 || !Float.isFinite(baseMargin)) {
            throw new IllegalArgumentException("fraud trees need inputs >= 1, hidden >= 1 and a finite base margin");
        }
        if (!AmountHistory.isValidCount(amountHistory)) {
            throw new IllegalArgumentException("fraud trees read 0, " + AmountHistory.WITHOUT_MEAN_SHIFT + " or "
                    + AmountHistory.COUNT + " amount-history features, not " + amountHistory);
        }
        if (value.length != nodes || left.length != nodes || right.length != nodes || defaultLeft.length != nodes
                || nodes > MAX_NODES || roots.length == 0) {
            throw new IllegalArgumentException("fraud trees: node arrays must have one length (at most " + MAX_NODES
                    + ") and there must be at least one tree");
        }
        for (int root : roots) {
            if (root < 0 || root >= nodes) {
                throw new IllegalArgumentException("fraud trees: root " + root + " outside the " + nodes + " nodes");
            }
        }
        for (int n = 0; n < nodes; n++) {
            if (!Float.isFinite(value[n]) && !(feature[n] >= 0 && Float.isInfinite(value[n]))) {
                throw new IllegalArgumentException("fraud trees: node " + n + " has value " + value[n]);
            }
            if (feature[n] < -1 || feature[n] >= inputs + hidden + amountHistory) {
                throw new IllegalArgumentException("fraud trees: node " + n + " splits on feature " + feature[n]
                        + "; there are " + (inputs + hidden + amountHistory));
            }
            if (feature[n] >= 0 && (left[n] <= n || left[n] >= nodes || right[n] <= n || right[n] >= nodes)) {
                throw new IllegalArgumentException("fraud trees: node " + n + " has children " + left[n] + ", "
                        + right[n] + "; children must come after their parent");
            }
        }
        this.inputs = inputs;
        this.hidden = hidden;
        this.amountHistory = amountHistory;
        this.baseMargin = baseMargin;
        // renumbered breadth-first per tree, so that every right child directly follows its left sibling: the walk
        // then picks a child by adding 0 or 1, without a branch the CPU would mispredict half the time
        int[] newRoots = new int[roots.length];
        int[] newFeature = new int[nodes];
        float[] newValue = new float[nodes];
        int[] newLeft = new int[nodes];
        boolean[] newDefaultLeft = new boolean[nodes];
        int[] queue = new int[nodes];
        int next = 0;
        for (int t = 0; t < roots.length; t++) {
            int head = next;
            int tail = next;
            queue[tail++] = roots[t];
            newRoots[t] = next++;
            while (head < tail) {
                int old = queue[head];
                int at = head++;
                newFeature[at] = feature[old];
                newValue[at] = value[old];
                newDefaultLeft[at] = defaultLeft[old];
                if (feature[old] >= 0) {
                    if (next + 2 > nodes) {
                        throw new IllegalArgumentException("fraud trees: tree " + t + " reaches more nodes than given"
                                + " (a node shared between trees?)");
                    }
                    newLeft[at] = next;
                    queue[tail++] = left[old];
                    queue[tail++] = right[old];
                    next += 2;
                }
            }
        }
        this.roots = newRoots;
        this.feature = Arrays.copyOf(newFeature, next);
        this.value = Arrays.copyOf(newValue, next);
        this.left = Arrays.copyOf(newLeft, next);
        this.defaultLeft = Arrays.copyOf(newDefaultLeft, next);
        this.nanStep = new int[next];
        for (int n = 0; n < next; n++) {
            nanStep[n] = this.defaultLeft[n] ? 0 : 1;
        }
    }

    /**
     * The fraud probability for the step: sigmoid of {@link #margin}.
     *
     * @param amounts the step's {@link AmountHistory} features when {@link #amountHistory()} is not 0 (else unused)
     */
    public float probability(float[] x, float[] h, float[] amounts) {
        return (float) (1.0 / (1.0 + Math.exp(-margin(x, h, amounts))));
    }

    /**
     * The ensemble's log-odds for input {@code x} ({@link #inputs()} used), hidden state {@code h} and amount-history
     * features {@code amounts} (read only when {@link #amountHistory()} is not 0).
     */
    public double margin(float[] x, float[] h, float[] amounts) {
        double sum = baseMargin;
        int trees = roots.length;
        int t = 0;
        // four trees at a time: each level of a walk is a chain of dependent loads, and four independent chains
        // overlap in the CPU where one would wait; the leaves are still added in tree order
        for (; t + 4 <= trees; t += 4) {
            int a = roots[t];
            int b = roots[t + 1];
            int c = roots[t + 2];
            int d = roots[t + 3];
            // a leaf's feature is -1: the AND keeps the sign bit only when all four walks have reached a leaf
            while ((feature[a] & feature[b] & feature[c] & feature[d]) >= 0) {
                a = child(a, x, h, amounts);
                b = child(b, x, h, amounts);
                c = child(c, x, h, amounts);
                d = child(d, x, h, amounts);
            }
            sum += value[a];
            sum += value[b];
            sum += value[c];
            sum += value[d];
        }
        for (; t < trees; t++) {
            int n = roots[t];
            while (feature[n] >= 0) {
                n = child(n, x, h, amounts);
            }
            sum += value[n];
        }
        return sum;
    }

    /** The child of node {@code n} the input goes to, or {@code n} itself at a leaf. */
    private int child(int n, float[] x, float[] h, float[] amounts) {
        int f = feature[n];
        if (f < 0) {
            return n;
        }
        int g = f - inputs;
        float v = g < 0 ? x[f] : g < hidden ? h[g] : amounts[g - hidden];
        // at or above the threshold: the right child, left + 1; a NaN compares false, and goes its own way
        int step = v >= value[n] ? 1 : 0;
        return left[n] + (v == v ? step : nanStep[n]);
    }

    public int inputs() {
        return inputs;
    }

    public int hidden() {
        return hidden;
    }

    /** How many amount-history features the trees read after x and h ({@link AmountHistory#isValidCount}). */
    public int amountHistory() {
        return amountHistory;
    }

    public int trees() {
        return roots.length;
    }

    public int nodes() {
        return feature.length;
    }

    public float baseMargin() {
        return baseMargin;
    }

    int[] roots() {
        return roots.clone();
    }

    int[] feature() {
        return feature.clone();
    }

    float[] value() {
        return value.clone();
    }

    int[] left() {
        return left.clone();
    }

    int[] right() {
        int[] right = new int[left.length];
        for (int n = 0; n < left.length; n++) {
            right[n] = feature[n] >= 0 ? left[n] + 1 : 0;
        }
        return right;
    }

    boolean[] defaultLeft() {
        return defaultLeft.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FraudTrees t && inputs == t.inputs && hidden == t.hidden
                && amountHistory == t.amountHistory
                && Float.compare(baseMargin, t.baseMargin) == 0 && Arrays.equals(roots, t.roots)
                && Arrays.equals(feature, t.feature) && Arrays.equals(value, t.value) && Arrays.equals(left, t.left)
                && Arrays.equals(defaultLeft, t.defaultLeft);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value) * 31 + Arrays.hashCode(feature);
    }

    @Override
    public String toString() {
        return "FraudTrees[" + roots.length + " trees, " + feature.length + " nodes, " + (inputs + hidden
                + amountHistory) + " features]";
    }
}

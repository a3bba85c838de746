package io.pulse.model;

import java.util.Arrays;

/**
 * A gradient-boosted tree ensemble that scores fraud instead of the LSTM's linear fraud head, from the step's
 * normalised dense input {@code x} and the hidden state {@code h} after the step: feature {@code j} is
 * {@code x[j]} for {@code j < inputs} and {@code h[j - inputs]} after. The probability is
 * {@code sigmoid(baseMargin + sum of one leaf per tree)}; at a split, a value below the threshold goes left, a NaN goes
 * the node's default way — XGBoost's semantics for its {@code binary:logistic} objective, which the trainer fits it
 * with ({@code FraudTreesTrainer}, checked against XGBoost's own predictions there).
 *
 * <p>Why Pulse evaluates the trees itself instead of calling XGBoost in the pipeline: XGBoost's JVM predictor is a
 * native library reached through JNI, with a native matrix built for every row; this is an allocation-free walk of
 * the trees in plain Java, and the model module stays free of native code. It reads the model as flat arrays
 * ({@link ModelBundles#withFraudTrees}), not XGBoost's files. Cost: one node visit per level per tree, each a branch
 * the CPU cannot predict; a rough throw-away timing gave about 8 µs for 235 random depth-4 trees on this project's
 * machines, several times an LSTM step — a branch-free layout (children next to each other) and a JMH benchmark are
 * the next step before serving large ensembles on the per-event path.
 *
 * <p>Immutable and thread-safe.
 */
public final class FraudTrees {

    /** Largest node count: node indices are stored as exact integers in float tensors. */
    public static final int MAX_NODES = 1 << 24;

    private final int inputs;
    private final int hidden;
    private final float baseMargin;
    private final int[] roots;
    private final int[] feature;
    private final float[] value;
    private final int[] left;
    private final int[] right;
    private final boolean[] defaultLeft;

    /**
     * @param inputs      length of the dense input x ({@link FeatureSpec#inputSize()})
     * @param hidden      length of the hidden state
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
    public FraudTrees(int inputs, int hidden, float baseMargin, int[] roots, int[] feature, float[] value, int[] left,
            int[] right, boolean[] defaultLeft) {
        int nodes = feature.length;
        if (inputs < 1 || hidden < 1 || !Float.isFinite(baseMargin)) {
            throw new IllegalArgumentException("fraud trees need inputs >= 1, hidden >= 1 and a finite base margin");
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
            if (feature[n] < -1 || feature[n] >= inputs + hidden) {
                throw new IllegalArgumentException("fraud trees: node " + n + " splits on feature " + feature[n]
                        + "; there are " + (inputs + hidden));
            }
            if (feature[n] >= 0 && (left[n] <= n || left[n] >= nodes || right[n] <= n || right[n] >= nodes)) {
                throw new IllegalArgumentException("fraud trees: node " + n + " has children " + left[n] + ", "
                        + right[n] + "; children must come after their parent");
            }
        }
        this.inputs = inputs;
        this.hidden = hidden;
        this.baseMargin = baseMargin;
        this.roots = roots.clone();
        this.feature = feature.clone();
        this.value = value.clone();
        this.left = left.clone();
        this.right = right.clone();
        this.defaultLeft = defaultLeft.clone();
    }

    /** The fraud probability for the step: sigmoid of {@link #margin}. */
    public float probability(float[] x, float[] h) {
        return (float) (1.0 / (1.0 + Math.exp(-margin(x, h))));
    }

    /** The ensemble's log-odds for input {@code x} ({@link #inputs()} used) and hidden state {@code h}. */
    public double margin(float[] x, float[] h) {
        double sum = baseMargin;
        for (int root : roots) {
            int n = root;
            while (feature[n] >= 0) {
                int f = feature[n];
                float v = f < inputs ? x[f] : h[f - inputs];
                if (Float.isNaN(v)) {
                    n = defaultLeft[n] ? left[n] : right[n];
                } else {
                    n = v < value[n] ? left[n] : right[n];
                }
            }
            sum += value[n];
        }
        return sum;
    }

    public int inputs() {
        return inputs;
    }

    public int hidden() {
        return hidden;
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
        return right.clone();
    }

    boolean[] defaultLeft() {
        return defaultLeft.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FraudTrees t && inputs == t.inputs && hidden == t.hidden
                && Float.compare(baseMargin, t.baseMargin) == 0 && Arrays.equals(roots, t.roots)
                && Arrays.equals(feature, t.feature) && Arrays.equals(value, t.value) && Arrays.equals(left, t.left)
                && Arrays.equals(right, t.right) && Arrays.equals(defaultLeft, t.defaultLeft);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value) * 31 + Arrays.hashCode(feature);
    }

    @Override
    public String toString() {
        return "FraudTrees[" + roots.length + " trees, " + feature.length + " nodes, " + (inputs + hidden)
                + " features]";
    }
}

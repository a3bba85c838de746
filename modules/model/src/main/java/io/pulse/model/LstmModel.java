package io.pulse.model;

import io.pulse.model.internal.FastMath;
import io.pulse.model.internal.Kernels;
import io.pulse.model.internal.PackedLstm;
import io.pulse.model.internal.StepKernel;
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
 * <p>Speed needs the JVM flag {@code --add-modules jdk.incubator.vector} (the Vector API kernel); without it a scalar
 * kernel runs. {@link #kernelName()} says which.
 */
public final class LstmModel {

    private static final int NEXT_ACTION = 0;

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

    LstmModel(String name, String version, FeatureSpec featureSpec, List<String> nextActionLabels, boolean randomInit,
            RawWeights raw, StepKernel kernel) {
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
    }

    /** The model name (the key on the model-weights topic). */
    public String name() {
        return name;
    }

    /** The bundle version; hidden states carry it so a swap can re-warm them. */
    public String version() {
        return version;
    }

    /** Length of the input vector. */
    public int inputSize() {
        return weights.inputSize();
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
        kernel.step(weights, x, h, c, workspaces.get());
    }

    /** Computes all heads from the hidden state into {@code out}, allocation-free. */
    public void heads(float[] h, Scores out) {
        if (h.length < hiddenSize() || out.nextAction.length != nextActionLabels.size()) {
            throw new IllegalArgumentException("heads needs h of length " + hiddenSize() + " and Scores.forModel");
        }
        float[] logits = workspaces.get().logits;
        kernel.heads(weights, h, logits);
        softmax(logits, NEXT_ACTION, out.nextAction);
        out.churn = FastMath.sigmoid(logits[churnIndex]);
        out.fraud = FastMath.sigmoid(logits[fraudIndex]);
    }

    /** {@link #step} then {@link #heads}. */
    public void predict(float[] x, float[] h, float[] c, Scores out) {
        step(x, h, c);
        heads(h, out);
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
        }
        return (double) (System.nanoTime() - tailStarted) / tail;
    }

    /** The same weights on another kernel (tests and benchmarks compare kernels in one JVM). */
    LstmModel withKernel(StepKernel other) {
        return new LstmModel(name, version, featureSpec, nextActionLabels, randomInit, raw, other);
    }

    @Override
    public String toString() {
        return "LstmModel[" + name + " " + version + ", input " + inputSize() + ", hidden " + hiddenSize() + ", "
                + kernel.name() + "]";
    }

    static StepKernel defaultKernel() {
        return Kernels.selected();
    }
}

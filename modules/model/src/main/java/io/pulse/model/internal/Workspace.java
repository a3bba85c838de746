package io.pulse.model.internal;

/**
 * Per-thread scratch arrays for a kernel over one model shape, so a step allocates nothing. Not thread-safe.
 */
public final class Workspace {

    final float[] h;
    final float[] c;
    final float[] accumulators;
    /** Gate pre-activations then activations, in the packed [block][gate][unit] order. */
    final float[] gates;
    /** Head pre-activations, paddedOutputs long. */
    public final float[] logits;

    public Workspace(PackedLstm weights) {
        this.h = new float[weights.paddedHidden()];
        this.c = new float[weights.paddedHidden()];
        this.accumulators = new float[PackedLstm.GATES * weights.blockUnits()];
        this.gates = new float[PackedLstm.GATES * weights.paddedHidden()];
        this.logits = new float[weights.paddedOutputs()];
    }
}

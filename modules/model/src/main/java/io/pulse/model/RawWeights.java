package io.pulse.model;

import io.pulse.model.internal.PackedLstm;

/**
 * The model's parameters as the bundle holds them: row-major, DL4J gate order, all heads' weights side by side
 * ({@code headW} [H, outputs], next-action outputs first, then churn, then fraud).
 */
record RawWeights(int inputSize, int hiddenSize, float[] w, float[] rw, float[] b, float[] headW, float[] headB) {

    PackedLstm pack(int blockUnits, int outputLanes) {
        return new PackedLstm(inputSize, hiddenSize, w, rw, b, headW, headB, blockUnits, outputLanes);
    }
}

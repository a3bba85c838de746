package io.pulse.trainer.baseline;

/** Laplace (add-one) smoothing of counts into probabilities. */
final class Smoothing {

    private Smoothing() {
    }

    static float[] laplace(double[] counts) {
        double total = 0;
        for (double c : counts) {
            total += c + 1;
        }
        float[] p = new float[counts.length];
        for (int i = 0; i < counts.length; i++) {
            p[i] = (float) ((counts[i] + 1) / total);
        }
        return p;
    }

    /** (positives + 1) / (n + 2). */
    static double rate(double positives, double n) {
        return (positives + 1) / (n + 2);
    }
}

package io.pulse.trainer.eval;

/**
 * Points of a curve, e.g. ROC (x = false positive rate, y = true positive rate) or precision-recall (x = recall,
 * y = precision), in order of decreasing threshold.
 */
public record Curve(double[] x, double[] y) {

    public Curve {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y must have the same length, were " + x.length + " and "
                    + y.length);
        }
    }

    /** At most about {@code maxPoints} points, evenly spaced along the curve, first and last kept (for plotting). */
    public Curve thinned(int maxPoints) {
        if (x.length <= maxPoints) {
            return this;
        }
        int n = maxPoints;
        double[] tx = new double[n];
        double[] ty = new double[n];
        for (int i = 0; i < n; i++) {
            int j = (int) Math.round((double) i * (x.length - 1) / (n - 1));
            tx[i] = x[j];
            ty[i] = y[j];
        }
        return new Curve(tx, ty);
    }
}

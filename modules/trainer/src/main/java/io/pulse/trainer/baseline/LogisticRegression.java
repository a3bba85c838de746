package io.pulse.trainer.baseline;

import java.util.Arrays;

/**
 * L2-regularised logistic regression in plain Java, fitted by Newton's method (iteratively reweighted least squares)
 * on standardised features: minimises {@code mean log-loss + lambda/2 * |w|^2} (the intercept is not penalised).
 * Small and exact for the handful of features the baselines use; immutable once fitted.
 */
public final class LogisticRegression {

    private static final int MAX_ITERATIONS = 50;
    private static final double TOLERANCE = 1e-10;

    private final double[] mean;
    private final double[] std;
    private final double[] weights;
    private final double intercept;

    private LogisticRegression(double[] mean, double[] std, double[] weights, double intercept) {
        this.mean = mean;
        this.std = std;
        this.weights = weights;
        this.intercept = intercept;
    }

    /**
     * Fits the model.
     *
     * @param x      rows of features, all of the same length
     * @param y      labels, 0 or 1
     * @param lambda L2 strength (&gt;= 0; with 0, separable data has no finite solution and the iteration cap stops)
     * @throws IllegalArgumentException if there are no rows or lengths differ
     */
    public static LogisticRegression fit(double[][] x, int[] y, double lambda) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need at least one row and one label per row, got " + x.length
                    + " rows and " + y.length + " labels");
        }
        return fit(new Rows(x.length, x[0].length) {
            @Override
            double get(int i, int j) {
                return x[i][j];
            }
        }, y, lambda);
    }

    /**
     * As {@link #fit(double[][], int[], double)} for {@code n = y.length} rows of {@code d} features stored row after
     * row in {@code x}: four bytes a feature instead of an array per row, for the baselines' millions of rows.
     */
    public static LogisticRegression fit(float[] x, int d, int[] y, double lambda) {
        if (y.length == 0 || d <= 0 || (long) y.length * d != x.length) {
            throw new IllegalArgumentException("need at least one row, d > 0 and d features per label, got "
                    + x.length + " values, d = " + d + " and " + y.length + " labels");
        }
        return fit(new Rows(y.length, d) {
            @Override
            double get(int i, int j) {
                return x[i * d + j];
            }
        }, y, lambda);
    }

    /** The design matrix, read by index; standardised rows are computed when used, not stored. */
    private abstract static class Rows {
        final int n;
        final int d;
        double[] mean;
        double[] std;

        Rows(int n, int d) {
            this.n = n;
            this.d = d;
        }

        abstract double get(int i, int j);

        /** Row i standardised, with the intercept's 1 last. */
        void standardised(int i, double[] z) {
            for (int j = 0; j < d; j++) {
                z[j] = (get(i, j) - mean[j]) / std[j];
            }
            z[d] = 1;
        }
    }

    private static LogisticRegression fit(Rows x, int[] y, double lambda) {
        int d = x.d;
        int n = x.n;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x.get(i, j);
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                std[j] += (x.get(i, j) - mean[j]) * (x.get(i, j) - mean[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / n);
            if (!(std[j] > 1e-12)) {
                std[j] = 1;
            }
        }
        x.mean = mean;
        x.std = std;
        double[] z = new double[d + 1];
        double[] beta = new double[d + 1];
        double previous = objective(x, y, beta, lambda, z);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] gradient = new double[d + 1];
            double[][] hessian = new double[d + 1][d + 1];
            for (int i = 0; i < n; i++) {
                x.standardised(i, z);
                double p = sigmoid(dot(z, beta));
                double w = p * (1 - p);
                for (int a = 0; a <= d; a++) {
                    gradient[a] += (p - y[i]) * z[a] / n;
                    for (int b = 0; b <= a; b++) {
                        hessian[a][b] += w * z[a] * z[b] / n;
                    }
                }
            }
            for (int a = 0; a <= d; a++) {
                for (int b = 0; b < a; b++) {
                    hessian[b][a] = hessian[a][b];
                }
                if (a < d) {
                    gradient[a] += lambda * beta[a];
                    hessian[a][a] += lambda;
                }
                hessian[a][a] += 1e-12;
            }
            double[] step = solve(hessian, gradient);
            double scale = 1;
            double[] candidate = new double[d + 1];
            double value;
            do {
                for (int a = 0; a <= d; a++) {
                    candidate[a] = beta[a] - scale * step[a];
                }
                value = objective(x, y, candidate, lambda, z);
                scale /= 2;
            } while (value > previous + 1e-15 && scale > 1e-6);
            if (value > previous + 1e-15) {
                break;
            }
            beta = candidate.clone();
            boolean converged = previous - value < TOLERANCE;
            previous = value;
            if (converged) {
                break;
            }
        }
        return new LogisticRegression(mean, std, Arrays.copyOf(beta, d), beta[d]);
    }

    /** P(y = 1 | x). */
    public double predict(double[] x) {
        double sum = intercept;
        for (int j = 0; j < weights.length; j++) {
            sum += weights[j] * (x[j] - mean[j]) / std[j];
        }
        return sigmoid(sum);
    }

    /** Weights of the standardised features (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    /** Intercept on standardised features: the logit at the mean of every feature. */
    public double intercept() {
        return intercept;
    }

    private static double objective(Rows x, int[] y, double[] beta, double lambda, double[] z) {
        double sum = 0;
        for (int i = 0; i < x.n; i++) {
            x.standardised(i, z);
            double s = dot(z, beta);
            // log(1 + exp(s)) - y s, stable for large |s|
            sum += (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - y[i] * s;
        }
        double penalty = 0;
        for (int a = 0; a < beta.length - 1; a++) {
            penalty += beta[a] * beta[a];
        }
        return sum / x.n + lambda / 2 * penalty;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    static double sigmoid(double s) {
        return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
    }

    /** Solves {@code A v = b} by Gaussian elimination with partial pivoting (A is small and positive definite). */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] v = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double sum = m[r][n];
            for (int c = r + 1; c < n; c++) {
                sum -= m[r][c] * v[c];
            }
            v[r] = sum / m[r][r];
        }
        return v;
    }
}

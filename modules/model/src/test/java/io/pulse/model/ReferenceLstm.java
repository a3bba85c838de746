package io.pulse.model;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Tensor;
import java.util.List;

/**
 * A deliberately naive double-precision LSTM read straight from a bundle's row-major tensors with {@link Math}'s
 * functions: the textbook the fast kernels are checked against, independent of their packed layout.
 */
final class ReferenceLstm {

    final int inputSize;
    final int hidden;
    private final double[][] w;
    private final double[][] rw;
    private final double[] b;
    private final double[][] nextW;
    private final double[] nextB;
    private final double[][] churnW;
    private final double[] churnB;
    private final double[][] fraudW;
    private final double[] fraudB;

    ReferenceLstm(ModelBundle bundle) {
        inputSize = bundle.getArchitecture().getInputSize();
        hidden = bundle.getArchitecture().getHiddenSize();
        w = matrix(bundle, ModelBundles.LSTM_W);
        rw = matrix(bundle, ModelBundles.LSTM_RW);
        b = matrix(bundle, ModelBundles.LSTM_B)[0];
        nextW = matrix(bundle, ModelBundles.NEXT_ACTION_W);
        nextB = matrix(bundle, ModelBundles.NEXT_ACTION_B)[0];
        churnW = matrix(bundle, ModelBundles.CHURN_W);
        churnB = matrix(bundle, ModelBundles.CHURN_B)[0];
        fraudW = matrix(bundle, ModelBundles.FRAUD_W);
        fraudB = matrix(bundle, ModelBundles.FRAUD_B)[0];
    }

    private static double[][] matrix(ModelBundle bundle, String name) {
        Tensor tensor = bundle.getTensors().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
        List<Integer> shape = tensor.getShape();
        int rows = shape.size() == 1 ? 1 : shape.get(0);
        int cols = shape.get(shape.size() - 1);
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = tensor.getValues().get(r * cols + c);
            }
        }
        return m;
    }

    /** One step; gate blocks [block input, forget, output, input gate]. */
    void step(float[] x, double[] h, double[] c) {
        double[] z = b.clone();
        for (int j = 0; j < inputSize; j++) {
            for (int q = 0; q < 4 * hidden; q++) {
                z[q] += x[j] * w[j][q];
            }
        }
        for (int k = 0; k < hidden; k++) {
            for (int q = 0; q < 4 * hidden; q++) {
                z[q] += h[k] * rw[k][q];
            }
        }
        for (int u = 0; u < hidden; u++) {
            double g = Math.tanh(z[u]);
            double f = sigmoid(z[hidden + u]);
            double o = sigmoid(z[2 * hidden + u]);
            double i = sigmoid(z[3 * hidden + u]);
            c[u] = f * c[u] + i * g;
            h[u] = o * Math.tanh(c[u]);
        }
    }

    double[] nextAction(double[] h) {
        double[] logits = linear(h, nextW, nextB);
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = Math.exp(logits[i] - max);
            sum += logits[i];
        }
        for (int i = 0; i < logits.length; i++) {
            logits[i] /= sum;
        }
        return logits;
    }

    double churn(double[] h) {
        return sigmoid(linear(h, churnW, churnB)[0]);
    }

    double fraud(double[] h) {
        return sigmoid(linear(h, fraudW, fraudB)[0]);
    }

    private static double[] linear(double[] h, double[][] weights, double[] bias) {
        double[] out = bias.clone();
        for (int k = 0; k < h.length; k++) {
            for (int o = 0; o < out.length; o++) {
                out[o] += h[k] * weights[k][o];
            }
        }
        return out;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}

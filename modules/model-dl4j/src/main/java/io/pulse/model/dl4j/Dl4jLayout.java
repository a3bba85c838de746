package io.pulse.model.dl4j;

/**
 * What a trainer needs to move parameters between Deeplearning4j and a bundle. DL4J's {@code LSTM} layer keeps
 * {@code W} [nIn, 4H], {@code RW} [H, 4H] and {@code b} [4H] (parameter keys below), with the gate blocks in the order
 * [block input (tanh), forget, output, input gate], and its flat parameter vector is column-major ('f'); bundles are
 * row-major with the same gate order. The parity test builds a DL4J network through these conversions.
 */
public final class Dl4jLayout {

    /** DL4J parameter key of the input weights (LSTM and output layers). */
    public static final String WEIGHTS = "W";
    /** DL4J parameter key of the LSTM's recurrent weights. */
    public static final String RECURRENT_WEIGHTS = "RW";
    /** DL4J parameter key of biases. */
    public static final String BIAS = "b";

    private Dl4jLayout() {
    }

    /** Column-major ('f', DL4J's flat parameter order) copy of a row-major [rows, cols] matrix. */
    public static float[] rowMajorToColumnMajor(float[] rowMajor, int rows, int cols) {
        checkLength(rowMajor, rows, cols);
        float[] columnMajor = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                columnMajor[c * rows + r] = rowMajor[r * cols + c];
            }
        }
        return columnMajor;
    }

    /** Row-major (bundle order) copy of a column-major [rows, cols] matrix. */
    public static float[] columnMajorToRowMajor(float[] columnMajor, int rows, int cols) {
        checkLength(columnMajor, rows, cols);
        float[] rowMajor = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                rowMajor[r * cols + c] = columnMajor[c * rows + r];
            }
        }
        return rowMajor;
    }

    private static void checkLength(float[] values, int rows, int cols) {
        if (values.length != rows * cols) {
            throw new IllegalArgumentException("expected " + rows + " x " + cols + " = " + rows * cols
                    + " values, got " + values.length);
        }
    }
}

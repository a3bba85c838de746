package io.pulse.benchmarks.e2e;

import io.pulse.model.LstmModel;
import io.pulse.model.internal.ItemTable;
import io.pulse.model.internal.Kernels;
import io.pulse.model.internal.PackedLstm;
import io.pulse.model.internal.StepKernel;
import io.pulse.model.internal.TopItems;
import io.pulse.model.internal.Workspace;
import java.util.Arrays;

/**
 * The kernel of (b′), Pulse's topology with a no-op model: the LSTM step leaves the recurrent state as it is and the
 * heads get zero logits (so every head gives its uniform answer: churn and fraud 0.5, the next actions equally
 * likely), so that the pipeline can be measured with and without the model's arithmetic and the two costs told apart.
 * The weights are packed as {@code layout} packs them: the same state size and input layout, nothing computed.
 */
record NoOpKernel(StepKernel layout) implements StepKernel {

    /** {@code model} with the weights it has, on a no-op kernel; the encoding, state and outputs stay as they are. */
    static LstmModel of(LstmModel model) {
        return model.withKernel(new NoOpKernel(Kernels.selected()));
    }

    @Override
    public String name() {
        return "no-op";
    }

    @Override
    public int blockUnits() {
        return layout.blockUnits();
    }

    @Override
    public int outputLanes() {
        return layout.outputLanes();
    }

    @Override
    public void step(PackedLstm weights, float[] x, float[] h, float[] c, Workspace workspace) {
        // the state stays as it was
    }

    @Override
    public void heads(PackedLstm weights, float[] h, float[] logits) {
        Arrays.fill(logits, 0f);
    }

    @Override
    public int blockItems() {
        return layout.blockItems();
    }

    @Override
    public void itemScores(ItemTable table, float[] h, float[] scores) {
        Arrays.fill(scores, 0f);
    }

    @Override
    public int selectTop(float[] scores, int from, int to, int k, TopItems top, int[] rows, float[] out) {
        return layout.selectTop(scores, from, to, k, top, rows, out);
    }
}

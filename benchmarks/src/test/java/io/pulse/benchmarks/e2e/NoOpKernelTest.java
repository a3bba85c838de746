package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.model.Scores;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** (b′)'s model: the same model on a kernel that computes nothing. */
class NoOpKernelTest {

    @Test
    void shouldLeaveTheStateAsItIsAndGiveEveryHeadItsUniformAnswer() {
        LstmModel model = ModelBundles.toModel(ModelBundles.seededRandom("pulse-lstm", 7L, 64));
        LstmModel noOp = NoOpKernel.of(model);
        float[] x = new float[model.inputSize()];
        Arrays.fill(x, 0.5f);
        float[] h = new float[64];
        float[] c = new float[64];
        Arrays.fill(h, 0.25f);
        Arrays.fill(c, -0.5f);
        Scores scores = Scores.forModel(noOp);

        noOp.predict(x, h, c, scores);

        assertThat(noOp.kernelName()).isEqualTo("no-op");
        assertThat(noOp.inputSize()).isEqualTo(model.inputSize());
        assertThat(noOp.version()).isEqualTo(model.version());
        assertThat(h).containsOnly(0.25f);
        assertThat(c).containsOnly(-0.5f);
        assertThat(scores.churn).isCloseTo(0.5f, within(1e-6f));
        assertThat(scores.fraud).isCloseTo(0.5f, within(1e-6f));
        for (float p : scores.nextAction) {
            assertThat(p).isCloseTo(1f / scores.nextAction.length, within(1e-6f));
        }
    }
}

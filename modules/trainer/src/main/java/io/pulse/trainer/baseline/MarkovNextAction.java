package io.pulse.trainer.baseline;

import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.data.UserSequence;
import io.pulse.trainer.eval.NextActionPredictor;

/**
 * First-order Markov baseline for next action: P(next type | this event's type), transition counts of the training
 * period, Laplace-smoothed per row.
 */
public final class MarkovNextAction implements NextActionPredictor {

    private final float[][] transitions;

    private MarkovNextAction(float[][] transitions) {
        this.transitions = transitions;
    }

    /** Fits on the training period's labelled steps. */
    public static MarkovNextAction fit(TrainingData data) {
        int types = TrainingData.nextActionClasses().size();
        double[][] counts = new double[types][types];
        for (UserSequence s : data.sequences()) {
            for (int i = 0; i < s.length() && s.period(i) == Period.TRAIN; i++) {
                if (s.nextAction(i) >= 0) {
                    counts[s.typeIndex(i)][s.nextAction(i)]++;
                }
            }
        }
        float[][] transitions = new float[types][];
        for (int t = 0; t < types; t++) {
            transitions[t] = Smoothing.laplace(counts[t]);
        }
        return new MarkovNextAction(transitions);
    }

    @Override
    public String name() {
        return "markov";
    }

    @Override
    public void predict(UserSequence sequence, int step, float[] out) {
        float[] row = transitions[sequence.typeIndex(step)];
        System.arraycopy(row, 0, out, 0, row.length);
    }
}

package io.pulse.trainer.baseline;

import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.data.UserSequence;
import io.pulse.trainer.eval.NextActionPredictor;

/**
 * The majority baseline for next action: always the training period's class frequencies (Laplace-smoothed, so no
 * class has probability 0 and the log-loss is finite); its top class is the majority class.
 */
public final class MajorityNextAction implements NextActionPredictor {

    private final float[] prior;

    private MajorityNextAction(float[] prior) {
        this.prior = prior;
    }

    /** Fits on the training period's next-action labels. */
    public static MajorityNextAction fit(TrainingData data) {
        double[] counts = new double[TrainingData.nextActionClasses().size()];
        for (UserSequence s : data.sequences()) {
            for (int i = 0; i < s.length() && s.period(i) == Period.TRAIN; i++) {
                if (s.nextAction(i) >= 0) {
                    counts[s.nextAction(i)]++;
                }
            }
        }
        return new MajorityNextAction(Smoothing.laplace(counts));
    }

    @Override
    public String name() {
        return "majority";
    }

    @Override
    public void predict(UserSequence sequence, int step, float[] out) {
        System.arraycopy(prior, 0, out, 0, prior.length);
    }
}

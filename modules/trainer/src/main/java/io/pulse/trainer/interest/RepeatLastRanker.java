package io.pulse.trainer.interest;

/**
 * Predicts that the next element repeats the history's last one (for categories: the user stays in the category of
 * their last item), the rest back-filled by popularity.
 */
public final class RepeatLastRanker extends BackfilledRanker {

    @Override
    public String name() {
        return "repeat last";
    }

    @Override
    void addHistoryScores(int[] history, double[] scoresOut) {
        if (history.length > 0) {
            scoresOut[history[history.length - 1]] += 1;
        }
    }
}

package io.pulse.trainer.baseline;

import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.data.UserSequence;
import io.pulse.trainer.eval.BinaryPredictor;

/**
 * Recency baseline for churn: the training period's churn rate (Laplace-smoothed) by bucket of the time since the
 * user's previous event, {@code floor(log1p(gap seconds))} (buckets of a factor e, capped at {@value #MAX_BUCKET}),
 * with a bucket of its own for a user's first event.
 */
public final class RecencyChurn implements BinaryPredictor {

    static final int MAX_BUCKET = 16;
    private final double[] rates;

    private RecencyChurn(double[] rates) {
        this.rates = rates;
    }

    /** Fits on the training period's churn labels. */
    public static RecencyChurn fit(TrainingData data) {
        double[] positives = new double[MAX_BUCKET + 2];
        double[] counts = new double[MAX_BUCKET + 2];
        for (UserSequence s : data.sequences()) {
            for (int i = 0; i < s.length() && s.period(i) == Period.TRAIN; i++) {
                if (s.churn(i) >= 0) {
                    int b = bucket(s, i);
                    positives[b] += s.churn(i);
                    counts[b]++;
                }
            }
        }
        double[] rates = new double[counts.length];
        for (int b = 0; b < rates.length; b++) {
            rates[b] = Smoothing.rate(positives[b], counts[b]);
        }
        return new RecencyChurn(rates);
    }

    /** 0 for a first event, else 1 + floor(log1p(gap in seconds)), capped. */
    static int bucket(UserSequence s, int step) {
        if (step == 0) {
            return 0;
        }
        double gapSeconds = Math.max(0, s.timeMillis(step) - s.timeMillis(step - 1)) / 1000.0;
        return 1 + Math.min(MAX_BUCKET, (int) Math.floor(Math.log1p(gapSeconds)));
    }

    @Override
    public String name() {
        return "recency";
    }

    @Override
    public double predict(UserSequence sequence, int step) {
        return rates[bucket(sequence, step)];
    }
}

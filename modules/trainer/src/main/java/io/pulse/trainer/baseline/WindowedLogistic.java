package io.pulse.trainer.baseline;

import io.pulse.model.FeatureSpec;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.data.UserSequence;
import io.pulse.trainer.eval.BinaryPredictor;
import java.util.List;
import java.util.function.ToIntBiFunction;

/**
 * A logistic regression ({@link LogisticRegression}) on a few of the encoder's own raw features (behaviour windows,
 * gap, amount): the RFM-style churn baseline and the windowed-features fraud baseline.
 */
public final class WindowedLogistic implements BinaryPredictor {

    /** Recency (gap before the event, first event), frequency (decayed counts, events seen), monetary (amounts). */
    public static final List<String> RFM_FEATURES = List.of("log_gap", "first_event", "events_24h", "events_7d",
            "events_30d", "log_events_seen", "amount_7d", "amount_30d");
    /** The event's amount, counts and amounts over 1 h / 24 h / 7 d, payment counts, the gap and its z-score. */
    public static final List<String> FRAUD_FEATURES = List.of("log_amount", "has_amount", "events_1h", "events_24h",
            "events_7d", "amount_1h", "amount_24h", "amount_7d", "payments_1h", "payments_24h", "log_gap", "gap_z");
    /** L2 strength on standardised features. */
    public static final double LAMBDA = 1e-4;
    /**
     * At most this many labelled training steps are fitted on (an evenly spaced sample beyond it), so the fit's
     * memory (four bytes a feature a row) does not grow with the history; a dozen features need far fewer rows.
     */
    public static final int MAX_ROWS = 2_000_000;

    private final String name;
    private final int[] features;
    private final LogisticRegression regression;

    private WindowedLogistic(String name, int[] features, LogisticRegression regression) {
        this.name = name;
        this.features = features;
        this.regression = regression;
    }

    /** The RFM churn baseline, fitted on the training period's churn labels. */
    public static WindowedLogistic rfmChurn(TrainingData data) {
        return fit("rfm_logistic", RFM_FEATURES, data, UserSequence::churn);
    }

    /** The windowed fraud baseline, fitted on the training period's fraud labels. */
    public static WindowedLogistic windowedFraud(TrainingData data) {
        return fit("windowed_logistic", FRAUD_FEATURES, data, UserSequence::fraud);
    }

    private static WindowedLogistic fit(String name, List<String> featureNames, TrainingData data,
            ToIntBiFunction<UserSequence, Integer> label) {
        List<String> names = FeatureSpec.v1().names();
        int[] features = new int[featureNames.size()];
        for (int j = 0; j < features.length; j++) {
            features[j] = names.indexOf(featureNames.get(j));
            if (features[j] < 0) {
                throw new IllegalStateException("feature " + featureNames.get(j) + " is not in " + names);
            }
        }
        long labelled = 0;
        for (UserSequence s : data.sequences()) {
            for (int i = 0; i < s.length() && s.period(i) == Period.TRAIN; i++) {
                labelled += label.applyAsInt(s, i) >= 0 ? 1 : 0;
            }
        }
        if (labelled == 0) {
            throw new IllegalStateException(name + ": the training period has no labels");
        }
        long stride = (labelled + MAX_ROWS - 1) / MAX_ROWS;
        int n = (int) ((labelled + stride - 1) / stride);
        float[] rows = new float[n * features.length];
        int[] labels = new int[n];
        long seen = 0;
        int row = 0;
        for (UserSequence s : data.sequences()) {
            for (int i = 0; i < s.length() && s.period(i) == Period.TRAIN; i++) {
                int y = label.applyAsInt(s, i);
                if (y >= 0 && seen++ % stride == 0) {
                    float[] raw = s.raw(i);
                    for (int j = 0; j < features.length; j++) {
                        rows[row * features.length + j] = raw[features[j]];
                    }
                    labels[row++] = y;
                }
            }
        }
        LogisticRegression regression = LogisticRegression.fit(rows, features.length, labels, LAMBDA);
        return new WindowedLogistic(name, features, regression);
    }

    private static double[] select(float[] raw, int[] features) {
        double[] x = new double[features.length];
        for (int j = 0; j < features.length; j++) {
            x[j] = raw[features[j]];
        }
        return x;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double predict(UserSequence sequence, int step) {
        return regression.predict(select(sequence.raw(step), features));
    }
}

package io.pulse.trainer.eval;

/**
 * Mean log-loss per head over the labelled steps of a period (natural log; {@code NaN} for a head without labels),
 * and their mean over the heads that have labels: the number early stopping minimises.
 */
public record Losses(double nextAction, double churn, double fraud, double nextCategory, double nextItem,
        double mean) {

    /** Combines per-head losses; heads with NaN are left out of the mean. */
    public static Losses of(double nextAction, double churn, double fraud) {
        return of(nextAction, churn, fraud, Double.NaN, Double.NaN);
    }

    /** Combines per-head losses including the interest heads; heads with NaN are left out of the mean. */
    public static Losses of(double nextAction, double churn, double fraud, double nextCategory, double nextItem) {
        double sum = 0;
        int heads = 0;
        for (double loss : new double[] {nextAction, churn, fraud, nextCategory, nextItem}) {
            if (!Double.isNaN(loss)) {
                sum += loss;
                heads++;
            }
        }
        return new Losses(nextAction, churn, fraud, nextCategory, nextItem, heads == 0 ? Double.NaN : sum / heads);
    }
}

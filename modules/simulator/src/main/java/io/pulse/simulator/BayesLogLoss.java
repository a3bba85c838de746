package io.pulse.simulator;

import io.pulse.contracts.EventType;

/**
 * The best achievable log-loss on simulated data: the mean of {@code -ln p_true(realised outcome)} under the
 * simulator's {@link GroundTruth}, which in expectation is the conditional entropy of the outcome given the user's full
 * latent state. A model that only sees events cannot do better (up to sampling noise); report it next to the model's
 * log-loss on the same events, and next to a marginal baseline ({@link #marginalNextAction}, {@link #marginalChurn}).
 *
 * <p>Natural logarithms; probabilities are clipped to [{@value #EPSILON}, 1 - {@value #EPSILON}].
 */
public final class BayesLogLoss {

    public static final double EPSILON = 1e-15;
    private static final int TYPES = EventType.values().length;

    private BayesLogLoss() {
    }

    /**
     * Mean next-action log-loss of the truth over the events that have a next event (the others have no outcome to
     * predict); {@code NaN} if there are none.
     */
    public static double nextAction(Iterable<SimulatedEvent> events) {
        double sum = 0;
        long n = 0;
        for (SimulatedEvent e : events) {
            EventType next = e.outcome().nextType();
            if (next != null) {
                sum -= Math.log(clip(e.truth().nextAction()[next.ordinal()]));
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Mean binary log-loss of the true churn probability against realised churn within H; {@code NaN} if empty. */
    public static double churn(Iterable<SimulatedEvent> events) {
        double sum = 0;
        long n = 0;
        for (SimulatedEvent e : events) {
            sum += binaryLoss(e.truth().churnProbability(), e.outcome().churned());
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Log-loss of the best constant prediction: the empirical distribution of realised next actions over the same
     * events (its entropy). The truth's {@link #nextAction} must not be higher, up to noise.
     */
    public static double marginalNextAction(Iterable<SimulatedEvent> events) {
        long[] counts = new long[TYPES];
        long n = 0;
        for (SimulatedEvent e : events) {
            EventType next = e.outcome().nextType();
            if (next != null) {
                counts[next.ordinal()]++;
                n++;
            }
        }
        double entropy = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                entropy -= p * Math.log(p);
            }
        }
        return n == 0 ? Double.NaN : entropy;
    }

    /** Log-loss of the best constant churn prediction (the realised churn rate) over the same events. */
    public static double marginalChurn(Iterable<SimulatedEvent> events) {
        long positives = 0;
        long n = 0;
        for (SimulatedEvent e : events) {
            if (e.outcome().churned()) {
                positives++;
            }
            n++;
        }
        if (n == 0) {
            return Double.NaN;
        }
        double rate = (double) positives / n;
        return rate == 0 || rate == 1 ? 0 : -(rate * Math.log(rate) + (1 - rate) * Math.log(1 - rate));
    }

    /** Mean categorical log-loss of {@code probabilities[i]} (any model's) against outcome index {@code outcomes[i]}. */
    public static double categorical(float[][] probabilities, int[] outcomes) {
        if (probabilities.length != outcomes.length) {
            throw new IllegalArgumentException("probabilities and outcomes must have the same length, were "
                    + probabilities.length + " and " + outcomes.length);
        }
        double sum = 0;
        for (int i = 0; i < outcomes.length; i++) {
            sum -= Math.log(clip(probabilities[i][outcomes[i]]));
        }
        return outcomes.length == 0 ? Double.NaN : sum / outcomes.length;
    }

    /** Mean binary log-loss of {@code probabilities[i]} (any model's) against {@code outcomes[i]}. */
    public static double binary(double[] probabilities, boolean[] outcomes) {
        if (probabilities.length != outcomes.length) {
            throw new IllegalArgumentException("probabilities and outcomes must have the same length, were "
                    + probabilities.length + " and " + outcomes.length);
        }
        double sum = 0;
        for (int i = 0; i < outcomes.length; i++) {
            sum += binaryLoss(probabilities[i], outcomes[i]);
        }
        return outcomes.length == 0 ? Double.NaN : sum / outcomes.length;
    }

    private static double binaryLoss(double p, boolean outcome) {
        return -Math.log(clip(outcome ? p : 1 - p));
    }

    private static double clip(double p) {
        return Math.min(1 - EPSILON, Math.max(EPSILON, p));
    }
}

package io.pulse.model;

import java.util.List;

/**
 * The event's amount against the user's own recent amounts: per window (24 hours, 7 days, 30 days), the log of the
 * amount minus the log of the user's mean amount per event in the window, and that log mean itself — "five times what
 * this card usually spends", which a leaked card's fraudster produces and a split on the amount alone cannot see
 * (the usual amount differs from card to card). Then the user's recent mean against the month's: the log mean of the
 * last 24 hours and of the last 7 days minus that of the last 30 days — a card whose recent spending has shifted up,
 * as a leaked card's does while its fraudster multiplies some of its amounts, even at a transaction whose own amount
 * looks ordinary. NaN when the event has no amount (the ratios to the amount only) or a window holds less than
 * {@link #MIN_EVENTS} (decayed) events: no history to compare with, which a tree routes its own way.
 *
 * <p>Computed from a step's <em>normalised</em> dense input {@code x} ({@link FeatureSpec#denormalise}), which holds
 * the amount and the user's windows before the event ({@link FeatureEncoder}): the fraud trees read these features
 * next to {@code x} and the hidden state ({@link FraudTrees}), and the trainer and the pipeline compute them with this
 * one method from the same {@code x}, so what the trees were fitted on is what they are served. The windows count every
 * event (views too), so on mixed traffic the mean is per event, not per payment.
 *
 * <p>Stateless; allocation-free.
 */
public final class AmountHistory {

    /** Feature names, in the order {@link #compute} writes them. */
    public static final List<String> NAMES = List.of("amount_vs_mean_24h", "amount_vs_mean_7d", "amount_vs_mean_30d",
            "log_mean_amount_24h", "log_mean_amount_7d", "log_mean_amount_30d", "mean_24h_vs_30d", "mean_7d_vs_30d");
    /** How many features there are: all of {@link #NAMES}, what trees fitted by this build read. */
    public static final int COUNT = NAMES.size();
    /**
     * The first set, before the mean shifts were added: trees fitted on it read only these {@link #NAMES}' first six
     * (bundles store how many the trees read), and are served with exactly those.
     */
    public static final int WITHOUT_MEAN_SHIFT = 6;
    /** Below this many (decayed) events in a window there is no mean to compare with. */
    static final double MIN_EVENTS = 0.05;

    /** The windows compared with, as indices of {@link Horizon#values()}: 24 hours, 7 days, 30 days. */
    private static final int[] WINDOWS = {Horizon.DAY.ordinal(), Horizon.WEEK.ordinal(), Horizon.MONTH.ordinal()};

    private AmountHistory() {
    }

    /** Whether fraud trees may read {@code count} amount-history features: 0 (none), the first set, or all. */
    public static boolean isValidCount(int count) {
        return count == 0 || count == WITHOUT_MEAN_SHIFT || count == COUNT;
    }

    /**
     * Writes the first {@code count} features ({@link #isValidCount}) of the step whose normalised dense input is
     * {@code x} into {@code out} from {@code offset}.
     *
     * @throws IllegalArgumentException if {@code count} is not a valid count
     */
    public static void compute(FeatureSpec spec, float[] x, float[] out, int offset, int count) {
        if (count == 0) {
            return;
        }
        if (!isValidCount(count)) {
            throw new IllegalArgumentException("amount history has " + WITHOUT_MEAN_SHIFT + " or " + COUNT
                    + " features, not " + count);
        }
        boolean hasAmount = spec.denormalise(x, FeatureEncoder.HAS_AMOUNT) > 0.5f;
        double logAmount = spec.denormalise(x, FeatureEncoder.LOG_AMOUNT);
        for (int k = 0; k < WINDOWS.length; k++) {
            double events = Math.expm1(spec.denormalise(x, FeatureEncoder.EVENTS + WINDOWS[k]));
            double amounts = Math.expm1(spec.denormalise(x, FeatureEncoder.AMOUNTS + WINDOWS[k]));
            if (events < MIN_EVENTS) {
                out[offset + k] = Float.NaN;
                out[offset + WINDOWS.length + k] = Float.NaN;
                continue;
            }
            double logMean = Math.log1p(Math.max(0.0, amounts) / events);
            out[offset + k] = hasAmount ? (float) (logAmount - logMean) : Float.NaN;
            out[offset + WINDOWS.length + k] = (float) logMean;
        }
        if (count == COUNT) {
            // the log means just written (NaN without history): 24 hours and 7 days against 30 days
            float month = out[offset + WINDOWS.length + 2];
            out[offset + WITHOUT_MEAN_SHIFT] = out[offset + WINDOWS.length] - month;
            out[offset + WITHOUT_MEAN_SHIFT + 1] = out[offset + WINDOWS.length + 1] - month;
        }
    }
}

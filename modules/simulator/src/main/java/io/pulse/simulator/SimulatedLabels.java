package io.pulse.simulator;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.simulator.internal.PendingLabel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The delayed labels a simulated event gives rise to, as a real system would learn them:
 * <ul>
 *   <li><b>FRAUD positive</b> for every fraudulent event (a fraudster's, or a payment at a compromised terminal),
 *   observed {@link SimulationConfig#minFraudLabelDelay()} to {@link SimulationConfig#maxFraudLabelDelay()} (by
 *   default 1 to 7 days) after the event (a chargeback; the delay is uniform, derived from the seed and the event id,
 *   so reproducible), {@code eventId} set, source
 *   {@value #SOURCE_CHARGEBACK}.</li>
 *   <li><b>FRAUD negative</b> (confirmed genuine) for {@value #CONFIRMED_GENUINE_SHARE} of the genuine PAYMENT events,
 *   observed {@link #CONFIRMED_GENUINE_DELAY} after the event, source {@value #SOURCE_CONFIRMED}.</li>
 *   <li><b>CHURN</b> for every event, about the user after it ({@code appliesAt} = the event time, no {@code eventId}
 *   as the contract says): positive if the user had no event within the churn horizon H, observed at event time + H;
 *   negative otherwise, observed at the time of the user's next event. Source {@value #SOURCE_CHURN}.</li>
 * </ul>
 * {@code observedAt} is always after {@code appliesAt}: labels are late, and must not be published before
 * {@code observedAt} ({@link Timeline} takes care of that).
 */
public final class SimulatedLabels {

    public static final String SOURCE_CHARGEBACK = "simulator-chargeback";
    public static final String SOURCE_CONFIRMED = "simulator-confirmed";
    public static final String SOURCE_CHURN = "simulator-churn";
    public static final double CONFIRMED_GENUINE_SHARE = 0.1;
    public static final Duration CONFIRMED_GENUINE_DELAY = Duration.ofDays(7);

    private SimulatedLabels() {
    }

    /** The labels of one event, in no particular order. */
    public static List<Label> labelsOf(SimulatedEvent simulated, SimulationConfig config) {
        List<Label> labels = new ArrayList<>(2);
        pending(simulated, config, 0, pending -> labels.add(pending.toLabel()));
        return labels;
    }

    /** Hands the labels of one event to {@code sink}, numbered from {@code sequence}; returns how many. */
    static int pending(SimulatedEvent simulated, SimulationConfig config, long sequence, Consumer<PendingLabel> sink) {
        UserEvent event = simulated.event();
        long t = event.getEventTime().toEpochMilli();
        int count = 0;
        if (simulated.truth().fraud()) {
            long min = config.minFraudLabelDelay().toMillis();
            long spread = config.maxFraudLabelDelay().toMillis() - min;
            long delay = min + (long) (unit(config.seed(), event.getEventId(), 1) * spread);
            sink.accept(new PendingLabel(event, LabelKind.FRAUD, true, t + delay, SOURCE_CHARGEBACK, sequence + count++));
        } else if (event.getType() == EventType.PAYMENT
                && unit(config.seed(), event.getEventId(), 2) < CONFIRMED_GENUINE_SHARE) {
            sink.accept(new PendingLabel(event, LabelKind.FRAUD, false, t + CONFIRMED_GENUINE_DELAY.toMillis(),
                    SOURCE_CONFIRMED, sequence + count++));
        }
        Outcome outcome = simulated.outcome();
        long observedAt = outcome.churned()
                ? t + config.churnHorizon().toMillis()
                : outcome.nextEventTime().toEpochMilli();
        sink.accept(new PendingLabel(event, LabelKind.CHURN, outcome.churned(), observedAt, SOURCE_CHURN,
                sequence + count++));
        return count;
    }

    /** A uniform number in [0, 1) derived from the seed, the event id and a salt (SplitMix64 finaliser). */
    private static double unit(long seed, String eventId, int salt) {
        long z = seed * 0x9E3779B97F4A7C15L + eventId.hashCode() * 0xBF58476D1CE4E5B9L + salt * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}

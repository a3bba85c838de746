package io.pulse.simulator;

import io.pulse.contracts.EventType;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the simulator knows about an event at the moment it is emitted: the true probabilities of what happens next,
 * given the user's full latent state (engagement, funnel step, decline rate, whether the account is at risk of or in
 * a fraud burst). No model can beat these: they are the Bayes-optimal predictions for a model that saw everything,
 * and a lower bound for one that only sees events. See {@link GroundTruthSimulator} for how they are computed.
 *
 * @param nextAction             probability of the type of the user's next event, indexed by
 *                               {@link EventType#ordinal()} (so index 0, UNKNOWN, is always 0), conditional on there
 *                               being a next event; sums to 1. Shared, do not modify.
 * @param churnProbability       probability that the user has no event at all within the configured churn horizon H
 *                               after this event (exact; see {@link GroundTruthSimulator})
 * @param noNextEventProbability probability that the user never has another event (stops for good)
 * @param fraud                  whether this event is fraudulent: made by a fraudster (a compromised account's
 *                               burst), or an ordinary payment at a compromised terminal
 * @param engagement             the user's latent log-engagement at this event (0 = neutral; their session rate is
 *                               their base rate times {@code exp(engagement)})
 * @param interests              the user's true interests at this event (for a fraudster's event: the account
 *                               owner's) and whether they just switched
 */
public record GroundTruth(float[] nextAction, double churnProbability, double noNextEventProbability, boolean fraud,
        double engagement, InterestTruth interests) {

    public GroundTruth {
        Objects.requireNonNull(interests, "interests");
    }

    /** The true probability that the next event has this type. */
    public double probability(EventType type) {
        return nextAction[type.ordinal()];
    }

    /** The true probability that this event is fraudulent: 1 or 0, the simulator knows. */
    public double fraudProbability() {
        return fraud ? 1.0 : 0.0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroundTruth that
                && Arrays.equals(nextAction, that.nextAction)
                && Double.compare(churnProbability, that.churnProbability) == 0
                && Double.compare(noNextEventProbability, that.noNextEventProbability) == 0
                && fraud == that.fraud
                && Double.compare(engagement, that.engagement) == 0
                && interests.equals(that.interests);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(nextAction);
        h = 31 * h + Double.hashCode(churnProbability);
        h = 31 * h + Double.hashCode(noNextEventProbability);
        h = 31 * h + Boolean.hashCode(fraud);
        h = 31 * h + Double.hashCode(engagement);
        return 31 * h + interests.hashCode();
    }

    @Override
    public String toString() {
        return "GroundTruth[nextAction=" + Arrays.toString(nextAction) + ", churnProbability=" + churnProbability
                + ", noNextEventProbability=" + noNextEventProbability + ", fraud=" + fraud
                + ", engagement=" + engagement + ", interests=" + interests + "]";
    }
}

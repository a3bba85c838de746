package io.pulse.simulator;

import java.util.Arrays;

/**
 * What the simulator knows about a user's interests at an event: the distribution the user's next browsed item's
 * level-2 category is drawn from, and where the user stands relative to their last interest switch. See
 * {@link GroundTruthSimulator} for how interests drift and switch.
 *
 * @param categories        probability of each level-2 category, indexed like
 *                          {@link SimulatedCatalogue#interestCategories()}; sums to 1. Shared, do not modify.
 * @param dominant          index of the user's dominant category (the one a switch replaces)
 * @param eventsSinceSwitch how many of the user's events came before this one since their last switch: 0 for the
 *                          first event after a switch, -1 if the user has not switched yet
 */
public record InterestTruth(float[] categories, int dominant, int eventsSinceSwitch) {

    /** Whether this is the user's first event after an interest switch. */
    public boolean switched() {
        return eventsSinceSwitch == 0;
    }

    /** Whether this event is among the first {@code n} events after a switch. */
    public boolean withinEventsOfSwitch(int n) {
        return eventsSinceSwitch >= 0 && eventsSinceSwitch < n;
    }

    /** The true probability of level-2 category {@code category} (an id of the simulated catalogue), 0 if unknown. */
    public double probability(String category) {
        int index = SimulatedCatalogue.get().interestCategories().indexOf(category);
        return index < 0 ? 0.0 : categories[index];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InterestTruth that && Arrays.equals(categories, that.categories)
                && dominant == that.dominant && eventsSinceSwitch == that.eventsSinceSwitch;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(categories) + dominant) + eventsSinceSwitch;
    }

    @Override
    public String toString() {
        return "InterestTruth[categories=" + Arrays.toString(categories) + ", dominant=" + dominant
                + ", eventsSinceSwitch=" + eventsSinceSwitch + "]";
    }
}

package io.pulse.pipeline.processing;

import io.pulse.pipeline.PulseConfig;

/**
 * What a model with interest heads adds to each prediction.
 *
 * @param categoriesK      next categories per prediction
 * @param recommendationsK recommended items per prediction
 * @param seenSize         recent items remembered per user (the seen set)
 * @param seenFilter       whether seen items are kept out of the recommendations
 * @param profileDecay     weight of the old category profile per event
 */
public record InterestSettings(int categoriesK, int recommendationsK, int seenSize, boolean seenFilter,
        double profileDecay) {

    /** The defaults of {@link PulseConfig}. */
    public static InterestSettings defaults() {
        return new InterestSettings(3, 10, 50, true, 0.9);
    }

    public static InterestSettings from(PulseConfig config) {
        return new InterestSettings(
                config.getInt(PulseConfig.INTERESTS_CATEGORIES_K),
                config.getInt(PulseConfig.INTERESTS_RECOMMENDATIONS_K),
                config.getInt(PulseConfig.INTERESTS_SEEN_SIZE),
                config.getBoolean(PulseConfig.INTERESTS_SEEN_FILTER),
                config.getDouble(PulseConfig.INTERESTS_PROFILE_DECAY));
    }
}

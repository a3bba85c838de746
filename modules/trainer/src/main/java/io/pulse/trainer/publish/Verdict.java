package io.pulse.trainer.publish;

/**
 * The publishing gate's decision.
 *
 * @param publish        whether the new model is to be published
 * @param reason         one sentence for people
 * @param candidateLoss  the new model's mean test log-loss over the heads with labels
 * @param currentLoss    the current model's, NaN if there is no comparable current model
 * @param currentVersion the current model's version, or null
 */
public record Verdict(boolean publish, String reason, double candidateLoss, double currentLoss,
        String currentVersion) {
}

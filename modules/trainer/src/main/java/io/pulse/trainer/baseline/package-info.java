/**
 * Baselines reported next to the model on the same held-out steps, all fitted on the training period only: majority
 * class and first-order Markov for next action, churn rate by recency bucket and an RFM logistic regression for
 * churn, a logistic regression on windowed features for fraud. The logistic regressions are plain Java (Newton's
 * method with L2). Nothing here reads Kafka.
 */
package io.pulse.trainer.baseline;

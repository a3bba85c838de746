/**
 * Evaluation of models and baselines on one period of a time split, on exactly the same labelled steps: accuracy,
 * macro-F1 and log-loss for next action, ROC AUC, average precision and log-loss for churn and fraud (scikit-learn's
 * definitions), ROC and precision-recall curves, and the Bayes-optimal row when the history is simulated. Models
 * run through the plain-Java kernel, as the pipeline runs them. Nothing here reads Kafka.
 */
package io.pulse.trainer.eval;

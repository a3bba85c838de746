/**
 * Offline evaluations of the whole system against published protocols. {@link io.pulse.evaluation.FraudHandbookEvaluation}
 * runs the fraud handbook's prequential protocol through the trainer and the production topology.
 */
package io.pulse.evaluation;
